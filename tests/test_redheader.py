"""officekit.gongwen.redheader: the paragraphs of the 版头 and 版记."""

from __future__ import annotations

import pytest
from lxml import etree

from officekit.gongwen import redheader
from officekit.gongwen.redheader import Header, Imprint

_ROOT = '<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{}</w:body>'
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize(
    ("organ", "size", "scale"),
    [
        ("青禾县禁毒委员会文件", 72, 100),  # 10 characters: 小初 fits (360 pt of 442)
        ("青禾县安全生产委员会文件", 72, 100),  # 12 × 36 = 432 pt
        ("青禾县人民政府办公室文件", 72, 100),
        ("中共青禾县委员会青禾县人民政府文件", 52, 100),  # 17: 26 pt a character
        ("中共青禾县委政法委员会青禾县禁毒委员会青禾县公安局文件", 44, 74),  # condensed
    ],
)
def test_mark_size_fits_the_block(organ: str, size: int, scale: int) -> None:
    assert redheader.mark_size(organ) == (size, scale)
    width_pt = len(organ) * size / 2 * scale / 100
    assert width_pt <= 442.3


def test_header_paragraphs_in_order_with_the_red_rule() -> None:
    xml = redheader.header_xml(
        Header("青禾县禁毒委员会文件", "青禁毒委〔2026〕3号", urgency="特急")
    )
    body = etree.fromstring(_ROOT.format(xml))
    styles = [p.find(f"{W}pPr/{W}pStyle").get(W + "val") for p in body]
    assert styles == ["GwCorner", "GwMark", "GwDocNumber"]
    corner, mark, number = body
    assert mark.find(f".//{W}color").get(W + "val") == "FF0000"
    # 35 mm less the one corner line above it, plus the ink rise LibreOffice draws
    before = int(mark.find(f"{W}pPr/{W}spacing").get(W + "before"))
    assert before == 1984 + redheader.MARK_INK_RISE - 579
    rule = number.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert rule.get(W + "color") == "FF0000" and rule.get(W + "space") == "11"


def test_signer_line_keeps_the_rule_as_wide_as_the_block() -> None:
    xml = redheader.header_xml(Header("青禾县禁毒委员会文件", "青禁毒委〔2026〕3号", signer="李明"))
    number = etree.fromstring(_ROOT.format(xml))[-1]
    ind = number.find(f"{W}pPr/{W}ind")
    assert ind.get(W + "left") == "0" and ind.get(W + "right") == "0"
    texts = [t.text for t in number.iter(W + "t")]
    assert texts == ["青禁毒委〔2026〕3号", "签发人：", "李明"]
    fonts = [
        r.find(f"{W}rPr/{W}rFonts").get(W + "eastAsia")
        for r in number.iter(W + "r")
        if r.find(f"{W}t") is not None
    ]
    assert fonts[-1] == "楷体_GB2312"


@pytest.mark.parametrize(
    ("cc", "text"),
    [
        ("县委办公室，县政府办公室", "抄送：县委办公室，县政府办公室。"),
        ("抄送：县委办公室。", "抄送：县委办公室。"),
        ("抄送:县委办公室", "抄送：县委办公室。"),
    ],
)
def test_cc_line(cc: str, text: str) -> None:
    assert redheader.cc_text(cc) == text


def test_imprint_lines_and_breaks() -> None:
    imprint = Imprint("青禾县禁毒委员会办公室", "2026年3月2日", "县委办公室")
    xml = redheader.imprint_xml(imprint, page_breaks=2)
    body = etree.fromstring(_ROOT.format(xml))
    assert len(body) == 1  # one anchor paragraph
    breaks = [br for br in body[0].findall(f"{W}r/{W}br") if br.get(W + "type") == "page"]
    assert len(breaks) == 2
    texts = ["".join(t.text for t in p.iter(W + "t")) for p in body[0].iter(W + "p")]
    assert "抄送：县委办公室。" in texts
    assert "青禾县禁毒委员会办公室2026年3月2日印发" in texts
    sizes = {sz.get(W + "val") for sz in body.iter(W + "sz")}
    assert sizes == {"28"}  # 四号 throughout
    assert redheader.imprint_lines(imprint) == 2
    assert redheader.imprint_lines(Imprint("办公室", "2026年3月2日")) == 1
    long_cc = Imprint("办公室", "2026年3月2日", "，".join(["县直各有关单位"] * 8))
    assert redheader.imprint_lines(long_cc) == 4  # 抄送 wraps onto three lines


def test_with_styles_adds_only_what_is_missing() -> None:
    styles = (
        b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b'<w:style w:type="paragraph" w:styleId="GwMark"><w:name w:val="x"/></w:style></w:styles>'
    )
    added = redheader.with_styles(styles)
    root = etree.fromstring(added)
    ids = [s.get(W + "styleId") for s in root]
    assert ids.count("GwMark") == 1
    assert set(redheader.STYLE_NAMES) <= set(ids)
    assert redheader.with_styles(added) == added
