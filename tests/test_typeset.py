"""officekit.gongwen.typeset: drafts in, GB/T 9704 .docx out.

Every output must pass officekit's own checker (officekit.gongwen.check) with no finding
at all; those without run-in headings must also pass the independent tests/gbt9704.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from gbt9704 import check_docx as independent_check

from officekit.errors import DocumentError, OutputError
from officekit.gongwen import typeset as typeset_module
from officekit.gongwen.check import check_docx as officekit_check
from officekit.gongwen.typeset import prepare, typeset

# Headings on lines of their own only: the independent checker accepts the whole file.
STANDALONE = """\
开通VIP会员，海量范文免费下载
仅供学习 禁止外传

在全县禁毒工作会议上的讲话
县委副书记、县长　李明
（2026年3月5日）

同志们：
　　今天召开全县禁毒工作会议，主要任务是总结去年工作、部署今年任务。下面，我讲三点意见。
> 一、科学研判形势，充分认识禁毒工作的长期性和复杂性
　　去年全县共破获毒品案件91起,同比增长13.8%,完成任务数的102.2%。
(一)成绩来之不易
　　按150:1比例配备禁毒民警，ldquo;无毒社区rdquo;创建覆盖率达46%。
1.打击成效明显
　　一是缴获毒品1164.35克。二是抓获犯罪嫌疑人62名。
二、突出工作重点
　　要坚持打防并举、标本兼治。
同志们，禁毒工作任重道远，让我们共同努力。
附件：1. 2026年度禁毒工作要点
2. 禁毒工作责任分工
附件1
2026年度禁毒工作要点
　　全面贯彻禁毒工作方针。
附件2
禁毒工作责任分工
　　公安局负责打击毒品犯罪。
"""


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph."""
    return [(p.style.name, p.text) for p in Document(str(path)).paragraphs]


def run_fonts(paragraph) -> list[tuple[str, str | None, str | None]]:
    """(text, eastAsia, ascii) set directly on each run."""
    out = []
    for run in paragraph.runs:
        fonts = run._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        east = fonts.get(qn("w:eastAsia")) if fonts is not None else None
        ascii_ = fonts.get(qn("w:ascii")) if fonts is not None else None
        out.append((run.text, east, ascii_))
    return out


def write(tmp_path: Path, text: str, name: str = "讲话草稿.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_standalone_speech_is_compliant(tmp_path: Path) -> None:
    src = write(tmp_path, STANDALONE)
    result = typeset(src)
    out = tmp_path / "讲话草稿.docx"
    assert result.outputs == [out]
    assert independent_check(out) == []
    assert officekit_check(out).findings == []
    assert paragraphs(out) == [
        ("公文标题", "在全县禁毒工作会议上的讲话"),
        ("讲话署名", "县委副书记、县长　李明"),
        ("讲话署名", "（2026年3月5日）"),
        ("Normal", ""),  # one blank line below the title block
        ("主送称谓", "同志们："),
        (
            "Normal",
            "今天召开全县禁毒工作会议，主要任务是总结去年工作、部署今年任务。下面，我讲三点意见。",
        ),
        ("一级标题", "一、科学研判形势，充分认识禁毒工作的长期性和复杂性"),
        ("Normal", "去年全县共破获毒品案件91起，同比增长13.8%，完成任务数的102.2%。"),
        ("二级标题", "（一）成绩来之不易"),
        ("Normal", "按150:1比例配备禁毒民警，“无毒社区”创建覆盖率达46%。"),
        ("三级标题", "1.打击成效明显"),
        ("Normal", "一是缴获毒品1164.35克。二是抓获犯罪嫌疑人62名。"),
        ("一级标题", "二、突出工作重点"),
        ("Normal", "要坚持打防并举、标本兼治。"),
        ("Normal", "同志们，禁毒工作任重道远，让我们共同努力。"),
        ("Normal", ""),  # one blank line above the 附件说明
        ("附件说明", "附件：1. 2026年度禁毒工作要点"),
        ("附件说明续行", "2. 禁毒工作责任分工"),
        ("附件标识", "附件1"),
        ("附件标题", "2026年度禁毒工作要点"),
        ("Normal", "全面贯彻禁毒工作方针。"),
        ("附件标识", "附件2"),
        ("附件标题", "禁毒工作责任分工"),
        ("Normal", "公安局负责打击毒品犯罪。"),
    ]
    kinds = {(c.line, c.kind) for c in result.changes}
    assert {(1, "删除广告行"), (2, "删除广告行"), (10, "删除引用符号"), (13, "还原实体")} <= kinds
    assert {(11, "全角标点"), (12, "全角标点"), (9, "删除行首空格")} <= kinds
    assert result.warnings == []
    assert src.read_text(encoding="utf-8") == STANDALONE  # the input is untouched


def test_annexes_start_on_a_new_page_with_a_real_break(tmp_path: Path) -> None:
    out = typeset(write(tmp_path, STANDALONE)).outputs[0]
    doc = Document(str(out))
    labels = [i for i, p in enumerate(doc.paragraphs) if p.style.name == "附件标识"]
    for index in labels:
        before = doc.paragraphs[index - 1]._p
        breaks = before.findall(f".//{qn('w:br')}")
        assert [b.get(qn("w:type")) for b in breaks] == ["page"]
    # No empty paragraphs used as page breaks: only the two blank lines of the layout.
    assert (
        sum(1 for p in doc.paragraphs if not p.text and not p._p.findall(f".//{qn('w:br')}")) == 2
    )


RUN_IN = """\
在全区禁毒工作会议上的讲话
同志们：
　　刚才，区禁毒办通报了情况，我完全同意。下面，我讲两点意见。
第一，要打好禁毒人民战争攻坚战。全区上下要齐心协力。
（一）进一步落实责任。落实各级党委政府主体责任。
第二，要强化责任落实。各部门要按照分工抓好落实。
"""


def test_run_in_headings_take_the_heading_font_in_the_first_run(tmp_path: Path) -> None:
    out = typeset(write(tmp_path, RUN_IN)).outputs[0]
    doc = Document(str(out))
    by_text = {p.text: p for p in doc.paragraphs}
    first = by_text["第一，要打好禁毒人民战争攻坚战。全区上下要齐心协力。"]
    assert first.style.name == "Normal"
    assert run_fonts(first) == [
        ("第一，要打好禁毒人民战争攻坚战。", "黑体", "黑体"),
        ("全区上下要齐心协力。", None, None),  # the body style's 仿宋
    ]
    h2 = by_text["（一）进一步落实责任。落实各级党委政府主体责任。"]
    assert run_fonts(h2) == [
        ("（一）进一步落实责任。", "楷体_GB2312", "楷体_GB2312"),
        ("落实各级党委政府主体责任。", None, None),
    ]
    # officekit's checker knows run-in headings: the heading sentence in the heading face,
    # the rest in 仿宋. The independent checker wants every run of a numbered paragraph in
    # the heading face, so it reports the body halves: exactly those paragraphs.
    assert officekit_check(out).findings == []
    problems = independent_check(out)
    assert all("east-Asian font" in p for p in problems)
    assert len(problems) == 3
    assert any("'第一" in p and "want 仿宋" in p for p in problems)
    assert any("'（一）" in p and "want 楷体" in p for p in problems)


def test_windows_profile_names(tmp_path: Path) -> None:
    out = typeset(write(tmp_path, RUN_IN), profile="Windows").outputs[0]
    doc = Document(str(out))
    h2 = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert run_fonts(h2)[0][1] == "楷体"


def test_unknown_profile(tmp_path: Path) -> None:
    with pytest.raises(Exception) as err:
        typeset(write(tmp_path, RUN_IN), profile="Mac")
    assert "Mac" in str(err.value)


# ---- inputs ------------------------------------------------------------------------------


def test_gb18030_input(tmp_path: Path) -> None:
    src = write(tmp_path, STANDALONE, name="草稿.txt", encoding="gb18030")
    out = typeset(src).outputs[0]
    assert out == tmp_path / "草稿.docx"
    assert independent_check(out) == []
    assert officekit_check(out).findings == []
    assert paragraphs(out)[0] == ("公文标题", "在全县禁毒工作会议上的讲话")


def test_messy_docx_input_gets_a_new_name_beside_it(tmp_path: Path) -> None:
    doc = Document()
    for text, font, size in (
        ("在全镇禁毒工作推进会上的讲话", "Arial", 28),
        ("　　同志们：", "Times New Roman", 9),
        ("　　今天召开推进会,部署禁毒重点工作。", "Courier New", 14),
        ("一、认清形势", "Comic Sans MS", 20),
        ("　　全镇共排查涉毒隐患37处。", "宋体", 11),
    ):
        run = doc.add_paragraph().add_run(text)
        run.font.name = font
        run.font.size = Pt(size)
    src = tmp_path / "推进会.docx"
    doc.save(src)
    before = src.read_bytes()
    result = typeset(src)
    out = tmp_path / "推进会-排版.docx"
    assert result.outputs == [out]
    assert src.read_bytes() == before
    assert independent_check(out) == []
    assert officekit_check(out).findings == []
    assert paragraphs(out) == [
        ("公文标题", "在全镇禁毒工作推进会上的讲话"),
        ("Normal", ""),
        ("主送称谓", "同志们："),
        ("Normal", "今天召开推进会，部署禁毒重点工作。"),
        ("一级标题", "一、认清形势"),
        ("Normal", "全镇共排查涉毒隐患37处。"),
    ]


def test_placeholders_are_warned_with_line_numbers_and_kept(tmp_path: Path) -> None:
    text = "在20**年全县禁毒工作会议上的讲话\n同志们：\n　　XX同志通报了情况，×××乡镇要抓好落实。\n"
    result = typeset(write(tmp_path, text))
    assert [(w.line, w.kind, w.text) for w in result.warnings] == [
        (1, "占位符", "20**年"),
        (3, "占位符", "XX同志"),
        (3, "占位符", "×××"),
    ]
    texts = [t for _, t in paragraphs(result.outputs[0])]
    assert "在20**年全县禁毒工作会议上的讲话" in texts
    assert "XX同志通报了情况，×××乡镇要抓好落实。" in texts


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("草稿.txt", b"\xff\xfd\x80\x80\xfe", "不是 UTF-8 或 GB18030 编码的文本"),
        ("讲话.docx", b"not a zip file", "不是有效的 Word 文档"),
        ("讲话.pdf", b"%PDF-1.4", "不是 .txt 文本或 .docx 文档"),
    ],
)
def test_bad_input(tmp_path: Path, name: str, data: bytes, words: str) -> None:
    src = tmp_path / name
    src.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        typeset(src)
    assert name in err.value.message and words in err.value.message
    assert list(tmp_path.iterdir()) == [src]  # nothing written


def test_missing_input(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as err:
        typeset(tmp_path / "不存在.txt")
    assert "不存在.txt" in err.value.message


def test_empty_input(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as err:
        typeset(write(tmp_path, "\n　　\n> \n", name="空.txt"))
    assert "空.txt" in err.value.message


# ---- outputs -----------------------------------------------------------------------------


def test_explicit_output_and_refusal_to_overwrite_the_input(tmp_path: Path) -> None:
    src = write(tmp_path, RUN_IN)
    out = tmp_path / "成品" / "讲话.docx"
    assert typeset(src, out).outputs == [out]
    assert out.is_file()
    folder = tmp_path / "目录"
    folder.mkdir()
    assert typeset(src, folder).outputs == [folder / "讲话草稿.docx"]
    docx_folder = tmp_path / "另一目录"
    docx_folder.mkdir()
    docx_input = typeset(src, docx_folder / "讲话.docx").outputs[0]
    assert typeset(docx_input, docx_folder).outputs == [docx_folder / "讲话-排版.docx"]
    docx_src = typeset(src).outputs[0]
    data = docx_src.read_bytes()
    with pytest.raises(OutputError):
        typeset(docx_src, docx_src)
    assert docx_src.read_bytes() == data


def test_atomic_write_keeps_the_previous_file_on_failure(tmp_path: Path, monkeypatch) -> None:
    src = write(tmp_path, RUN_IN)
    out = typeset(src).outputs[0]
    previous = out.read_bytes()

    def broken_save(self, path):
        Path(path).write_bytes(b"half a file")
        raise RuntimeError("disk full")

    monkeypatch.setattr(typeset_module.DocumentObject, "save", broken_save)
    with pytest.raises(RuntimeError):
        typeset(src)
    assert out.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["讲话草稿.docx", "讲话草稿.txt"]


def test_file_held_open_is_reported(tmp_path: Path, monkeypatch) -> None:
    def refused(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(typeset_module.os, "replace", refused)
    with pytest.raises(OutputError) as err:
        typeset(write(tmp_path, RUN_IN))
    assert "讲话草稿.docx" in err.value.message and "关闭" in err.value.message


# ---- collections -------------------------------------------------------------------------

COLLECTION = """\
全县禁毒工作会议讲话稿三篇
更多精彩范文，请关注本站
【篇一】
在全县禁毒工作会议上的讲话
同志们：
　　今天召开全县禁毒工作会议。下面，我讲两点意见。
一、认清形势
　　全县毒情形势总体平稳。
二、突出重点
　　要持续开展严打整治。
【篇二】
在全县禁毒宣传月启动仪式上的讲话
同志们：
　　今天，全县禁毒宣传月正式启动。
【篇三】
县长在禁毒委员会全体会议上的讲话
各位委员：
　　这次全体会议的任务是研究部署今年工作。
"""


def test_collection_gives_one_file_per_speech_in_order(tmp_path: Path) -> None:
    src = write(tmp_path, COLLECTION, name="讲话合集.txt")
    result = typeset(src)
    folder = tmp_path / "讲话合集"
    assert result.outputs == [
        folder / "01-在全县禁毒工作会议上的讲话.docx",
        folder / "02-在全县禁毒宣传月启动仪式上的讲话.docx",
        folder / "03-县长在禁毒委员会全体会议上的讲话.docx",
    ]
    for out in result.outputs:
        assert independent_check(out) == []
        assert officekit_check(out).findings == []
        assert Document(str(out)).paragraphs[0].style.name == "公文标题"
    assert [t for _, t in paragraphs(result.outputs[1])] == [
        "在全县禁毒宣传月启动仪式上的讲话",
        "",
        "同志们：",
        "今天，全县禁毒宣传月正式启动。",
    ]
    assert (
        Document(str(result.outputs[2])).core_properties.title == "县长在禁毒委员会全体会议上的讲话"
    )
    kinds = [(c.line, c.kind) for c in result.changes if c.kind.startswith("删除合集")]
    assert kinds == [
        (1, "删除合集开头"),
        (3, "删除合集标记"),
        (11, "删除合集标记"),
        (15, "删除合集标记"),
    ]
    assert (2, "删除广告行") in [(c.line, c.kind) for c in result.changes]


def test_numbered_collection_into_a_given_folder(tmp_path: Path) -> None:
    text = (
        "【1】在全乡禁毒工作会议上的讲话\n同志们：\n　　今天开会。\n"
        "【2】在全乡禁毒工作会议上的讲话\n同志们：\n　　今天再开会。\n"
        "【3】在“6/26”国际禁毒日宣传活动上的讲话\n同志们：\n　　宣传活动开始。\n"
    )
    result = typeset(write(tmp_path, text), tmp_path / "输出.docx")
    folder = tmp_path / "输出"
    assert [p.name for p in result.outputs] == [
        "01-在全乡禁毒工作会议上的讲话.docx",
        "02-在全乡禁毒工作会议上的讲话.docx",
        "03-在“6_26”国际禁毒日宣传活动上的讲话.docx",  # "/" is illegal on Windows
    ]
    assert all(p.parent == folder and p.is_file() for p in result.outputs)
    assert paragraphs(result.outputs[1])[-1] == ("Normal", "今天再开会。")


def test_prepare_writes_nothing(tmp_path: Path) -> None:
    result = prepare(COLLECTION.splitlines())
    assert result.outputs == []
    assert [s.title for s in result.speeches] == [
        "在全县禁毒工作会议上的讲话",
        "在全县禁毒宣传月启动仪式上的讲话",
        "县长在禁毒委员会全体会议上的讲话",
    ]
    assert list(tmp_path.iterdir()) == []


# ---- real web shapes (issue 18), each speech written for the tests ---------------------------


def outline(result) -> list[tuple[str, list[tuple[str, str]]]]:
    """(title, [(level, heading text)]) of each speech: what a careful reader counts."""
    return [
        (s.title, [(b.role, b.heading) for b in s.blocks if b.role in ("h1", "h2", "h3")])
        for s in result.speeches
    ]


def all_text(result) -> str:
    return "\n".join(b.full_text for s in result.speeches for b in s.blocks)


def only_placeholders(path: Path) -> bool:
    """officekit check finds nothing but placeholders kept from the source."""
    return all(f.rule == "遗留标记" for f in officekit_check(path).findings)


WEB_COLLECTION = """\
乡镇禁毒工作领导讲话稿（精选三篇）
禁毒工作关系千家万户，下面是小编为大家收集整理的乡镇禁毒工作领导讲话稿，仅供参考。
> 在全镇禁毒工作推进会上的领导讲话【篇一】
同志们：
　　今天召开全镇禁毒工作推进会，主要任务是通报上半年情况，安排下半年工作。我讲两点意见。
> 一、清醒认识当前形势
　　上半年，全镇排查涉毒隐患二十三处，整改二十一处，仍有两处正在整改。
(一)成绩要肯定。各村禁毒专干走村入户，做了大量工作。
(二)问题要正视。个别村重视不够，排查流于形式。
> 二、扎实抓好下半年工作
　　一要抓宣传。二要抓排查。三要抓帮教。
　　第一，各村要每月报送一次排查情况；第二，镇禁毒办要每季度通报一次。
　　谢谢大家！
本文来源：网络整理
上一篇：在全镇安全生产会议上的讲话
> 禁毒宣传讲话【篇二】
在全镇禁毒宣传月启动仪式上的讲话
同志们：
　　今天，全镇禁毒宣传月正式启动。下面，我讲三点要求。
认识要再提高
　　毒品是人类社会的公害，宣传教育是预防毒品的治本之策。
措施要再有力
　　宣传、教育、文化等部门要密切协作，让禁毒知识进村入户。
责任要再压实
　　各村要明确专人负责，确保宣传覆盖每一户。
　　同志们，禁毒宣传贵在坚持，希望大家久久为功。
> 禁毒委员会全体会议讲话【篇三】
同志们：
　　这次会议的任务是听取成员单位汇报，研究部署下阶段工作。
一、认清形势
　　全镇毒情总体平稳，但外流贩毒问题仍未根除。
认识要到位
　　各成员单位要把禁毒工作摆上重要议事日程。
责任要到位
　　要层层签订责任书，把任务分解到人。
二、突出重点
　　要盯住重点人员、重点场所，做到底数清、情况明。
点击查看更多禁毒讲话范文
"""


def test_markers_on_title_lines_blurbs_and_page_furniture(tmp_path: Path) -> None:
    result = typeset(write(tmp_path, WEB_COLLECTION, name="网上讲话.txt"))
    assert outline(result) == [
        (
            "在全镇禁毒工作推进会上的领导讲话",
            [
                ("h1", "一、清醒认识当前形势"),
                ("h2", "（一）成绩要肯定。"),
                ("h2", "（二）问题要正视。"),
                ("h1", "二、扎实抓好下半年工作"),
            ],
        ),
        # The marker line's words are the collection's; the speech's own title follows.
        (
            "在全镇禁毒宣传月启动仪式上的讲话",
            [("h1", "认识要再提高"), ("h1", "措施要再有力"), ("h1", "责任要再压实")],
        ),
        # A marker line with no title of its own below it is the title; bare headings
        # under "一、" are level 2.
        (
            "禁毒委员会全体会议讲话",
            [
                ("h1", "一、认清形势"),
                ("h2", "认识要到位"),
                ("h2", "责任要到位"),
                ("h1", "二、突出重点"),
            ],
        ),
    ]
    folder = tmp_path / "网上讲话"
    assert result.outputs == [
        folder / "01-在全镇禁毒工作推进会上的领导讲话.docx",
        folder / "02-在全镇禁毒宣传月启动仪式上的讲话.docx",
        folder / "03-禁毒委员会全体会议讲话.docx",
    ]
    for out in result.outputs:
        assert officekit_check(out).findings == [], out.name
    text = all_text(result)
    for residue in ("【篇", "小编", "仅供参考", "精选三篇", "本文来源", "上一篇", "点击查看", ">"):
        assert residue not in text
    # Enumerations stay in the body, word for word.
    assert "一要抓宣传。二要抓排查。三要抓帮教。" in text
    assert "第一，各村要每月报送一次排查情况；第二，镇禁毒办要每季度通报一次。" in text
    removed = {(c.line, c.kind) for c in result.changes}
    assert {
        (1, "删除合集开头"),
        (2, "删除网站简介"),
        (3, "删除合集标记"),
        (14, "删除广告行"),
        (15, "删除广告行"),
        (16, "删除合集标记"),
        (16, "删除标题前内容"),
        (27, "删除合集标记"),
        (38, "删除广告行"),
    } <= removed


ADVERTS_NEW_WORDING = """\
笔杆子文库
海量公文模板　一站式写作服务
开通年卡仅需99元，全站资料任意下载
客服微信：wenku2026
投诉侵权请联系客服


在全县禁毒工作会议上的讲话
县委常委、政法委书记　XX
（20**年X月X日）
同志们：
　　今天召开全县禁毒工作会议，我讲三点意见。
一、认清形势，增强做好禁毒工作的责任感
　　全县毒情总体可控，但新型毒品问题不容忽视。
二、突出重点，坚决打好禁毒人民战争
　　要紧盯寄递物流等重点环节。
三、压实责任，形成齐抓共管的工作格局
　　各乡镇、各部门要把禁毒工作纳入重要议事日程。
　　谢谢大家！
"""


def test_adverts_of_new_wording_and_placeholder_bylines(tmp_path: Path) -> None:
    result = typeset(write(tmp_path, ADVERTS_NEW_WORDING))
    out = result.outputs[0]
    assert paragraphs(out)[:5] == [
        ("公文标题", "在全县禁毒工作会议上的讲话"),
        ("讲话署名", "县委常委、政法委书记　XX"),
        ("讲话署名", "（20**年X月X日）"),  # a placeholder keeps its byline role
        ("Normal", ""),
        ("主送称谓", "同志们："),
    ]
    assert outline(result)[0][1] == [
        ("h1", "一、认清形势，增强做好禁毒工作的责任感"),
        ("h1", "二、突出重点，坚决打好禁毒人民战争"),
        ("h1", "三、压实责任，形成齐抓共管的工作格局"),
    ]
    assert [
        (c.line, c.kind)
        for c in result.changes
        if c.kind.startswith("删除") and c.kind not in ("删除行首空格", "删除行尾空格")
    ] == [
        (1, "删除标题前内容"),
        (2, "删除标题前内容"),
        (3, "删除广告行"),
        (4, "删除广告行"),
        (5, "删除广告行"),
    ]
    findings = officekit_check(out).findings
    assert findings and only_placeholders(out)
    assert [w.text for w in result.warnings if w.kind == "占位符"] == ["20**年"]


HARD_WRAPPED = """\
在全乡禁毒工作会议上的讲话
同志们：
　　今天召开全乡禁毒工作会议，主要任务是总结
去年工作，部署今年任务。下面，我讲两点意见。
一、准确把握全乡禁毒工作面临的形势和任务，切
实增强责任感
　　去年全乡共排查涉毒隐患十九处，全部整改到
位；各村禁毒专干每月走访重点人员，做到底数清
、情况明。
（一）成绩来之不易
　　这是全乡上下共同努力的结果。
二、突出工作重点
　　一是抓宣传，让禁毒知识进村入户；二是抓排
查，做到不漏一户。
"""


def test_hard_wrapped_speech_is_rejoined(tmp_path: Path) -> None:
    result = typeset(write(tmp_path, HARD_WRAPPED))
    assert outline(result)[0][1] == [
        ("h1", "一、准确把握全乡禁毒工作面临的形势和任务，切实增强责任感"),
        ("h2", "（一）成绩来之不易"),
        ("h1", "二、突出工作重点"),
    ]
    texts = [t for _, t in paragraphs(result.outputs[0])]
    assert (
        "今天召开全乡禁毒工作会议，主要任务是总结去年工作，部署今年任务。下面，我讲两点意见。"
        in texts
    )
    assert (
        "去年全乡共排查涉毒隐患十九处，全部整改到位；各村禁毒专干每月走访重点人员，"
        "做到底数清、情况明。" in texts
    )
    assert "一是抓宣传，让禁毒知识进村入户；二是抓排查，做到不漏一户。" in texts
    assert officekit_check(result.outputs[0]).findings == []


# ---- output names --------------------------------------------------------------------------


def test_output_name_without_suffix_gets_docx(tmp_path: Path) -> None:
    src = write(tmp_path, RUN_IN)
    assert typeset(src, tmp_path / "000").outputs == [tmp_path / "000.docx"]
    # A dot inside a Chinese name is not a suffix.
    assert typeset(src, tmp_path / "2026.3.5讲话").outputs == [tmp_path / "2026.3.5讲话.docx"]
    assert only_placeholders(tmp_path / "000.docx")


def test_output_folder_written_with_a_slash_or_existing(tmp_path: Path) -> None:
    src = write(tmp_path, RUN_IN)
    assert typeset(src, f"{tmp_path / '新文件夹'}/").outputs == [
        tmp_path / "新文件夹" / "讲话草稿.docx"
    ]
    assert typeset(src, tmp_path / "新文件夹").outputs == [tmp_path / "新文件夹" / "讲话草稿.docx"]


@pytest.mark.parametrize(
    ("name", "words"),
    [("成品.pdf", "扩展名是 .pdf"), ("成品.doc", "请改为 成品.docx")],
)
def test_output_of_another_document_kind_is_refused(tmp_path: Path, name: str, words: str) -> None:
    src = write(tmp_path, RUN_IN)
    with pytest.raises(OutputError) as err:
        typeset(src, tmp_path / name)
    assert words in err.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["讲话草稿.txt"]


def test_existing_file_of_another_kind_is_not_overwritten(tmp_path: Path) -> None:
    src = write(tmp_path, RUN_IN)
    other = tmp_path / "说明"
    other.write_text("别的文件", encoding="utf-8")
    with pytest.raises(OutputError) as err:
        typeset(src, other)
    assert "已存在且不是 .docx" in err.value.message
    assert other.read_text(encoding="utf-8") == "别的文件"
    collection_src = write(tmp_path, WEB_COLLECTION, name="合集.txt")
    with pytest.raises(OutputError) as err:
        typeset(collection_src, other)
    assert "要输出到一个文件夹" in err.value.message


def test_folder_that_cannot_be_made_is_one_sentence(tmp_path: Path) -> None:
    src = write(tmp_path, RUN_IN)
    blocker = tmp_path / "占位"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OutputError) as err:
        typeset(src, blocker / "下级" / "讲话.docx")
    assert "无法在" in err.value.message and "下级" in err.value.message


def test_speeches_of_one_title_get_two_files(tmp_path: Path) -> None:
    text = (
        "> 禁毒工作讲话【1】\n同志们：\n　　今天开会。\n"
        "> 禁毒工作讲话【2】\n同志们：\n　　今天再开会。\n"
    )
    result = typeset(write(tmp_path, text), tmp_path / "两篇")
    assert [p.name for p in result.outputs] == ["01-禁毒工作讲话.docx", "02-禁毒工作讲话.docx"]
    assert all(p.is_file() for p in result.outputs)


def test_outputs_are_readable_like_any_file(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        out = typeset(write(tmp_path, RUN_IN)).outputs[0]
    finally:
        os.umask(previous)
    assert out.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600


ARTICLE_PAGE = """\
首页 > 讲话材料 > 正文

乡长在全乡禁毒工作会议上的讲话
发布日期：2025-06-20　　来源：乡党政办　　浏览次数：88
【字体：大 中 小】
乡长在全乡禁毒工作会议上的讲话
同志们：
　　这次会议的主要任务是总结上半年工作，部署下半年任务。下面，我讲几点意见。
　　排查摸底再深入
　　各村要逐户排查，做到不漏一户、不留死角。
　　帮扶救助再用力
　　民政、人社等部门要落实帮扶措施，帮助戒毒人员回归社会。
　　宣传教育再拓展
　　要把禁毒宣传办到群众家门口。
　　同志们，禁毒工作任重道远。
打印本页　关闭窗口
"""


def test_an_article_page_with_its_title_shown_twice(tmp_path: Path) -> None:
    result = typeset(write(tmp_path, ARTICLE_PAGE))
    assert outline(result) == [
        (
            "乡长在全乡禁毒工作会议上的讲话",
            [("h1", "排查摸底再深入"), ("h1", "帮扶救助再用力"), ("h1", "宣传教育再拓展")],
        )
    ]
    removed = [(c.line, c.kind) for c in result.changes if c.kind not in ("删除行首空格",)]
    assert removed == [
        (1, "删除广告行"),
        (3, "删除标题前内容"),
        (4, "删除广告行"),
        (5, "删除广告行"),
        (16, "删除广告行"),
    ]
    assert officekit_check(result.outputs[0]).findings == []
