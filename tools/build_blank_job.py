"""Build the blank starter job examples/空白任务/ (``officekit init 文件夹 --blank``).

The smallest job that shows every part: a 基本信息 sheet, one table (名单), one template
made once per row (每行一份.docx) and one single document listing the rows (汇总.docx),
both already in 公文 layout, and a job file whose every line says what it does. It
builds as it is; a clerk changes the words and the columns. Run:
python tools/build_blank_job.py
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import example_book as book  # noqa: E402
from build_templates import TEXT_WIDTH, build, save_reproducible  # noqa: E402

from officekit.gongwen import layout  # noqa: E402

FOLDER = ROOT / "examples" / "空白任务"

VARIABLES = [
    ("发文机关", "青禾县人民政府办公室", "模板里写 {{ 发文机关 }}"),
    ("年度", 2026, "只填数字；模板里写 {{ 年度 }}"),
    ("成文日期", dt.date(2026, 3, 2), "填 2026-3-2，文档里是 2026年3月2日"),
]
ROWS = [
    ("城关镇", "王建国", "辖区内各村（社区）"),
    ("河西镇", "李志强", "辖区内各村（社区）"),
    ("县教育局", "郑晓东", "全县各中小学校"),
]

LETTER = [
    ("title", "关于做好{{ 年度 }}年度有关工作的通知"),
    ("greeting", "{{ 单位名称 }}："),
    (
        "body",
        "这是每行生成一份的文档：「名单」表有几行，就生成几份，每份的{{ 单位名称 }}、"
        "{{ 负责人 }}、{{ 范围 }}换成那一行的内容。",
    ),
    ("h1", "一、工作要求"),
    ("body", "请{{ 负责人 }}同志牵头，组织{{ 范围 }}认真抓好落实。"),
]
SUMMARY = [
    ("title", "{{ 年度 }}年度有关工作单位名单"),
    ("body", "这是只生成一份的文档：下表按「名单」表逐行列出，共{{ 名单|length }}个单位。"),
    ("list_table", ""),
]


def _list_table(doc) -> None:  # noqa: ANN001
    widths = [900, 0, 1800]
    widths[1] = TEXT_WIDTH - sum(widths)
    rows = [
        ["序号", "单位名称", "负责人"],
        ["{%tr for 行 in 名单 %}", "", ""],
        ["{{ loop.index }}", "{{ 行.单位名称 }}", "{{ 行.负责人 }}"],
        ["{%tr endfor %}", "", ""],
    ]
    layout.add_table(doc, widths, rows, align=["center", "left", "center"])


JOB = """# officekit 任务文件（空白任务）。# 后面是说明，officekit 不读。
ignore_sheets = ["说明"]              # 这些工作表不当数据读

[job]                                 # 任务本身
name = "我的任务"                     # 生成结果表格的标题
workbook = "工作簿.xlsx"              # 数据来自这个工作簿（与本文件在同一文件夹）
output = "output"                     # 生成的文件放在这个文件夹
pdf = "print"                         # print：只把汇总、单份文档转 PDF；all：每份都转；none：不转

[variables]                           # 单个的值从哪里来
sheet = "基本信息"                    # 这张表的每一行（项目 | 内容）是一个变量，模板里写 {{ 项目名 }}
items = { "年度" = "整数!", "成文日期" = "日期!" }   # 项目的类型：文本、数字、整数、日期；! 表示必须填

[tables."名单"]                       # 一张表的规则（表名就是工作表名）
key = "单位名称"                      # 这一列不能重复
columns = { "单位名称" = "文本!", "负责人" = "文本!", "范围" = "文本" }   # 列的类型，! 表示必须填

[[documents]]                         # 第一种文档：名单每行一份
name = "通知"                         # 结果表格里的名字
template = "每行一份.docx"            # 用这个 Word 模板
each = "名单"                         # 「名单」表每行生成一份
as = "行"                             # 模板里用 {{ 行.负责人 }} 或直接 {{ 负责人 }} 取这一行的列
output = "通知/{{ 编号 }}-{{ 单位名称 }}"   # 文件名：通知/01-城关镇.docx（编号是 01、02……）
combined = "通知汇总"                 # 另外把全部通知合成一个打印文件 通知汇总.docx

[[documents]]                         # 第二种文档：只生成一份
name = "名单"                         # 结果表格里的名字
template = "汇总.docx"                # 用这个 Word 模板（没有 each：只生成一份）
output = "单位名单"                   # 文件名：单位名单.docx
"""


def build_workbook(path: Path) -> None:
    wb = book.new_book()
    book.readme(
        wb,
        "空白任务：填表说明",
        [
            "「基本信息」每行一个变量：「项目」是名字，「内容」是值；模板里写 {{ 名字 }}。",
            "「名单」每行生成一份通知；表头（第 1 行）就是模板里的列名，如 {{ 单位名称 }}。",
            "想加一列：在「名单」表头加一格，在模板里写 {{ 新列名 }}；想加一张表：新建工作表，模板里用 {% for 行 in 表名 %}。",
            "写法见 officekit 的 docs/模板编写指南.md。改好后运行 officekit build 本文件夹，再用 officekit check 检查格式。",
        ],
    )
    book.info_sheet(wb, VARIABLES)
    book.sheet(wb, "名单", ["单位名称", "负责人", "范围"], ROWS, [22, 12, 30])
    book.save(wb, path)


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    build_workbook(FOLDER / "工作簿.xlsx")
    letter = build(LETTER, "每行一份（模板）")
    book.sign_off(letter)
    save_reproducible(letter, FOLDER / "每行一份.docx")
    summary = build(SUMMARY, "汇总（模板）", {"list_table": _list_table})
    layout.add_paragraph(summary, "tiny")
    save_reproducible(summary, FOLDER / "汇总.docx")
    (FOLDER / "officekit.toml").write_text(JOB, encoding="utf-8")
    print(FOLDER)


if __name__ == "__main__":
    main()
