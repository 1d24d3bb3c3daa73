"""A job typed from scratch, the way a clerk who never saw officekit's templates would.

Every template is a new python-docx ``Document()``: Letter paper, Normal style, theme
fonts, the text and the tags typed as plain paragraphs, tables inserted with Word's
"Table Grid" style (``{%tr %}`` rows and a 合计 row) and a borderless signature table.
The title is centred and made bold and larger by hand, as clerks do. The workbook has a
shape of its own (a work-safety job), nothing like the shipped one.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

TOML = """\
[job]
workbook = "安全生产.xlsx"
output = "output"
pdf = "none"

[variables]
sheet = "基本信息"

[tables."乡镇"]
key = "单位名称"

[tables."指标"]
references = { "单位名称" = "乡镇" }

[[documents]]
name = "通知"
template = "模板/通知.docx"
output = "通知"

[[documents]]
name = "责任书"
template = "模板/责任书.docx"
each = "乡镇"
as = "单位"
output = "责任书/{{ 单位名称 }}"
combined = "责任书合订本"
"""

UNITS = [
    ("城关镇", "张明", "道路交通和建筑施工领域零事故，隐患整改率100%"),
    ("红旗乡", "李红", "消防安全隐患动态清零，较大以上事故零发生"),
    ("县应急管理局", "王强", "全县安全生产检查覆盖率100%，执法检查不少于120次"),
]
INDICATORS = [
    ("城关镇", "抓获安全生产违法违规行为责任人", 30),
    ("城关镇", "重大事故隐患整改", 40),
    ("城关镇", "宣传培训", 30),
    ("红旗乡", "消防安全检查", 50),
    ("红旗乡", "宣传培训", 50),
    ("县应急管理局", "执法检查", 60),
    ("县应急管理局", "应急演练", 40),
]


def _workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "基本信息"
    for row in (
        ("项目", "内容"),
        ("年度", 2026),
        ("县名", "清河县"),
        ("发文单位", "清河县安全生产委员会"),
        ("发文日期", datetime.date(2026, 3, 5)),
        ("甲方", "清河县人民政府"),
    ):
        info.append(row)
    info["B5"].number_format = "yyyy-m-d"
    units = wb.create_sheet("乡镇")
    units.append(("单位名称", "负责人", "工作目标"))
    for row in UNITS:
        units.append(row)
    indicators = wb.create_sheet("指标")
    indicators.append(("单位名称", "考核内容", "分值"))
    for row in INDICATORS:
        indicators.append(row)
    wb.save(path)


def _grid_table(doc, header: list[str], loop: str, cells: list[str], total: list[str]):  # noqa: ANN001, ANN202
    """A "Table Grid" table: header, the ``{%tr for %}`` row between its tag rows, a 合计 row."""
    rows = [header, [f"{{%tr for {loop} %}}"] + [""] * (len(header) - 1), cells]
    rows += [["{%tr endfor %}"] + [""] * (len(header) - 1), total]
    table = doc.add_table(rows=len(rows), cols=len(header))
    table.style = "Table Grid"
    for row, values in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    return table


def _title(doc, text: str) -> None:  # noqa: ANN001
    """Centred, bold and larger, set by hand on the run."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(18)


def notice(path: Path) -> None:
    doc = Document()
    _title(doc, "关于开展{{ 年度 }}年度安全生产目标考核的通知")
    doc.add_paragraph("各乡镇人民政府，县直有关单位：")
    doc.add_paragraph(
        "为压实安全生产责任，经县安全生产委员会研究，决定开展{{ 年度 }}年度安全生产目标考核。"
        "现将有关事项通知如下。"
    )
    doc.add_paragraph("一、考核范围")
    doc.add_paragraph("本次考核共涉及{{ 乡镇|length }}个单位，名单如下。")
    _grid_table(
        doc,
        ["序号", "单位名称", "负责人", "考核分值"],
        "行 in 乡镇",
        [
            "{{ loop.index }}",
            "{{ 行.单位名称 }}",
            "{{ 行.负责人 }}",
            "{{ 行.指标|sum(attribute='分值') }}",
        ],
        ["合计", "", "", "{{ 指标|sum(attribute='分值') }}"],
    )
    doc.add_paragraph("二、工作要求")
    doc.add_paragraph(
        "（一）加强组织领导。各单位要把目标考核作为年度重点工作，主要负责同志亲自部署、亲自过问。"
    )
    doc.add_paragraph("（二）严格考核标准。考核结果与年度评先评优挂钩，对工作不力的单位予以通报。")
    doc.add_paragraph("附件：各单位考核指标")
    sign = doc.add_paragraph("{{ 发文单位 }}")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = doc.add_paragraph("{{ 发文日期 }}")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_page_break()
    doc.add_paragraph("附件")
    doc.add_paragraph("各单位考核指标")
    _grid_table(
        doc,
        ["单位名称", "考核内容", "分值"],
        "项 in 指标",
        ["{{ 项.单位名称 }}", "{{ 项.考核内容 }}", "{{ 项.分值 }}"],
        ["合计", "", "{{ 指标|sum(attribute='分值') }}"],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)


def letter(path: Path) -> None:
    doc = Document()
    _title(doc, "{{ 年度 }}年度安全生产目标责任书")
    doc.add_paragraph("甲方：{{ 甲方 }}")
    doc.add_paragraph("乙方：{{ 单位名称 }}")
    doc.add_paragraph("为落实安全生产责任制，防范和遏制各类生产安全事故，甲乙双方签订本责任书。")
    doc.add_paragraph("一、工作目标")
    doc.add_paragraph("{{ 工作目标 }}。")
    doc.add_paragraph("二、考核指标")
    _grid_table(
        doc,
        ["序号", "考核内容", "分值"],
        "项 in 单位.指标",
        ["{{ loop.index }}", "{{ 项.考核内容 }}", "{{ 项.分值 }}"],
        ["合计", "", "{{ 单位.指标|sum(attribute='分值') }}"],
    )
    doc.add_paragraph("三、其他")
    doc.add_paragraph("本责任书一式两份，甲乙双方各执一份，自签订之日起生效。")
    doc.add_paragraph("")
    signature = doc.add_table(rows=3, cols=2)  # Word's plain table: no borders
    for row, values in zip(
        signature.rows,
        [
            ("甲方（盖章）", "乙方（盖章）"),
            ("负责人（签字）：", "负责人（签字）："),
            ("{{ 发文日期 }}", "{{ 发文日期 }}"),
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)


def make_clerk_job(folder: Path, layout: str | None = None) -> Path:
    """The whole job in ``folder``: officekit.toml, 安全生产.xlsx, 模板/通知.docx, 模板/责任书.docx.
    ``layout``: written as ``layout = "…"`` into every document of the job file."""
    folder.mkdir(parents=True, exist_ok=True)
    toml = TOML
    if layout is not None:
        toml = toml.replace("[[documents]]\n", f'[[documents]]\nlayout = "{layout}"\n')
    (folder / "officekit.toml").write_text(toml, encoding="utf-8")
    _workbook(folder / "安全生产.xlsx")
    notice(folder / "模板" / "通知.docx")
    letter(folder / "模板" / "责任书.docx")
    return folder
