"""officekit.gongwen.typeset: drafts in, GB/T 9704 .docx out.

Every output must pass officekit's own checker (officekit.gongwen.check) with no finding
at all; those without run-in headings must also pass the independent tests/gbt9704.py.
"""

from __future__ import annotations

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
