"""Build the example job examples/红头通知/: a red-header notice of the county 禁毒委
issuing the year's responsibility letters.

The 版头 (发文机关标志, 发文字号, red rule) and the 版记 (抄送, 印发机关 and 印发日期) are
not drawn in the template: the job file asks for them ([documents.red_header],
[documents.imprint]) and the engine draws them. One notice is made per row of 主送分组:
one row gives one notice, several rows one each (the workbook says so). The notice has
主送机关, a body with levels, an 附件说明, 署名 and 成文日期, and the annex (the list of
units) on a page of its own. All names are fictional. Run:
python tools/build_example_redheader.py
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import example_book as book  # noqa: E402
from build_templates import TEXT_WIDTH, build, save_reproducible  # noqa: E402

from officekit.gongwen import layout, oxml  # noqa: E402

FOLDER = ROOT / "examples" / "红头通知"
WORKBOOK = "红头通知数据.xlsx"

VARIABLES = [
    ("发文机关", "青禾县禁毒委员会", "发文机关标志是“发文机关＋文件”，署名也用它"),
    ("发文字号", "青禁毒委〔2026〕3号", "年份用六角括号〔〕，不加“第”，序号不编虚位"),
    ("年度", 2026, "只填数字"),
    ("成文日期", dt.date(2026, 3, 2), ""),
    ("印发机关", "青禾县禁毒委员会办公室", "版记左侧"),
    ("印发日期", dt.date(2026, 3, 2), "版记右侧，自动加“印发”"),
    (
        "抄送",
        "县委办公室，县人大常委会办公室，县政府办公室，县政协办公室",
        "用逗号分隔；不写“抄送：”和句号",
    ),
]
GROUPS = [
    ("乡镇", "各乡镇党委、人民政府"),
    ("县直单位", "县委政法委，县直各有关单位"),
]
UNITS = [
    ("城关镇", "乡镇"),
    ("河西镇", "乡镇"),
    ("青石乡", "乡镇"),
    ("县委政法委", "县直单位"),
    ("县公安局", "县直单位"),
    ("县卫生健康局", "县直单位"),
    ("县教育局", "县直单位"),
    ("县民政局", "县直单位"),
]


def build_workbook(path: Path) -> None:
    wb = book.new_book()
    book.readme(
        wb,
        "红头通知：填表说明",
        [
            "「基本信息」：发文机关、发文字号（如 青禁毒委〔2026〕3号）、成文日期、版记的印发机关和印发日期、抄送机关。",
            "「主送分组」每行生成一份通知：「主送机关」印在标题下面。只要一份通知时只留一行。",
            "「责任单位」是附件里的名单：单位名称和所属分组（用下拉列表选）。",
            "红色的发文机关标志、发文字号和红线，以及最后一页底部的版记，都由 officekit 按国标排好，不用在模板里画。",
            "改好后双击「生成公文.bat」（或运行 officekit build 本文件夹），结果在 output 文件夹。",
            "本表（说明）不当数据读取。",
        ],
    )
    book.info_sheet(wb, VARIABLES)
    book.sheet(wb, "主送分组", ["分组", "主送机关"], GROUPS, [14, 50])
    units = book.sheet(wb, "责任单位", ["单位名称", "分组"], UNITS, [24, 14])
    book.drop_down(units, "B2:B200", "主送分组!$A$2:$A$50", "「主送分组」表中已有的分组")
    book.save(wb, path)


NOTICE = [
    ("title", "关于印发{{ 年度 }}年度禁毒工作责任书的通知"),
    ("greeting", "{{ 组.主送机关 }}："),
    (
        "body",
        "为认真贯彻全县禁毒工作会议精神，进一步落实禁毒工作责任制，县禁毒委员会制定了"
        "{{ 年度 }}年度禁毒工作目标责任书，现印发给你们，并就有关事项通知如下。",
    ),
    ("h1", "一、提高思想认识"),
    (
        "body",
        "各单位要充分认识禁毒工作的长期性、复杂性和艰巨性，把禁毒工作摆上重要议事日程，"
        "主要负责人亲自抓、分管负责人具体抓。",
    ),
    ("h1", "二、严格落实责任"),
    (
        "h2",
        "（一）明确责任主体。各单位是本辖区、本系统禁毒工作的责任主体，要对照责任书逐项"
        "分解任务，落实到岗、到人。",
    ),
    (
        "h2",
        "（二）细化工作措施。各单位要结合实际制定具体措施，明确时间节点，确保各项任务按期完成。",
    ),
    ("h1", "三、加强督导考核"),
    (
        "body",
        "县禁毒委员会办公室将采取日常督导与年终考评相结合的方式进行考核，考核结果纳入年度"
        "平安建设考核。",
    ),
    ("blank", ""),
    ("attach_note", "附件：{{ 年度 }}年度禁毒工作目标责任书签订单位名单"),
]
ANNEX = [
    ("attach_label", "附件"),
    ("attach_title", "{{ 年度 }}年度禁毒工作目标责任书签订单位名单"),
    ("unit_table", ""),
]


def _unit_table(doc) -> None:  # noqa: ANN001
    widths = [900, 0, 2400]
    widths[1] = TEXT_WIDTH - sum(widths)
    rows = [
        ["序号", "单位名称", "分组"],
        ["{%tr for 单位 in 责任单位 %}", "", ""],
        ["{{ loop.index }}", "{{ 单位.单位名称 }}", "{{ 单位.分组 }}"],
        ["{%tr endfor %}", "", ""],
    ]
    layout.add_table(doc, widths, rows, align=["center", "left", "center"])


JOB = """# officekit 任务文件：红头通知（示例，officekit init 文件夹 --example 红头通知）
ignore_sheets = ["说明"]            # 说明表不当数据读

[job]
name = "禁毒工作目标责任书印发通知"
workbook = "红头通知数据.xlsx"
output = "output"
pdf = "all"                         # 每份通知都转 PDF

[variables]
sheet = "基本信息"
items = { "发文机关" = "文本!", "发文字号" = "文本!", "年度" = "整数!", "成文日期" = "日期!", "印发机关" = "文本!", "印发日期" = "日期!" }

[tables."主送分组"]
key = "分组"
columns = { "分组" = "文本!", "主送机关" = "文本!" }

[tables."责任单位"]
key = "单位名称"
columns = { "单位名称" = "文本!", "分组" = "文本!" }
references = { "分组" = "主送分组" }

[[documents]]                       # 「主送分组」每行一份通知
name = "印发通知"
template = "通知.docx"
each = "主送分组"
as = "组"
output = "通知/{{ 编号 }}-{{ 分组 }}"

[documents.red_header]              # 版头：由 officekit 排，不在模板里画
organ = "{{ 发文机关 }}文件"          # 发文机关标志：红色小标宋，居中，上边缘距版心上边缘 35 mm
number = "{{ 发文字号 }}"             # 发文字号：标志下空二行居中，其下 4 mm 红色分隔线

[documents.imprint]                 # 版记：最后一页（双页）的最下面
cc = "{{ 抄送 }}"                     # 抄送机关（自动加“抄送：”和句号）
printer = "{{ 印发机关 }}"            # 印发机关（左空一字）
date = "{{ 印发日期 }}"               # 印发日期（右空一字，自动加“印发”）
"""


def build_template(path: Path) -> None:
    doc = build(NOTICE, "禁毒工作目标责任书印发通知（模板）", {"unit_table": _unit_table})
    book.sign_off(doc)
    first = None
    for role, text in ANNEX:
        if role == "unit_table":
            _unit_table(doc)
            layout.add_paragraph(doc, "tiny")
            continue
        paragraph = layout.add_paragraph(doc, role, text)
        first = first or paragraph
    oxml.set_on_off(first._p.get_or_add_pPr(), "w:pageBreakBefore", True)
    save_reproducible(doc, path)


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    build_workbook(FOLDER / WORKBOOK)
    build_template(FOLDER / "通知.docx")
    (FOLDER / "officekit.toml").write_text(JOB, encoding="utf-8")
    print(FOLDER)


if __name__ == "__main__":
    main()
