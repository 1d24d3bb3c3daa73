"""What to do about a format finding, in the words of Word's and WPS's menus.

A finding says what is wrong; a clerk also needs where to click. Rules whose messages do
not already say (no "请" in them) get the fix of their rule appended here: every check's
findings pass through :meth:`words.Collector.findings`, the page measurements through
:func:`officekit.gongwen.pdfcheck.measure_reports`. Word's internal names stay in brackets at most.
"""

from __future__ import annotations

from dataclasses import replace

from officekit.gongwen.words import Finding

_FORMAT = "也可以用 officekit format 给模板套用公文格式"
HINTS: dict[str, str] = {
    "纸张": "请在「布局（WPS：页面布局）→ 页面设置 → 纸张」中把纸张改为 A4、方向选「纵向」；"
    + _FORMAT,
    "页边距": "请在「布局（WPS：页面布局）→ 页面设置 → 页边距」中设为上 3.7 厘米、下 3.5 厘米、"
    "左 2.8 厘米、右 2.6 厘米；" + _FORMAT,
    "版心": "请在「布局（WPS：页面布局）→ 页面设置 → 页边距」中设为上 3.7 厘米、下 3.5 厘米、"
    "左 2.8 厘米、右 2.6 厘米；" + _FORMAT,
    "页面": "请在「布局（WPS：页面布局）→ 页面设置」中把纸张设为 A4、页边距设为上 3.7、下 3.5、"
    "左 2.8、右 2.6 厘米；" + _FORMAT,
    "行数": "请选中正文，在「开始 → 段落 → 行距」中选「固定值」28.95 磅（或在「页面设置 → 文档网格」"
    "中设每页 22 行）；" + _FORMAT,
    "每行字数": "请在「页面设置 → 文档网格」中设每行 28 字，或选中正文在「字体 → 高级 → 缩放」中设为 98%；"
    + _FORMAT,
    "页码": "请在「插入 → 页码」中把页码放在页面底端，页脚写成“— 1 —”（宋体四号），并在"
    "「页面设置 → 版式」中勾选「奇偶页不同」（单页居右、双页居左）；" + _FORMAT,
    "字体": "请在「开始 → 样式」窗格中右键这段所用的样式 →「修改」，把中文字体改正（只改这一段时"
    "选中文字在「开始 → 字体」中改）；" + _FORMAT,
    "字号": "请在「开始 → 样式」窗格中右键这段所用的样式 →「修改」，把字号改正（只改这一段时"
    "选中文字在「开始 → 字号」中改）；" + _FORMAT,
    "主题字体": "请在「开始 → 字体」中把“+中文正文”“+西文正文”这类主题字体换成明确的字体名"
    "（如 仿宋_GB2312）；" + _FORMAT,
    "附件": "请把光标放在附件标识前，按 Ctrl+Enter（「插入 → 分页」）另起一页",
    "标题层次": "请在 Word/WPS 中直接改正这段开头的序号或末尾的标点（改模板或工作簿里的文字）",
    "附件说明": "请在 Word/WPS 中直接改正附件说明的文字（改模板或工作簿里的文字）",
    "日期": "请改正工作簿或模板里的这个日期：日期单元格设为日期格式即可，officekit 会写成 2026年3月5日",
    "发文字号": "请改正工作簿或模板里的发文字号",
    "实测纸张": "请在「布局（WPS：页面布局）→ 页面设置 → 纸张」中把纸张改为 A4；" + _FORMAT,
    "实测版心": "请检查页边距（上 3.7、下 3.5、左 2.8、右 2.6 厘米）以及超宽的表格和图片；"
    + _FORMAT,
    "实测行数": "请把正文行距设为「固定值」28.95 磅（每页 22 行）；" + _FORMAT,
    "实测页码": "请在「插入 → 页码」中重新插入页码，并在「页面设置 → 版式」中勾选「奇偶页不同」；"
    + _FORMAT,
}


def advise(findings: list[Finding]) -> list[Finding]:
    """``findings`` with the fix of their rule appended where the message has none."""
    advised = []
    for finding in findings:
        hint = HINTS.get(finding.rule)
        if hint and "请" not in finding.message:
            finding = replace(finding, message=f"{finding.message}；{hint}")
        advised.append(finding)
    return advised
