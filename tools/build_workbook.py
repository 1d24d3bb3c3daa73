"""Build the shipped sample workbook ``sheets/禁毒工作数据.xlsx``.

The workbook is the data source for the shipped 全县禁毒工作会议 job: the county
head's speech reads 基本信息 and 统计数据, and one 目标责任书 is generated per row
of 责任单位 from 工作任务, 任务分工 and 考核指标.  All data is fictional
(青禾县 does not exist, every person name is invented).

Sheet names and header cells are a contract with the templates and the engine,
so they live in module constants and the self-check in ``__main__`` reads them
back from the written file.

Run from anywhere: ``python tools/build_workbook.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import pathlib
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = REPO_ROOT / "sheets" / "禁毒工作数据.xlsx"

# A fixed timestamp for the document properties and the zip entries, so that
# two builds produce byte-identical files and diffs only show real changes.
FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)

SHEET_README = "说明"
SHEET_INFO = "基本信息"
SHEET_STATS = "统计数据"
SHEET_UNITS = "责任单位"
SHEET_TASKS = "工作任务"
SHEET_DUTIES = "任务分工"
SHEET_SCORES = "考核指标"
SHEET_ORDER = (
    SHEET_README,
    SHEET_INFO,
    SHEET_STATS,
    SHEET_UNITS,
    SHEET_TASKS,
    SHEET_DUTIES,
    SHEET_SCORES,
)

HEADERS: dict[str, tuple[str, ...]] = {
    SHEET_INFO: ("项目", "内容", "填写说明"),
    SHEET_STATS: ("指标名称", "计量单位", "本年数", "上年数", "任务数", "类别", "备注"),
    SHEET_UNITS: ("单位名称", "单位类别", "工作目标"),
    SHEET_TASKS: ("任务编号", "任务类别", "任务内容"),
    SHEET_DUTIES: ("任务编号", "单位名称", "职责"),
    SHEET_SCORES: ("单位名称", "考核内容", "分值", "评分标准"),
}

CATEGORIES = ("打击整治", "管控戒治", "宣传预防", "源头治理", "保障支撑")
UNIT_KINDS = ("党委部门", "政法单位", "政府部门", "群团组织", "乡镇")
LEAD = "牵头"
ASSIST = "配合"
TOTAL_POINTS = 100

# Validations reach row 500 so that rows a clerk appends later still get the
# drop-down; the lookup ranges stop at 200, far above any county's unit count.
VALIDATION_LAST_ROW = 500
UNIT_LIST_FORMULA = f"{SHEET_UNITS}!$A$2:$A$200"
TASK_LIST_FORMULA = f"{SHEET_TASKS}!$A$2:$A$200"

FONT_NAME = "宋体"
FONT_SIZE = 11
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LONG_TEXT_WIDTH = 60

FMT_INT = "0"
FMT_DEC1 = "0.0"
# Seizures print as typed (1164.35, 402.1, 800): a speech says 402.1克, not 402.10克.
FMT_GRAMS = "General"
FMT_PCT = "0.0%"
FMT_DATE = 'yyyy"年"m"月"d"日"'

SPEAKER = "邵文昌"
REPORTER = "唐志远"

# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------

README_LINES: tuple[str, ...] = (
    "填写说明（请在修改数据前通读本页）",
    "一、本工作簿是生成全县禁毒工作会议讲话稿和各单位禁毒工作目标责任书的数据来源。"
    "程序按工作表名称和第一行表头读取数据，请勿修改、删除或调整工作表名称和表头单元格，"
    "也不要在数据中间插入空行或合并单元格。",
    "二、“基本信息”表填写县名、年度、会议名称和日期、讲话人、通报人、责任书甲方、"
    "责任期限、签订日期及奖惩办法等，讲话稿和责任书中的相应文字都取自这里。"
    "每年召开会议前，请更新统计年度、责任年度、会议日期、责任期限开始、责任期限结束和签订日期，"
    "人员变动时更新讲话人、通报人及其职务。",
    "三、“统计数据”表是讲话稿中引用的各项禁毒工作数据。每年只需更新“本年数”“上年数”“任务数”三列："
    "本年数填统计年度的数据，上年数填统计年度前一年的数据（可直接使用去年工作簿中的本年数），"
    "任务数填市禁毒委下达的任务数，没有任务的留空。指标名称不要改动，讲话稿按名称引用；"
    "确需增加指标的，在表格末尾添加新行。",
    "四、“责任单位”表每行一个签订责任书的单位，“工作目标”填写该单位本责任年度的主要目标，"
    "写成一句话，句末不加句号。每个单位会生成一份目标责任书。",
    "五、“工作任务”表列出本年度全县禁毒工作任务，任务编号按T01、T02……顺序填写，"
    "“任务内容”写成一句完整的话，句末不加句号。",
    "六、“任务分工”表每行表示一个单位承担一项任务，“职责”填写“牵头”或“配合”，"
    "每项任务有且只有一个牵头单位，每个单位至少承担两项任务。",
    "七、“考核指标”表列出每个单位的考核内容、分值和评分标准，每个单位的分值合计必须等于100分。",
    "八、新增责任单位时，请先在“责任单位”表末尾添加该单位，"
    "再到“任务分工”表为其添加承担的任务，到“考核指标”表为其添加考核内容，"
    "分值合计为100分；删除单位时，三张表中的相应行要一并删除。单位名称在各表中必须完全一致。",
    "九、带下拉箭头的单元格（类别、单位类别、任务类别、任务编号、单位名称、职责）"
    "必须从下拉列表中选择，不要手工输入，否则会提示输入有误。",
    "十、数字只填数字，不要带单位，例如填91，不要填“91起”；"
    "百分比按百分数输入，例如输入96.2%；日期按“年-月-日”格式输入，例如2026-3-5。",
    "十一、填写完成并保存、关闭本工作簿后，在Windows中双击“生成公文.bat”"
    "（其他系统运行“生成公文.sh”），然后到输出文件夹中查看生成的讲话稿和目标责任书。",
)

# (项目, 内容, number_format or None, 填写说明)
INFO_ROWS: tuple[tuple[str, object, str | None, str], ...] = (
    ("县名", "青禾县", None, "本县全称，用于标题和正文"),
    ("统计年度", 2025, FMT_INT, "统计数据所属年度，即“统计数据”表中本年数的年份"),
    ("责任年度", 2026, FMT_INT, "目标责任书约定的工作年度"),
    ("会议名称", "全县禁毒工作会议", None, "用于讲话稿标题"),
    ("会议日期", dt.date(2026, 3, 5), FMT_DATE, "召开会议的日期，按2026-3-5格式输入"),
    ("讲话人", SPEAKER, None, "讲话领导的姓名"),
    ("讲话人职务", "县委副书记、县长", None, "讲话领导的职务"),
    ("通报人", REPORTER, None, "会上通报禁毒工作情况的领导姓名，讲话稿开头引用"),
    ("通报人职务", "县委常委、政法委书记", None, "通报人的职务"),
    ("上级禁毒委", "市禁毒委", None, "下达任务数的上级禁毒委员会简称"),
    ("甲方", "青禾县禁毒委员会", None, "目标责任书的甲方（发文单位）"),
    ("甲方负责人职务", "县禁毒委员会主任", None, "甲方签字人的职务"),
    ("责任期限开始", dt.date(2026, 1, 1), FMT_DATE, "责任书有效期的第一天"),
    ("责任期限结束", dt.date(2026, 12, 31), FMT_DATE, "责任书有效期的最后一天"),
    ("签订日期", dt.date(2026, 3, 5), FMT_DATE, "责任书落款日期，一般为会议当天"),
    ("责任书份数", "两", None, "每份责任书一式几份，用汉字填写"),
    ("考核总分", TOTAL_POINTS, FMT_INT, "每个单位考核指标分值的合计，应为100"),
    (
        "奖励办法",
        "年度考核被评为优秀等次的单位，由县禁毒委员会予以通报表扬，"
        "考核结果按规定计入年度平安建设考核",
        None,
        "写入责任书奖惩条款，一句话，句末不加句号",
    ),
    (
        "追责办法",
        "对辖区内毒品问题严重、发生重大涉毒案件或未完成禁毒工作任务的单位，"
        "由县禁毒委员会约谈其主要负责人，并在年度平安建设考核中实行一票否决",
        None,
        "写入责任书奖惩条款，一句话，句末不加句号",
    ),
)

# (指标名称, 计量单位, 本年数, 上年数, 任务数, number_format, 类别, 备注)
# The first 19 names are referenced by the speech template; keep them first.
STAT_ROWS: tuple[tuple[str, str, float, float, float | None, str, str, str], ...] = (
    ("破获毒品刑事案件", "起", 91, 80, 89, FMT_INT, "打击整治", ""),
    ("其中重大毒品案件", "起", 12, 9, None, FMT_INT, "打击整治", "含于破获毒品刑事案件"),
    ("抓获毒品犯罪嫌疑人", "人", 126, 104, 120, FMT_INT, "打击整治", ""),
    ("刑事拘留", "人", 98, 86, None, FMT_INT, "打击整治", "毒品犯罪嫌疑人中被刑事拘留的"),
    ("缴获毒品总量", "克", 1164.35, 817.2, 800, FMT_GRAMS, "打击整治", ""),
    ("其中海洛因", "克", 402.1, 365.5, None, FMT_GRAMS, "打击整治", "含于缴获毒品总量"),
    ("其中冰毒", "克", 655.86, 390.4, None, FMT_GRAMS, "打击整治", "含于缴获毒品总量"),
    ("查处吸毒违法人员", "人次", 238, 251, None, FMT_INT, "打击整治", ""),
    ("在册吸毒人员", "人", 1046, 1102, None, FMT_INT, "管控戒治", "年末数"),
    ("新发现吸毒人员", "人", 62, 107, None, FMT_INT, "管控戒治", ""),
    ("强制隔离戒毒", "人", 85, 79, 80, FMT_INT, "管控戒治", "全年决定强制隔离戒毒人数"),
    ("社区戒毒社区康复执行率", "%", 0.962, 0.931, 0.95, FMT_PCT, "管控戒治", ""),
    ("禁毒宣传活动", "场次", 156, 132, None, FMT_INT, "宣传预防", ""),
    ("受教育群众", "万人次", 12.6, 10.8, None, FMT_DEC1, "宣传预防", ""),
    ("禁毒经费投入", "万元", 86, 86, None, FMT_INT, "保障支撑", "县级财政预算安排"),
    ("创建无毒社区", "个", 18, 12, 15, FMT_INT, "源头治理", "当年新创建数"),
    ("禁毒社工", "人", 35, 28, None, FMT_INT, "保障支撑", "与在册吸毒人员约为1：30"),
    ("铲除非法种植罂粟", "株", 3260, 4518, None, FMT_INT, "源头治理", ""),
    ("查处易制毒化学品违法案件", "起", 5, 3, None, FMT_INT, "源头治理", ""),
    # Extra indicators that real speeches quote; they are sub-counts of
    # 在册吸毒人员 and are kept well below it so the figures stay consistent.
    ("社区戒毒人员", "人", 146, 138, None, FMT_INT, "管控戒治", "年末在管数"),
    ("社区康复人员", "人", 203, 187, None, FMT_INT, "管控戒治", "年末在管数"),
    ("戒毒药物维持治疗在治人员", "人", 64, 71, None, FMT_INT, "管控戒治", "年末在治数"),
)

# Township names are invented; the county is fictional, so are they.
# (name, 无毒社区 to create in 2026) — the counts add up to more than the
# county-wide target of 15 so the county target is covered by the townships.
TOWNSHIPS: tuple[tuple[str, int], ...] = (
    ("城关镇", 3),
    ("河西镇", 2),
    ("禾丰镇", 2),
    ("柳塘镇", 2),
    ("清水铺镇", 2),
    ("青石乡", 1),
    ("杏坪乡", 1),
    ("双河乡", 1),
    ("梨花乡", 1),
    ("云岭乡", 1),
)
TOWNSHIP_NAMES = tuple(name for name, _ in TOWNSHIPS)

# (单位名称, 单位类别, 工作目标) for the county-level units, in the order
# county documents list them: party organs, 政法, government, mass groups.
# 县融媒体中心 and 县邮政分公司 are not government departments strictly, but the
# contract allows only five kinds and 政府部门 is where a county list puts them.
COUNTY_UNITS: tuple[tuple[str, str, str], ...] = (
    (
        "县委政法委",
        "党委部门",
        "统筹协调全县禁毒工作，全年新创建无毒社区不少于15个，"
        "按与在册吸毒人员1：30的比例配齐禁毒社工，完成市禁毒委下达的各项考核任务",
    ),
    (
        "县委宣传部",
        "党委部门",
        "组织开展“6·26”国际禁毒日集中宣传活动，全年在县级媒体刊播禁毒宣传报道不少于60篇（条），"
        "禁毒宣传受教育群众不少于13万人次",
    ),
    (
        "县公安局",
        "政法单位",
        "全年破获毒品刑事案件不少于90起、抓获毒品犯罪嫌疑人不少于120人、缴获毒品不少于800克，"
        "在册吸毒人员管控率达到100%",
    ),
    (
        "县人民检察院",
        "政法单位",
        "毒品犯罪案件依法审查起诉率达到100%，重大毒品案件提前介入引导侦查率达到100%",
    ),
    (
        "县人民法院",
        "政法单位",
        "毒品犯罪案件审限内结案率达到100%，全年组织毒品犯罪案件公开宣判不少于2次",
    ),
    (
        "县司法局",
        "政法单位",
        "社区戒毒社区康复执行率不低于95%，强制隔离戒毒出所人员衔接率达到100%，"
        "全年开展禁毒法治宣传不少于20场次",
    ),
    (
        "县教育局",
        "政府部门",
        "全县中小学毒品预防教育覆盖率达到100%，每学期禁毒教育不少于2课时，实现在校学生零涉毒",
    ),
    (
        "县卫生健康局",
        "政府部门",
        "戒毒药物维持治疗年保持率不低于80%，麻醉药品和精神药品管理无流失，"
        "按时完成强制隔离戒毒人员收治体检",
    ),
    (
        "县民政局",
        "政府部门",
        "将符合条件的戒毒康复人员全部纳入社会救助范围，应助尽助率达到100%，配合做好禁毒社工招聘和管理",
    ),
    (
        "县人力资源和社会保障局",
        "政府部门",
        "全年为戒毒康复人员提供职业技能培训不少于50人次，"
        "有就业意愿的戒毒康复人员就业安置率不低于60%",
    ),
    (
        "县财政局",
        "政府部门",
        "将禁毒工作经费全额纳入县级财政预算，全年禁毒经费投入不低于90万元并及时足额拨付",
    ),
    (
        "县市场监督管理局",
        "政府部门",
        "易制毒化学品经营单位和药品零售企业监督检查覆盖率达到100%，实现易制毒化学品零流失",
    ),
    (
        "县应急管理局",
        "政府部门",
        "非药品类易制毒化学品生产经营单位许可备案率和流向核查率均达到100%，实现零流失",
    ),
    (
        "县文化和旅游局",
        "政府部门",
        "全县娱乐场所禁毒检查覆盖率达到100%，实现娱乐场所零涉毒，全年组织禁毒文艺演出不少于6场",
    ),
    (
        "县交通运输局",
        "政府部门",
        "寄递物流企业实名收寄、收寄验视、过机安检三项制度落实率达到100%，"
        "配合完成交通要道毒品查缉任务",
    ),
    (
        "县农业农村局",
        "政府部门",
        "全县农户禁种承诺书签订率达到100%，配合完成春季、夏季两轮禁种铲毒踏查，"
        "实现非法种植毒品原植物零种植",
    ),
    (
        "县林业局",
        "政府部门",
        "全县林区、荒山禁种铲毒踏查覆盖率达到100%，航测发现疑似种植点核查率达到100%",
    ),
    (
        "县住房和城乡建设局",
        "政府部门",
        "全县在建工地禁毒宣传覆盖率达到100%，配合创建无毒小区不少于3个",
    ),
    (
        "县融媒体中心",
        "政府部门",
        "在广播电视和新媒体平台常设禁毒专栏，全年播发禁毒宣传报道和公益广告不少于80条次",
    ),
    (
        "县邮政分公司",
        "政府部门",
        "实名收寄、收寄验视、过机安检三项制度落实率达到100%，从业人员禁毒培训覆盖率达到100%",
    ),
    (
        "团县委",
        "群团组织",
        "组建青少年禁毒志愿服务队不少于10支，全年开展青少年禁毒志愿服务活动不少于20场次",
    ),
    (
        "县妇联",
        "群团组织",
        "全年开展“禁毒进家庭”宣传活动不少于30场次，覆盖全县各乡镇妇女儿童之家",
    ),
    (
        "县总工会",
        "群团组织",
        "全年开展职工禁毒宣传活动不少于15场次，协助安置戒毒康复人员就业不少于10人",
    ),
)


def township_target(new_communities: int) -> str:
    """Township targets share one wording; only the 无毒社区 quota differs."""
    return (
        "辖区吸毒人员排查管控率达到100%，社区戒毒社区康复执行率不低于95%，"
        f"新创建无毒社区{new_communities}个，实现非法种植毒品原植物零发现"
    )


UNITS: tuple[tuple[str, str, str], ...] = COUNTY_UNITS + tuple(
    (name, "乡镇", township_target(count)) for name, count in TOWNSHIPS
)

# (任务类别, 任务内容, 牵头单位, 配合单位) grouped by category in CATEGORIES
# order; 任务编号 is assigned from the position so the numbering cannot drift.
# A 配合 entry "乡镇" stands for every township.
ALL_TOWNSHIPS = "乡镇"
TASK_SPECS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "打击整治",
        "严厉打击走私、贩卖、运输、制造毒品犯罪，深挖毒品来源和贩毒网络，坚决摧毁贩毒团伙",
        "县公安局",
        (),
    ),
    (
        "打击整治",
        "依法从严从快审查起诉和审判毒品犯罪案件，对毒枭、职业毒犯和累犯、再犯依法从重惩处",
        "县人民检察院",
        ("县人民法院", "县公安局"),
    ),
    (
        "打击整治",
        "加强娱乐场所禁毒检查，落实娱乐场所禁毒责任制，对涉毒场所依法从严处罚直至停业整顿",
        "县公安局",
        ("县文化和旅游局", "县市场监督管理局"),
    ),
    (
        "打击整治",
        "开展寄递物流渠道和公路交通要道毒品查缉，严防毒品经物流寄递渠道流入流出",
        "县公安局",
        ("县交通运输局", "县邮政分公司"),
    ),
    (
        "打击整治",
        "开展网络涉毒违法犯罪专项整治，及时清理网上涉毒有害信息",
        "县公安局",
        ("县委宣传部",),
    ),
    (
        "管控戒治",
        "全面排查辖区吸毒人员，落实吸毒人员动态管控和风险分类评估，做到底数清、情况明",
        "县公安局",
        (ALL_TOWNSHIPS,),
    ),
    (
        "管控戒治",
        "落实社区戒毒社区康复工作，规范执行协议签订和帮教措施，确保执行率稳定在95%以上",
        "县司法局",
        ("县卫生健康局", "县民政局", ALL_TOWNSHIPS),
    ),
    (
        "管控戒治",
        "对符合条件的吸毒人员依法决定强制隔离戒毒，做好病残吸毒人员收治，做到应收尽收",
        "县公安局",
        ("县司法局", "县卫生健康局"),
    ),
    (
        "管控戒治",
        "开展戒毒药物维持治疗和吸毒人员疾病救治，提高维持治疗保持率",
        "县卫生健康局",
        (),
    ),
    (
        "管控戒治",
        "做好戒毒康复人员就业安置和社会救助，将符合条件的人员纳入最低生活保障和临时救助范围",
        "县人力资源和社会保障局",
        ("县民政局", "县总工会"),
    ),
    (
        "宣传预防",
        "开展青少年毒品预防教育，推动禁毒教育进学校、进课堂，防止新型毒品向青少年蔓延",
        "县教育局",
        ("团县委", "县妇联"),
    ),
    (
        "宣传预防",
        "组织开展“6·26”国际禁毒日等集中宣传活动，推动禁毒宣传进农村、进社区、进家庭",
        "县委宣传部",
        ("县融媒体中心", "县教育局", "县文化和旅游局", "团县委", ALL_TOWNSHIPS),
    ),
    (
        "宣传预防",
        "在广播电视和新媒体平台开设禁毒专栏，常态化播发禁毒公益广告和典型案例",
        "县融媒体中心",
        ("县委宣传部",),
    ),
    (
        "宣传预防",
        "落实毒品犯罪案件公开宣判和以案释法制度，发挥典型案例的警示教育作用",
        "县人民法院",
        ("县人民检察院", "县司法局"),
    ),
    (
        "宣传预防",
        "开展禁毒进家庭、进企业活动，发挥妇女儿童之家和职工之家的禁毒宣传阵地作用",
        "县妇联",
        ("县总工会",),
    ),
    (
        "宣传预防",
        "在建筑工地、物流园区等务工人员集中场所开展禁毒宣传和涉毒隐患排查",
        "县住房和城乡建设局",
        ("县交通运输局", "县总工会"),
    ),
    (
        "源头治理",
        "督促寄递物流企业落实实名收寄、收寄验视和过机安检三项制度，堵塞寄递环节涉毒漏洞",
        "县交通运输局",
        ("县邮政分公司",),
    ),
    (
        "源头治理",
        "组织春季、夏季禁种铲毒专项行动，对非法种植毒品原植物做到发现一起、铲除一起、查处一起",
        "县公安局",
        ("县农业农村局", "县林业局", ALL_TOWNSHIPS),
    ),
    (
        "源头治理",
        "运用无人机航测和卫星遥感，对林区、荒山和偏远地段开展禁种铲毒重点踏查",
        "县林业局",
        ("县公安局", "县农业农村局"),
    ),
    (
        "源头治理",
        "加强易制毒化学品生产、经营、购买、运输全链条监管，严防易制毒化学品流入非法渠道",
        "县市场监督管理局",
        ("县应急管理局", "县公安局"),
    ),
    (
        "源头治理",
        "严格非药品类易制毒化学品生产经营许可和备案管理，定期开展流向核查",
        "县应急管理局",
        ("县公安局", "县市场监督管理局"),
    ),
    (
        "源头治理",
        "加强医疗机构和药品零售企业麻醉药品、精神药品管理，防止流入非法渠道",
        "县卫生健康局",
        ("县市场监督管理局",),
    ),
    (
        "源头治理",
        "深入开展无毒社区创建活动，推动物业小区、村（社区）落实禁毒措施",
        "县委政法委",
        ("县民政局", "县住房和城乡建设局", ALL_TOWNSHIPS),
    ),
    (
        "保障支撑",
        "将禁毒工作经费纳入县级财政预算，保障禁毒专项经费及时足额拨付",
        "县财政局",
        (),
    ),
    (
        "保障支撑",
        "健全县、乡、村三级禁毒工作机构，按比例配齐配强禁毒社工队伍",
        "县委政法委",
        ("县民政局", "县财政局", "县人力资源和社会保障局"),
    ),
    (
        "保障支撑",
        "落实禁毒工作责任制，开展禁毒工作督导考核，对毒品问题突出的地区挂牌督办",
        "县委政法委",
        (),
    ),
)

# The closing item of most county units' score sheets: the generic
# "did the unit run its own 禁毒 duty system" item found in real 责任书.
DUTY_SYSTEM = ("禁毒工作责任制落实", "研究部署、台账资料齐全得满分，缺一项扣5分")

# (考核内容, 分值, 评分标准) per county unit; townships share TOWNSHIP_SCORES.
COUNTY_SCORES: dict[str, tuple[tuple[str, int, str], ...]] = {
    "县委政法委": (
        ("禁毒工作组织协调", 30, "按时召开禁毒委员会议、制定年度方案得满分，缺一项扣10分"),
        ("无毒社区创建", 25, "新创建无毒社区达到15个得满分，每少1个扣2分"),
        ("禁毒社工队伍建设", 20, "禁毒社工配比达到1：30得满分，每少1人扣2分"),
        ("督导考核", 25, "每季度开展一次督导检查得满分，每少一次扣6分"),
    ),
    "县委宣传部": (
        ("“6·26”集中宣传", 35, "按方案组织集中宣传活动得满分，未组织不得分"),
        ("禁毒宣传报道", 30, "刊播报道达到60篇（条）得满分，每少5篇扣3分"),
        ("网络涉毒舆情处置", 20, "涉毒舆情及时处置得满分，处置不力一次扣5分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县公安局": (
        ("破获毒品刑事案件", 30, "完成任务数得满分，每少1起扣1分，扣完为止"),
        ("缴获毒品", 20, "完成缴毒任务数得满分，每少50克扣1分，扣完为止"),
        ("吸毒人员管控", 20, "管控率达到100%得满分，每失控1人扣2分"),
        ("易制毒化学品管理", 15, "流向核查全覆盖得满分，发生流失一起扣5分"),
        ("禁毒宣传", 15, "全年开展禁毒宣传不少于30场次得满分，每少1场次扣1分"),
    ),
    "县人民检察院": (
        ("毒品犯罪案件审查起诉", 40, "依法及时审查起诉得满分，超期一件扣5分"),
        ("重大毒品案件提前介入", 25, "提前介入率达到100%得满分，每少一件扣5分"),
        ("以案释法", 20, "全年发布毒品犯罪典型案例不少于2件得满分，每少1件扣10分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县人民法院": (
        ("毒品犯罪案件审判", 40, "依法从严惩处毒品犯罪得满分，发现量刑畸轻一件扣5分"),
        ("公开宣判", 25, "全年公开宣判不少于2次得满分，每少1次扣12分"),
        ("审判质效", 20, "审限内结案率达到100%得满分，超审限一件扣5分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县司法局": (
        ("社区戒毒社区康复执行", 40, "执行率达到95%得满分，每低1个百分点扣4分"),
        ("出所人员衔接", 25, "强制隔离戒毒出所人员衔接率达到100%得满分，每漏接1人扣5分"),
        ("禁毒法治宣传", 20, "全年开展法治宣传不少于20场次得满分，每少1场次扣1分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县教育局": (
        ("毒品预防教育课时", 35, "每学期禁毒教育不少于2课时得满分，抽查一校未落实扣5分"),
        ("“6·26”主题教育活动", 25, "全县中小学全部开展主题活动得满分，每缺一校扣2分"),
        ("在校学生涉毒", 25, "在校学生零涉毒得满分，发现一人扣10分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县卫生健康局": (
        ("戒毒药物维持治疗", 30, "年保持率达到80%得满分，每低1个百分点扣2分"),
        ("麻醉药品精神药品管理", 25, "全年无流失得满分，发生流失一起扣10分"),
        ("强制隔离戒毒收治配合", 25, "按时完成收治体检得满分，延误一次扣5分"),
        (DUTY_SYSTEM[0], 20, DUTY_SYSTEM[1]),
    ),
    "县民政局": (
        ("戒毒康复人员社会救助", 35, "符合条件人员全部纳入救助得满分，漏保一人扣5分"),
        ("社区戒毒社区康复配合", 25, "按要求落实帮扶措施得满分，缺一项扣5分"),
        ("禁毒社工招聘管理", 25, "按计划完成招聘和培训得满分，每缺1人扣3分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县人力资源和社会保障局": (
        ("戒毒康复人员就业安置", 40, "就业安置率达到60%得满分，每低5个百分点扣4分"),
        ("职业技能培训", 30, "培训达到50人次得满分，每少5人次扣3分"),
        ("禁毒社工岗位保障", 15, "落实岗位设置和薪酬待遇得满分，未落实不得分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县财政局": (
        ("禁毒经费纳入预算", 40, "禁毒经费全额纳入预算得满分，未纳入不得分"),
        ("专项经费拨付", 30, "专项经费按时足额拨付得满分，延迟一次扣5分"),
        ("经费使用监管", 15, "开展经费使用检查得满分，未开展不得分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县市场监督管理局": (
        ("易制毒化学品监管", 35, "检查覆盖率达到100%得满分，发生流失一起扣10分"),
        ("娱乐场所联合检查", 25, "按要求参加联合检查得满分，缺席一次扣5分"),
        ("药品零售企业监管", 25, "检查覆盖率达到100%得满分，每漏查一家扣2分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县应急管理局": (
        ("许可和备案管理", 40, "许可备案率达到100%得满分，每漏一家扣5分"),
        ("流向核查", 30, "流向核查率达到100%得满分，每漏查一家扣5分"),
        ("联合执法检查", 15, "按要求参加联合检查得满分，缺席一次扣5分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县文化和旅游局": (
        ("娱乐场所禁毒管理", 40, "娱乐场所零涉毒得满分，发现涉毒场所一家扣10分"),
        ("娱乐场所禁毒检查", 20, "检查覆盖率达到100%得满分，每漏查一家扣2分"),
        ("禁毒文艺宣传", 25, "全年组织文艺演出不少于6场得满分，每少1场扣4分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县交通运输局": (
        ("寄递三项制度落实", 35, "三项制度落实率达到100%得满分，抽查一家未落实扣5分"),
        ("毒品查缉配合", 25, "按要求配合查缉得满分，配合不力一次扣5分"),
        ("务工人员禁毒宣传", 20, "物流园区宣传全覆盖得满分，每漏一处扣4分"),
        (DUTY_SYSTEM[0], 20, DUTY_SYSTEM[1]),
    ),
    "县农业农村局": (
        ("禁种宣传和承诺", 30, "禁种承诺书签订率达到100%得满分，每低1个百分点扣1分"),
        ("禁种铲毒踏查", 40, "完成两轮踏查得满分，每少一轮扣20分"),
        ("农技人员巡查", 15, "结合农技服务开展巡查得满分，未开展不得分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县林业局": (
        ("林区踏查", 45, "林区、荒山踏查全覆盖得满分，每漏一片区扣5分"),
        ("航测疑似点核查", 25, "疑似种植点核查率达到100%得满分，每漏一处扣5分"),
        ("护林员巡查", 15, "护林员巡查记录完整得满分，缺失一次扣3分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县住房和城乡建设局": (
        ("在建工地禁毒宣传", 40, "在建工地宣传全覆盖得满分，每漏一处扣4分"),
        ("工地涉毒隐患排查", 30, "每半年排查一次得满分，每少一次扣15分"),
        ("无毒小区创建配合", 15, "配合创建无毒小区3个得满分，每少1个扣5分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县融媒体中心": (
        ("禁毒专栏", 40, "常设禁毒专栏并按期更新得满分，停更一月扣5分"),
        ("禁毒公益广告和报道", 30, "全年播发达到80条次得满分，每少5条次扣3分"),
        ("“6·26”宣传报道", 15, "集中宣传期间报道不少于5条得满分，每少1条扣3分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县邮政分公司": (
        ("寄递三项制度落实", 45, "三项制度落实率达到100%得满分，抽查一处未落实扣5分"),
        ("从业人员禁毒培训", 25, "培训覆盖率达到100%得满分，每低10个百分点扣5分"),
        ("毒品查缉配合", 15, "及时报告可疑邮件并配合查缉得满分，迟报一次扣5分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "团县委": (
        ("青少年禁毒志愿服务", 40, "组建志愿服务队达到10支得满分，每少1支扣4分"),
        ("青少年禁毒活动", 30, "全年开展活动不少于20场次得满分，每少1场次扣1.5分"),
        ("“6·26”宣传参与", 15, "按方案参加集中宣传得满分，未参加不得分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县妇联": (
        ("禁毒进家庭活动", 40, "全年开展活动不少于30场次得满分，每少1场次扣1分"),
        ("家庭毒品预防教育", 30, "各乡镇妇女儿童之家全覆盖得满分，每缺一个乡镇扣3分"),
        ("青少年毒品预防配合", 15, "按要求配合教育部门开展活动得满分，未配合不得分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
    "县总工会": (
        ("职工禁毒宣传", 40, "全年开展活动不少于15场次得满分，每少1场次扣2分"),
        ("戒毒康复人员就业帮扶", 30, "协助安置就业达到10人得满分，每少1人扣3分"),
        ("务工人员禁毒宣传", 15, "配合开展工地、园区宣传得满分，未配合不得分"),
        (DUTY_SYSTEM[0], 15, DUTY_SYSTEM[1]),
    ),
}

TOWNSHIP_SCORES: tuple[tuple[str, int, str], ...] = (
    ("吸毒人员排查管控", 25, "排查管控率达到100%得满分，每失控1人扣2分"),
    ("社区戒毒社区康复执行", 25, "执行率达到95%得满分，每低1个百分点扣3分"),
    ("禁种铲毒", 20, "辖区内未发现非法种植得满分，发现一起扣5分"),
    ("禁毒宣传", 15, "全年开展宣传不少于10场次得满分，每少1场次扣1.5分"),
    ("无毒社区创建", 15, "完成年度创建任务得满分，每少1个扣5分"),
)


# --------------------------------------------------------------------------
# Derived rows
# --------------------------------------------------------------------------


def task_rows() -> list[tuple[str, str, str]]:
    """(任务编号, 任务类别, 任务内容); numbers follow the spec order."""
    return [
        (f"T{index:02d}", category, text)
        for index, (category, text, _, _) in enumerate(TASK_SPECS, start=1)
    ]


def expand_units(names: Iterable[str]) -> list[str]:
    """Replace the ALL_TOWNSHIPS marker with every township, in list order."""
    result: list[str] = []
    for name in names:
        result.extend(TOWNSHIP_NAMES if name == ALL_TOWNSHIPS else (name,))
    return result


def duty_rows() -> list[tuple[str, str, str]]:
    """(任务编号, 单位名称, 职责): lead first, then helpers in 责任单位 order."""
    unit_order = {name: index for index, (name, _, _) in enumerate(UNITS)}
    rows: list[tuple[str, str, str]] = []
    for index, (_, _, lead, helpers) in enumerate(TASK_SPECS, start=1):
        task_id = f"T{index:02d}"
        rows.append((task_id, lead, LEAD))
        for unit in sorted(expand_units(helpers), key=unit_order.__getitem__):
            rows.append((task_id, unit, ASSIST))
    return rows


def score_rows() -> list[tuple[str, str, int, str]]:
    """(单位名称, 考核内容, 分值, 评分标准) in 责任单位 order."""
    rows: list[tuple[str, str, int, str]] = []
    for name, kind, _ in UNITS:
        items = TOWNSHIP_SCORES if kind == "乡镇" else COUNTY_SCORES[name]
        rows.extend((name, item, points, rule) for item, points, rule in items)
    return rows


# --------------------------------------------------------------------------
# Formatting helpers
# --------------------------------------------------------------------------


def display_width(value: object) -> float:
    """Approximate Excel column units: CJK glyphs are about twice as wide."""
    if value is None:
        return 0
    if isinstance(value, float):
        text = f"{value:.2f}"
    elif isinstance(value, dt.date):
        text = "2026年12月31日"
    else:
        text = str(value)
    return sum(2.0 if ord(char) > 0x2E7F else 1.1 for char in text)


def write_table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    formats: dict[int, str] | None = None,
    long_text: Iterable[int] = (),
) -> None:
    """Write a header row and data rows with the shared look of every data sheet.

    ``formats`` maps a 1-based column to its number format; ``long_text``
    lists columns that wrap and are capped at LONG_TEXT_WIDTH.
    """
    formats = formats or {}
    wrap_columns = set(long_text)
    font = Font(name=FONT_NAME, size=FONT_SIZE)
    header_font = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)

    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")

    for row in rows:
        # Empty strings become truly empty cells: the engine treats "" and
        # None alike, but Excel filters and COUNTA do not.
        ws.append([None if value == "" else value for value in row])
        for cell in ws[ws.max_row]:
            cell.font = font
            cell.border = BORDER
            wrap = cell.column in wrap_columns
            cell.alignment = Alignment(vertical="center", wrap_text=wrap)
            number_format = formats.get(cell.column)
            if number_format and cell.value is not None:
                cell.number_format = number_format

    for column in range(1, len(headers) + 1):
        widest = max(
            display_width(ws.cell(row=r, column=column).value) for r in range(1, ws.max_row + 1)
        )
        cap = LONG_TEXT_WIDTH if column in wrap_columns else 40
        width = min(max(widest + 2, display_width(headers[column - 1]) + 4), cap)
        ws.column_dimensions[get_column_letter(column)].width = round(width, 1)

    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{ws.max_row}"


def add_list_validation(ws: Worksheet, column: str, formula: str, what: str, choices: str) -> None:
    """Attach a drop-down to rows 2..VALIDATION_LAST_ROW of one column.

    ``formula`` is either a quoted literal list or a range on another sheet
    (stored without the leading "=", as the file format wants).
    """
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,  # False means "show the arrow" in the file format.
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="输入有误",
        error=f"{what}必须从下拉列表中选择（{choices}），请重新输入。",
        showInputMessage=True,
        promptTitle=what,
        prompt=f"请从下拉列表中选择{what}。",
    )
    validation.add(f"{column}2:{column}{VALIDATION_LAST_ROW}")
    ws.add_data_validation(validation)


def literal_list(values: Sequence[str]) -> str:
    return '"' + ",".join(values) + '"'


# --------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------


def build_readme(ws: Worksheet) -> None:
    title_font = Font(name=FONT_NAME, size=14, bold=True)
    font = Font(name=FONT_NAME, size=FONT_SIZE)
    for row, text in enumerate(README_LINES, start=1):
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = title_font if row == 1 else font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 100


def build_info(ws: Worksheet) -> None:
    write_table(
        ws,
        HEADERS[SHEET_INFO],
        [(item, value, note) for item, value, _, note in INFO_ROWS],
        long_text=(2, 3),
    )
    for row, (_, _, number_format, _) in enumerate(INFO_ROWS, start=2):
        cell = ws.cell(row=row, column=2)
        if number_format:
            cell.number_format = number_format
            # Numbers and dates read best left-aligned among the text values.
            cell.alignment = Alignment(horizontal="left", vertical="center")


def build_stats(ws: Worksheet) -> None:
    rows = [
        (name, unit, this_year, last_year, task, category, note)
        for name, unit, this_year, last_year, task, _, category, note in STAT_ROWS
    ]
    write_table(ws, HEADERS[SHEET_STATS], rows, long_text=(7,))
    # Formats differ per row (克 with decimals, % as percent), so they are set
    # per cell on 本年数/上年数/任务数.
    for row, spec in enumerate(STAT_ROWS, start=2):
        for column in (3, 4, 5):
            ws.cell(row=row, column=column).number_format = spec[5]
    add_list_validation(ws, "F", literal_list(CATEGORIES), "类别", "、".join(CATEGORIES))


def build_units(ws: Worksheet) -> None:
    write_table(ws, HEADERS[SHEET_UNITS], UNITS, long_text=(3,))
    add_list_validation(ws, "B", literal_list(UNIT_KINDS), "单位类别", "、".join(UNIT_KINDS))


def build_tasks(ws: Worksheet) -> None:
    write_table(ws, HEADERS[SHEET_TASKS], task_rows(), long_text=(3,))
    add_list_validation(ws, "B", literal_list(CATEGORIES), "任务类别", "、".join(CATEGORIES))


def build_duties(ws: Worksheet) -> None:
    write_table(ws, HEADERS[SHEET_DUTIES], duty_rows())
    add_list_validation(ws, "A", TASK_LIST_FORMULA, "任务编号", "工作任务表中的编号")
    add_list_validation(ws, "B", UNIT_LIST_FORMULA, "单位名称", "责任单位表中的单位")
    add_list_validation(ws, "C", literal_list((LEAD, ASSIST)), "职责", "牵头、配合")


def build_scores(ws: Worksheet) -> None:
    write_table(ws, HEADERS[SHEET_SCORES], score_rows(), formats={3: FMT_INT}, long_text=(4,))
    add_list_validation(ws, "A", UNIT_LIST_FORMULA, "单位名称", "责任单位表中的单位")


def save_reproducibly(wb: WorkbookType, path: pathlib.Path) -> None:
    """Save with fixed timestamps so that rebuilding gives identical bytes.

    ``Workbook.save`` stamps ``modified`` with the current time and zipfile
    stamps every member with it too; ExcelWriter skips the former and the
    re-pack below fixes the latter.
    """
    wb.properties.creator = "officekit"
    wb.properties.lastModifiedBy = "officekit"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()

    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))


def build_workbook(path: pathlib.Path) -> None:
    """Write the complete sample workbook to ``path``."""
    wb = Workbook()
    readme = wb.active
    assert readme is not None
    readme.title = SHEET_README
    build_readme(readme)
    build_info(wb.create_sheet(SHEET_INFO))
    build_stats(wb.create_sheet(SHEET_STATS))
    build_units(wb.create_sheet(SHEET_UNITS))
    build_tasks(wb.create_sheet(SHEET_TASKS))
    build_duties(wb.create_sheet(SHEET_DUTIES))
    build_scores(wb.create_sheet(SHEET_SCORES))
    # The clerk should land on the instructions when opening the file; Excel
    # wants both the workbook's active tab and the sheet's own selected flag.
    wb.active = 0
    readme.sheet_view.tabSelected = True
    save_reproducibly(wb, path)


# --------------------------------------------------------------------------
# Self-check
# --------------------------------------------------------------------------


def read_table(ws: Worksheet) -> list[dict[str, object]]:
    header = [cell.value for cell in ws[1]]
    return [
        dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)
    ]


def self_check(path: pathlib.Path) -> dict[str, int]:
    """Re-open the written file and assert the contract; return row counts."""
    wb = load_workbook(path, data_only=False)
    assert tuple(wb.sheetnames) == SHEET_ORDER, wb.sheetnames
    assert wb.active is not None and wb.active.title == SHEET_README

    for name, headers in HEADERS.items():
        ws = wb[name]
        assert tuple(cell.value for cell in ws[1]) == headers, name
        assert not ws.merged_cells.ranges, f"{name} has merged cells"
        for row in ws.iter_rows(min_row=2):
            assert any(cell.value is not None for cell in row), f"blank row in {name}"
            for cell in row:
                assert cell.data_type != "f", f"formula in {name}!{cell.coordinate}"

    info = {row["项目"]: row["内容"] for row in read_table(wb[SHEET_INFO])}
    assert info["县名"] == "青禾县" and info["统计年度"] == 2025
    assert info["讲话人"] != info["通报人"]
    assert isinstance(info["会议日期"], dt.datetime)

    stats = {row["指标名称"]: row for row in read_table(wb[SHEET_STATS])}
    assert len(stats) >= 16
    assert stats["社区戒毒社区康复执行率"]["本年数"] == 0.962
    assert stats["其中重大毒品案件"]["本年数"] < stats["破获毒品刑事案件"]["本年数"]
    assert all(row["类别"] in CATEGORIES for row in stats.values())

    units = read_table(wb[SHEET_UNITS])
    unit_names = [row["单位名称"] for row in units]
    assert len(unit_names) >= 32 and len(set(unit_names)) == len(unit_names)
    assert all(row["单位类别"] in UNIT_KINDS for row in units)

    tasks = read_table(wb[SHEET_TASKS])
    task_ids = [row["任务编号"] for row in tasks]
    assert 20 <= len(task_ids) <= 26 and len(set(task_ids)) == len(task_ids)
    assert {row["任务类别"] for row in tasks} == set(CATEGORIES)

    duties = read_table(wb[SHEET_DUTIES])
    leads: Counter[object] = Counter()
    per_unit: Counter[object] = Counter()
    for row in duties:
        assert row["任务编号"] in task_ids, row
        assert row["单位名称"] in unit_names, row
        assert row["职责"] in (LEAD, ASSIST), row
        leads[row["任务编号"]] += row["职责"] == LEAD
        per_unit[row["单位名称"]] += 1
    assert all(leads[task_id] == 1 for task_id in task_ids), leads
    assert all(per_unit[name] >= 2 for name in unit_names), per_unit
    assert [row["任务编号"] for row in duties] == sorted(row["任务编号"] for row in duties)

    scores = read_table(wb[SHEET_SCORES])
    points: defaultdict[object, list[int]] = defaultdict(list)
    for row in scores:
        value = row["分值"]
        assert row["单位名称"] in unit_names, row
        # Whole points only: a float such as 15.0 would print as "15.0分".
        assert isinstance(value, int), row
        points[row["单位名称"]].append(value)
    for name in unit_names:
        assert 3 <= len(points[name]) <= 6, name
        assert sum(points[name]) == TOTAL_POINTS, name

    for name in (SHEET_STATS, SHEET_UNITS, SHEET_TASKS, SHEET_DUTIES, SHEET_SCORES):
        validations = wb[name].data_validations.dataValidation
        assert validations, f"{name} has no drop-downs"
        for validation in validations:
            assert str(validation.sqref).endswith(str(VALIDATION_LAST_ROW))
            assert validation.showErrorMessage

    props = wb.properties
    assert props.created == FIXED_TIME and props.modified == FIXED_TIME

    return {
        "units": len(unit_names),
        "tasks": len(task_ids),
        "duty_rows": len(duties),
        "score_rows": len(scores),
        "stats": len(stats),
    }


if __name__ == "__main__":
    build_workbook(OUTPUT)
    counts = self_check(OUTPUT)
    print(f"wrote {OUTPUT.relative_to(REPO_ROOT)}: {counts}")
