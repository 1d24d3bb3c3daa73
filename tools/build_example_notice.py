"""Build the second example job, examples/会议通知/: one meeting notice per unit.

It shows the engine is not specific to the anti-drug job: another workbook (基本信息 +
参会单位), another template (a 通知 with 主送机关, numbered arrangements, 署名 and 成文日期),
the same `officekit build`. Run: python tools/build_example_notice.py
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from build_templates import save_reproducible  # noqa: E402

from officekit.gongwen import layout, oxml, spec  # noqa: E402

FOLDER = ROOT / "examples" / "会议通知"
FIXED = dt.datetime(2026, 1, 1)

VARIABLES = [
    ("发文机关", "青禾县安全生产委员会", "落款和标题使用"),
    ("会议名称", "全县安全生产工作会议", ""),
    ("会议时间", dt.datetime(2026, 3, 12, 9, 0), "日期和时间"),
    ("会议地点", "县行政中心三楼第一会议室", ""),
    ("报到时间", dt.datetime(2026, 3, 12, 8, 30), ""),
    ("联系人", "县应急管理局办公室 周敏", "虚构"),
    ("联系电话", "0000-1234567", "文本格式，保留前导零"),
    ("回执截止", dt.date(2026, 3, 9), ""),
    ("成文日期", dt.date(2026, 3, 2), ""),
]
UNITS = [
    ("城关镇", "镇长、分管安全生产的副镇长"),
    ("河西镇", "镇长、分管安全生产的副镇长"),
    ("青石乡", "乡长、分管安全生产的副乡长"),
    ("县应急管理局", "局长、分管副局长"),
    ("县交通运输局", "局长"),
    ("县住房和城乡建设局", "局长"),
    ("县市场监督管理局", "局长"),
    ("县消防救援大队", "大队长"),
]

NOTICE = [
    ("title", "关于召开{{ 会议名称 }}的通知"),
    ("greeting", "{{ 单位名称 }}："),
    (
        "body",
        "为贯彻落实上级关于安全生产工作的部署，总结去年全县安全生产工作，安排部署今年重点"
        "任务，经县政府同意，决定召开{{ 会议名称 }}。现将有关事项通知如下：",
    ),
    ("h1", "一、会议时间"),
    ("body", "{{ 会议时间|中文日期 }}上午{{ 会议时间.raw.hour }}时，会期半天。"),
    ("h1", "二、会议地点"),
    ("body", "{{ 会议地点 }}。"),
    ("h1", "三、参会人员"),
    ("body", "{{ 单位名称 }}{{ 参会人员 }}。"),
    ("h1", "四、有关要求"),
    (
        "body",
        "1. 请参会人员于{{ 报到时间|中文日期 }}{{ 报到时间.raw.hour }}时"
        "{{ 报到时间.raw.minute }}分前到会场报到，不得无故缺席。",
    ),
    ("body", "2. 请于{{ 回执截止 }}前将参会人员名单报{{ 联系人 }}，联系电话：{{ 联系电话 }}。"),
]


def build_workbook(path: Path) -> None:
    wb = Workbook()
    head = Font(bold=True)
    fill = PatternFill("solid", start_color="FFDDEBF7")
    ws = wb.active
    ws.title = "基本信息"
    ws.append(["项目", "内容", "填写说明"])
    for key, value, note in VARIABLES:
        ws.append([key, value, note])
        cell = ws.cell(ws.max_row, 2)
        if isinstance(value, dt.datetime):
            cell.number_format = 'yyyy"年"m"月"d"日" h:mm'
        elif isinstance(value, dt.date):
            cell.number_format = 'yyyy"年"m"月"d"日"'
        elif key == "联系电话":
            cell.number_format = "@"
    units = wb.create_sheet("参会单位")
    units.append(["单位名称", "参会人员"])
    for row in UNITS:
        units.append(list(row))
    for sheet, widths in ((ws, [14, 36, 24]), (units, [24, 40])):
        for i, width in enumerate(widths):
            sheet.column_dimensions[chr(65 + i)].width = width
        for cell in sheet[1]:
            cell.font, cell.fill = head, fill
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.freeze_panes = "A2"
    check = DataValidation(
        type="textLength", operator="greaterThan", formula1="0", allow_blank=False
    )
    check.error, check.errorTitle = "单位名称不能为空", "输入有误"
    units.add_data_validation(check)
    check.add("A2:A200")
    wb.properties.created = wb.properties.modified = FIXED
    wb.save(path)


def build_template(path: Path) -> None:
    doc = layout.new_document(spec.DEFAULT_FONT_PROFILE)
    for role, text in NOTICE:
        layout.add_paragraph(doc, role, text)
        if role == "title":
            layout.add_paragraph(doc, "body")  # one blank line below the title
    layout.add_paragraph(doc, "body")  # one blank line before the signature
    organ = layout.add_paragraph(doc, "signature", "{{ 发文机关 }}")
    date = layout.add_paragraph(doc, "signature", "{{ 成文日期 }}")
    two, four = 640, 1280  # 2 and 4 characters of 三号 text, in twips
    for paragraph, indent in ((organ, two), (date, four)):
        ppr = paragraph._p.get_or_add_pPr()
        oxml.set_justification(ppr, "right")
        oxml.set_indent(ppr, right=indent)
        oxml.set_on_off(ppr, "w:keepNext", paragraph is organ)
    props = doc.core_properties
    props.title, props.author, props.comments = (
        "会议通知（模板）",
        "officekit",
        "officekit 示例模板",
    )
    props.created = props.modified = FIXED
    save_reproducible(doc, path)


JOB = """# officekit 任务文件：会议通知（第二个示例，说明引擎不限于禁毒工作）
[job]
name = "全县安全生产工作会议通知"
workbook = "会议通知数据.xlsx"
output = "output"
pdf = "print"

[variables]
sheet = "基本信息"

[tables."参会单位"]
key = "单位名称"
columns = { "单位名称" = "文本!", "参会人员" = "文本!" }

[[documents]]
name = "会议通知"
template = "通知.docx"
each = "参会单位"
as = "单位"
output = "通知/{{ 编号 }}-{{ 单位名称 }}"
combined = "通知汇总"
"""


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    build_workbook(FOLDER / "会议通知数据.xlsx")
    build_template(FOLDER / "通知.docx")
    (FOLDER / "officekit.toml").write_text(JOB, encoding="utf-8")
    print(FOLDER)


if __name__ == "__main__":
    main()
