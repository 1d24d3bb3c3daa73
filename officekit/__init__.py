"""officekit：用 Excel 工作簿和 Word 模板生成符合 GB/T 9704-2012 的公文。"""

__version__ = "0.1.0"
