"""Build the example job examples/安全生产责任书/: one 安全生产目标责任书 per unit and one
notice listing all units.

Its workbook is shaped unlike the shipped job's: units with their 负责人 and 职务, and a
long 考核指标 table keyed by unit with several rows each (the letter's table ends with a
合计 row the template adds up). All names are fictional. Run:
python tools/build_example_safety.py
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

FOLDER = ROOT / "examples" / "安全生产责任书"
WORKBOOK = "安全生产数据.xlsx"

VARIABLES = [
    ("县名", "青禾县", ""),
    ("年度", 2026, "只填数字"),
    ("甲方", "青禾县人民政府", "责任书的甲方"),
    ("发文机关", "青禾县安全生产委员会", "通知的署名"),
    ("签订日期", dt.date(2026, 3, 10), "责任书落款日期"),
    ("责任期限开始", dt.date(2026, 1, 1), ""),
    ("责任期限结束", dt.date(2026, 12, 31), ""),
    ("成文日期", dt.date(2026, 3, 2), "通知的成文日期"),
]
TOWN_GOAL = "辖区内不发生较大及以上生产安全事故，一般事故起数和死亡人数比上年下降"
DEPT_GOAL = "本行业领域不发生较大及以上生产安全事故，重大事故隐患按期整改率达到100%"
UNITS = [
    ("城关镇", "乡镇", "王建国", "镇长", TOWN_GOAL),
    ("河西镇", "乡镇", "李志强", "镇长", TOWN_GOAL),
    ("青石乡", "乡镇", "赵文华", "乡长", TOWN_GOAL),
    ("县应急管理局", "部门", "周明远", "局长", DEPT_GOAL),
    ("县住房和城乡建设局", "部门", "孙立新", "局长", DEPT_GOAL),
    ("县交通运输局", "部门", "钱海峰", "局长", DEPT_GOAL),
    ("县市场监督管理局", "部门", "吴春梅", "局长", DEPT_GOAL),
    ("县教育局", "部门", "郑晓东", "局长", DEPT_GOAL),
]
# (类别, 考核内容 for a 乡镇, for a 部门, 分值): five rows a unit, 100 points.
INDICATORS = [
    (
        "责任落实",
        "党政主要负责人每季度研究安全生产工作不少于1次，村（社区）安全生产网格全覆盖",
        "落实“管行业必须管安全”，制定本行业年度安全生产工作要点并按季度调度",
        20,
    ),
    (
        "隐患排查",
        "每月组织辖区企业和人员密集场所隐患排查，建立台账，按期整改",
        "每季度开展行业领域隐患排查整治，重大事故隐患挂牌督办、按期销号",
        30,
    ),
    (
        "宣传培训",
        "开展“安全生产月”活动，村（社区）安全知识宣传覆盖率达到90%以上",
        "组织本行业从业人员安全培训，特种作业人员持证上岗率达到100%",
        15,
    ),
    (
        "应急管理",
        "修订乡镇应急预案，每年组织综合应急演练不少于1次",
        "修订行业专项应急预案，每年组织专项演练不少于1次",
        15,
    ),
    (
        "事故控制",
        "未发生较大及以上生产安全事故，一般事故按规定及时报告",
        "本行业领域未发生较大及以上生产安全事故，事故信息按规定及时报告",
        20,
    ),
]


def build_workbook(path: Path) -> None:
    wb = book.new_book()
    book.readme(
        wb,
        "安全生产目标责任书：填表说明",
        [
            "「基本信息」每行一个项目：「项目」是模板里用的名字（如 甲方、签订日期），「内容」是它的值。",
            "「责任单位」每行一个签责任书的单位：单位名称（不能重复）、单位类别（乡镇/部门）、负责人、职务、责任目标。",
            "「考核指标」每行是某个单位的一项考核内容：单位名称用下拉列表选，每个单位的分值合计应为 100 分。",
            "日期填 2026-3-10 这样的格式，显示为 2026年3月10日；数字只填阿拉伯数字。",
            "改好后双击「生成公文.bat」（或运行 officekit build 本文件夹），结果在 output 文件夹。",
            "本表（说明）不当数据读取。",
        ],
    )
    book.info_sheet(wb, VARIABLES)
    units = book.sheet(
        wb,
        "责任单位",
        ["单位名称", "单位类别", "负责人", "职务", "责任目标"],
        UNITS,
        [22, 10, 10, 10, 60],
    )
    book.drop_down(units, "B2:B200", '"乡镇,部门"', "乡镇或部门")
    rows = [
        (unit, kind, town if unit_kind == "乡镇" else dept, points)
        for unit, unit_kind, *_ in UNITS
        for kind, town, dept, points in INDICATORS
    ]
    scores = book.sheet(
        wb, "考核指标", ["单位名称", "指标类别", "考核内容", "分值"], rows, [22, 12, 64, 8]
    )
    book.drop_down(scores, "A2:A500", "责任单位!$A$2:$A$200", "「责任单位」表中已有的单位")
    book.save(wb, path)


LETTER = [
    ("title", "{{ 年度 }}年度安全生产目标责任书"),
    ("party", "甲方：{{ 甲方 }}"),
    ("party", "乙方：{{ 单位名称 }}"),
    (
        "body",
        "为认真贯彻《中华人民共和国安全生产法》，落实“党政同责、一岗双责、齐抓共管、失职追责”"
        "的要求，有效防范和遏制生产安全事故，经甲乙双方协商，特签订本责任书。",
    ),
    ("h1", "一、责任目标"),
    ("body", "{{ 责任目标|句子 }}"),
    ("h1", "二、主要责任"),
    (
        "body",
        "乙方主要负责人{{ 负责人 }}（{{ 职务 }}）是本"
        '{% if 单位类别 == "乡镇" %}乡镇{% else %}单位{% endif %}'
        "安全生产第一责任人，对安全生产工作全面负责；分管负责人具体抓，确保责任落实到岗、到人。",
    ),
    ("h1", "三、考核指标"),
    ("body", "甲方按照下表对乙方进行年度考核，满分100分。"),
    ("score_table", ""),
    ("h1", "四、奖惩"),
    (
        "body",
        "考核结果纳入年度综合考核。考核优秀的，由甲方通报表扬；发生较大及以上生产安全事故的，"
        "年度考核实行一票否决，并依法依规追究责任。",
    ),
    ("h1", "五、责任期限"),
    ("body", "本责任书责任期限自{{ 责任期限开始 }}至{{ 责任期限结束 }}。"),
    ("h1", "六、其他"),
    ("body", "本责任书一式两份，甲乙双方各执一份，自签订之日起生效。"),
    ("blank", ""),
    ("signature", ""),
]

NOTICE = [
    ("title", "关于签订{{ 年度 }}年度安全生产责任书的通知"),
    ("greeting", "各乡镇人民政府，县直各有关单位："),
    (
        "body",
        "为压实安全生产责任，{{ 甲方 }}决定与下列{{ 责任单位|length }}个单位签订"
        "{{ 年度 }}年度安全生产目标责任书，每个单位的考核指标见各自的责任书。",
    ),
    ("unit_table", ""),
    (
        "body",
        "请各单位主要负责人于{{ 签订日期 }}到县应急管理局签订责任书，并将责任目标分解落实到"
        "本单位各岗位。",
    ),
]


def _score_table(doc) -> None:  # noqa: ANN001
    widths = [700, 1300, 0, 900]
    widths[2] = TEXT_WIDTH - sum(widths)
    rows = [
        ["序号", "类别", "考核内容", "分值"],
        ["{%tr for 指标 in 单位.考核指标 %}", "", "", ""],
        ["{{ loop.index }}", "{{ 指标.指标类别 }}", "{{ 指标.考核内容 }}", "{{ 指标.分值 }}"],
        ["{%tr endfor %}", "", "", ""],
        ["合计", "", "", '{{ 单位.考核指标|sum(attribute="分值") }}'],
    ]
    layout.add_table(doc, widths, rows, align=["center", "center", "both", "center"])


def _unit_table(doc) -> None:  # noqa: ANN001
    widths = [700, 0, 1100, 1100, 1100, 1500]
    widths[1] = TEXT_WIDTH - sum(widths)
    rows = [
        ["序号", "单位名称", "类别", "负责人", "职务", "考核指标"],
        ["{%tr for 单位 in 责任单位 %}", "", "", "", "", ""],
        [
            "{{ loop.index }}",
            "{{ 单位.单位名称 }}",
            "{{ 单位.单位类别 }}",
            "{{ 单位.负责人 }}",
            "{{ 单位.职务 }}",
            "{{ 单位.考核指标|length }} 项",
        ],
        ["{%tr endfor %}", "", "", "", "", ""],
    ]
    layout.add_table(
        doc, widths, rows, align=["center", "left", "center", "center", "center", "center"]
    )


JOB = """# officekit 任务文件：安全生产目标责任书（示例，officekit init 文件夹 --example 安全生产责任书）
ignore_sheets = ["说明"]            # 说明表不当数据读

[job]
name = "安全生产目标责任书"
workbook = "安全生产数据.xlsx"
output = "output"
pdf = "print"                      # 转 PDF：print 只转打印文件（汇总和通知）；all 每份都转；none 不转

[variables]
sheet = "基本信息"                  # 「项目」|「内容」表：每个项目是一个变量
items = { "年度" = "整数!", "签订日期" = "日期!", "责任期限开始" = "日期!", "责任期限结束" = "日期!", "甲方" = "文本!" }

[tables."责任单位"]
key = "单位名称"                    # 不能重复，考核指标按它找单位
columns = { "单位名称" = "文本!", "单位类别" = "文本!", "负责人" = "文本!", "职务" = "文本!", "责任目标" = "文本!" }
allowed = { "单位类别" = ["乡镇", "部门"] }

[tables."考核指标"]
columns = { "单位名称" = "文本!", "指标类别" = "文本!", "考核内容" = "文本!", "分值" = "数字!" }
references = { "单位名称" = "责任单位" }   # 每行属于一个责任单位：模板里写 单位.考核指标

[[checks]]                          # 每个单位的分值合计应为 100（不符时警告）
table = "考核指标"
group = "单位名称"
column = "分值"
equals = 100
per = "责任单位"

[[documents]]                       # 每个责任单位一份责任书
name = "安全生产目标责任书"
template = "责任书.docx"
each = "责任单位"
as = "单位"
output = "责任书/{{ 编号 }}-{{ 单位名称 }}"
combined = "责任书汇总"             # 全部责任书合成一个打印文件

[[documents]]                       # 一份通知，列出全部单位
name = "签订通知"
template = "通知.docx"
output = "签订责任书的通知"
"""


def build_templates(folder: Path) -> None:
    tables = {"score_table": _score_table, "unit_table": _unit_table}
    letter = build(LETTER, "安全生产目标责任书（模板）", tables)
    save_reproducible(letter, folder / "责任书.docx")
    notice = build(NOTICE, "签订安全生产目标责任书的通知（模板）", tables)
    book.sign_off(notice)
    save_reproducible(notice, folder / "通知.docx")


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    build_workbook(FOLDER / WORKBOOK)
    build_templates(FOLDER)
    (FOLDER / "officekit.toml").write_text(JOB, encoding="utf-8")
    print(FOLDER)


if __name__ == "__main__":
    main()
