"""officekit.gongwen.check: a compliant document passes; each planted defect is caught.

The compliant document and the 40 planted defects of tests/test_layout.py (which the
independent checker in tests/gbt9704.py catches) are reused, so both checkers are held
to the same cases; the rules only this checker has get their own defects below.
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from gbt9704 import W
from hypothesis import given
from hypothesis import strategies as st
from test_layout import DEFECTS, Mutation, _add_body, _build_document, _sect_attr, _style_rpr

from officekit.errors import DocumentError
from officekit.gongwen import layout, oxml
from officekit.gongwen.check import Report, check_docx


@pytest.fixture(scope="module")
def compliant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("check") / "合规.docx"
    _build_document().save(str(path))
    return path


def _broken(compliant: Path, tmp_path: Path, mutate: Mutation) -> Report:
    doc = docx.Document(str(compliant))
    mutate(doc)
    path = tmp_path / "planted.docx"
    doc.save(str(path))
    return check_docx(path)


@pytest.mark.parametrize("profile", ["GB2312", "Windows"])
def test_compliant_document_passes_with_no_finding(tmp_path: Path, profile: str) -> None:
    path = tmp_path / "ok.docx"
    _build_document(profile).save(str(path))
    report = check_docx(path)
    assert report.findings == []
    assert report.ok
    assert report.verdict() == "ok.docx 符合 GB/T 9704-2012 公文格式"


# Each defect of test_layout → the rule this checker must report and how severe it is.
LAYOUT_DEFECT_RULES: dict[str, tuple[str, str]] = {
    "paper Letter": ("纸张", "error"),
    "landscape": ("纸张", "error"),
    "top margin 25.4 mm": ("页边距", "error"),
    "top margin 38.5 mm": ("页边距", "error"),
    "left margin": ("页边距", "error"),
    "right margin": ("版心", "error"),
    "bottom margin": ("版心", "error"),
    "line pitch 24 pt": ("行数", "error"),
    "no character narrowing": ("每行字数", "error"),
    "body font 宋体": ("字体", "error"),
    "body size 14 pt": ("字号", "error"),
    "run font 宋体": ("字体", "error"),
    "title font 黑体": ("字体", "error"),
    "title size 18 pt": ("字号", "error"),
    "h1 font 仿宋": ("字体", "error"),
    "h2 font 黑体": ("字体", "error"),
    "byline font 仿宋": ("字体", "warning"),  # practice, not the standard
    "annex label font 仿宋": ("字体", "error"),
    "annex title size 16 pt": ("字号", "error"),
    "table font 宋体": ("字体", "warning"),
    "table size 9 pt": ("字号", "warning"),
    "theme font in a style": ("主题字体", "error"),
    "theme font in a run": ("主题字体", "error"),
    "footer dash '-'": ("页码", "error"),
    "odd footer left": ("页码", "error"),
    "even footer centred": ("页码", "error"),
    "footer font 仿宋": ("页码", "error"),
    "footer size 16 pt": ("页码", "error"),
    "no even footer": ("页码", "error"),
    "evenAndOddHeaders removed": ("页码", "error"),
    "leftover {{ x }}": ("遗留标记", "error"),
    "leftover {% if %}": ("遗留标记", "error"),
    "20**年": ("遗留标记", "error"),
    "202_年": ("遗留标记", "error"),
    "XX同志": ("遗留标记", "error"),
    "×××": ("遗留标记", "error"),
    "zero-padded date": ("日期", "error"),
    "zero-padded day": ("日期", "error"),
    "annex 1 without page break": ("附件", "error"),
    "annex 2 without page break": ("附件", "error"),
}


def test_every_layout_defect_has_a_rule() -> None:
    assert set(LAYOUT_DEFECT_RULES) == set(DEFECTS)


@pytest.mark.parametrize("name", list(LAYOUT_DEFECT_RULES))
def test_planted_layout_defect_is_reported(compliant: Path, tmp_path: Path, name: str) -> None:
    rule, severity = LAYOUT_DEFECT_RULES[name]
    report = _broken(compliant, tmp_path, DEFECTS[name][0])
    assert any(f.rule == rule and f.severity == severity for f in report.findings), report.findings
    assert report.ok is (severity == "warning")


# ---- defects only this checker looks for ---------------------------------------------------


def _paragraph(doc: DocumentObject, text: str):
    return next(p for p in doc.paragraphs if p.text == text)


def _single_spacing(doc: DocumentObject) -> None:
    normal = doc.styles.element.find(f"{W}style[@{W}styleId='Normal']")
    spacing = normal.find(f"{W}pPr/{W}spacing")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    doc.element.body.find(f"{W}sectPr/{W}docGrid").set(qn("w:type"), "default")


def _no_footers(doc: DocumentObject) -> None:
    sect = doc.element.body.find(f"{W}sectPr")
    for ref in sect.findall(f"{W}footerReference"):
        sect.remove(ref)


def _bare_page_number(doc: DocumentObject) -> None:
    for t in doc.sections[0].footer._element.iter(qn("w:t")):
        t.text = t.text.replace("\u2014", "").strip()


def _heading_run_font(doc: DocumentObject) -> None:
    oxml.set_fonts(
        _paragraph(doc, "（一）严打整治保持高压态势").runs[0]._r.get_or_add_rPr(), "宋体"
    )


def _half_width_h2(doc: DocumentObject) -> None:
    _paragraph(doc, "（一）严打整治保持高压态势").runs[0].text = "(一)严打整治保持高压态势"


def _attach_note_colon(doc: DocumentObject) -> None:
    run = next(p for p in doc.paragraphs if p.text.startswith("附件：")).runs[0]
    run.text = run.text.replace("附件：", "附件:")


def _attach_note_stop(doc: DocumentObject) -> None:
    run = next(p for p in doc.paragraphs if p.text.startswith("2. ")).runs[0]
    run.text += "。"


def _empty_paragraphs_as_break(doc: DocumentObject) -> None:
    label = _paragraph(doc, "附件1")
    label._p.get_or_add_pPr().remove(label._p.pPr.find(qn("w:pageBreakBefore")))
    for _ in range(8):
        label._p.addprevious(OxmlElement("w:p"))


def _theme_on_normal(doc: DocumentObject) -> None:
    _style_rpr(doc, "Normal").find(f"{W}rFonts").set(qn("w:eastAsiaTheme"), "minorEastAsia")


def _greeting_size(doc: DocumentObject) -> None:
    _style_rpr(doc, "GwGreeting").find(f"{W}sz").set(qn("w:val"), "24")


def _h3_font(doc: DocumentObject) -> None:
    _style_rpr(doc, "GwHeading3").find(f"{W}rFonts").set(qn("w:eastAsia"), "黑体")


EXTRA_DEFECTS: dict[str, tuple[Mutation, str, str]] = {
    "single line spacing": (_single_spacing, "行数", "error"),
    "A3 paper": (_sect_attr("pgSz", w="16838", h="23811"), "纸张", "error"),
    "no footers at all": (_no_footers, "页码", "error"),
    "page number without dashes": (_bare_page_number, "页码", "error"),
    "h2 run in 宋体": (_heading_run_font, "字体", "error"),
    "half-width (一)": (_half_width_h2, "标题层次", "error"),
    "h3 font 黑体": (_h3_font, "字体", "error"),
    "greeting 小四": (_greeting_size, "字号", "error"),
    "theme font on Normal": (_theme_on_normal, "主题字体", "error"),
    "附件: half-width colon": (_attach_note_colon, "附件说明", "error"),
    "附件说明 ends with 。": (_attach_note_stop, "附件说明", "error"),
    "empty paragraphs as page break": (_empty_paragraphs_as_break, "空段落", "warning"),
    "发文字号 with [ ]": (_add_body("青禾禁毒发[2026]5号"), "发文字号", "error"),
    "发文字号 with 第 and 05": (_add_body("青禾禁毒发〔2026〕第05号"), "发文字号", "error"),
    "xxxx年": (_add_body("xxxx年禁毒工作要点"), "遗留标记", "error"),
    "X局长": (_add_body("请X局长讲话。"), "遗留标记", "error"),
    "two-digit year": (_add_body("26年3月5日召开"), "日期", "error"),
}


@pytest.mark.parametrize("name", list(EXTRA_DEFECTS))
def test_planted_defect_is_reported(compliant: Path, tmp_path: Path, name: str) -> None:
    mutate, rule, severity = EXTRA_DEFECTS[name]
    report = _broken(compliant, tmp_path, mutate)
    found = [f for f in report.findings if f.rule == rule and f.severity == severity]
    assert found, report.findings
    assert all(f.where and f.message for f in report.findings)


def test_locations_name_paragraph_and_its_first_characters(compliant: Path, tmp_path: Path) -> None:
    report = _broken(compliant, tmp_path, _add_body("会议定于2026年03月05日召开。"))
    (date,) = [f for f in report.findings if f.rule == "日期"]
    assert date.where.startswith("第 ") and "「会议定于2026年03月05日召" in date.where
    assert "2026年03月05日" in date.message


def test_same_problem_is_reported_once_with_a_count(compliant: Path, tmp_path: Path) -> None:
    report = _broken(compliant, tmp_path, DEFECTS["body font 宋体"][0])
    fonts = [f for f in report.findings if f.rule == "字体" and "正文" in f.message]
    assert len(fonts) == 1
    assert "等" in fonts[0].where and "处" in fonts[0].where
    assert "宋体" in fonts[0].message and "仿宋" in fonts[0].message


def test_font_message_names_the_layer_that_set_it(compliant: Path, tmp_path: Path) -> None:
    report = _broken(compliant, tmp_path, DEFECTS["title font 黑体"][0])
    (title,) = [f for f in report.findings if f.rule == "字体"]
    assert "公文标题" in title.message and "黑体" in title.message and "小标宋" in title.message


def test_run_in_heading_checks_heading_and_body_parts(tmp_path: Path) -> None:
    doc = layout.new_document()
    layout.add_paragraph(doc, "title", "关于加强禁毒工作的意见")
    layout.add_paragraph(doc, "body", "")
    para = layout.add_paragraph(doc, "body", "")
    heading = para.add_run("（一）进一步落实责任。")
    oxml.set_fonts(heading._r.get_or_add_rPr(), "楷体_GB2312")
    para.add_run("落实各级党委政府的领导责任。")
    path = tmp_path / "runin.docx"
    doc.save(str(path))
    assert check_docx(path).findings == []
    # The heading part in 仿宋 is wrong; so is the body part in 楷体.
    oxml.set_fonts(heading._r.get_or_add_rPr(), "仿宋_GB2312")
    doc.save(str(path))
    assert [f.rule for f in check_docx(path).errors] == ["字体"]
    oxml.set_fonts(heading._r.get_or_add_rPr(), "楷体_GB2312")
    oxml.set_fonts(para.runs[1]._r.get_or_add_rPr(), "楷体_GB2312")
    doc.save(str(path))
    assert [f.rule for f in check_docx(path).errors] == ["字体"]


def test_allow_tags_for_templates(compliant: Path, tmp_path: Path) -> None:
    doc = docx.Document(str(compliant))
    layout.add_paragraph(doc, "body", "{{ 会议名称 }}")
    path = tmp_path / "template.docx"
    doc.save(str(path))
    assert any(f.rule == "遗留标记" for f in check_docx(path).errors)
    assert check_docx(path, allow_tags=True).ok


def test_combined_file_must_restart_numbering(tmp_path: Path) -> None:
    import zipfile

    from officekit.combine import combine_documents

    bodies = []
    for n in (1, 2):
        doc = layout.new_document()
        layout.add_paragraph(doc, "title", f"第{n}份责任书")
        layout.add_paragraph(doc, "body", "正文。")
        doc.save(str(tmp_path / f"{n}.docx"))
        with zipfile.ZipFile(tmp_path / f"{n}.docx") as zf:
            bodies.append(zf.read("word/document.xml"))

    def write(document_xml: bytes) -> Path:
        path = tmp_path / "combined.docx"
        with zipfile.ZipFile(tmp_path / "1.docx") as src, zipfile.ZipFile(path, "w") as dst:
            for item in src.infolist():
                data = document_xml if item.filename == "word/document.xml" else src.read(item)
                dst.writestr(item, data)
        return path

    combined = combine_documents(bodies)
    assert check_docx(write(combined)).ok
    stripped = combined.replace(b'<w:pgNumType w:start="1"/>', b"")
    assert stripped != combined
    errors = check_docx(write(stripped)).errors
    assert [f.rule for f in errors] == ["页码"] and "第 1 页" in errors[0].message
    # The "sections" scope reads only the section skeleton of the body: same verdicts.
    assert check_docx(write(combined), scope="sections").ok
    assert check_docx(write(stripped), scope="sections").errors == errors
    a4_to_a3 = combined.replace(b'w:w="11906"', b'w:w="16838"', 1)
    assert a4_to_a3 != combined
    wrong = check_docx(write(a4_to_a3), scope="sections").errors
    assert wrong and wrong == check_docx(write(a4_to_a3)).errors[: len(wrong)]


_SECT = b'<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgNumType w:start="1"/></w:sectPr>'


def _body(*pieces: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + b"".join(pieces) + b"</w:body></w:document>"
    )


def _para(text: bytes, section: bytes = b"") -> bytes:
    properties = b'<w:pPr><w:jc w:val="both"/>' + section + b"</w:pPr>"
    return b"<w:p>" + properties + b"<w:r><w:t>" + text + b"</w:t></w:r></w:p>"


@pytest.mark.parametrize(
    ("data", "fast"),
    [
        (_body(_para(b"a", _SECT), _para(b"b"), _SECT), True),
        (_body(_para(b"a", _SECT.replace(b"11906", b"16838")), _para(b"b"), b"<w:sectPr/>"), True),
        # a section inside a table cell is not a section of the document
        (
            _body(
                b"<w:tbl><w:tr><w:tc>" + _para(b"t", _SECT) + b"</w:tc></w:tr></w:tbl>",
                _para(b"a", _SECT),
                _SECT,
            ),
            True,
        ),
        (_body(_para(b"a", _SECT), _SECT + b"\n"), False),  # not the plain shape
        (
            _body(_para(b"a", b"<w:pPrChange><w:pPr>" + _SECT + b"</w:pPr></w:pPrChange>"), _SECT),
            False,
        ),
    ],
)
def test_section_skeleton_found_in_the_bytes_is_the_parsed_one(data: bytes, fast: bool) -> None:
    """A combined volume's sections are found by scanning its bytes; what the page checks
    read from them is what parsing the whole body gives, and any shape the scan does not
    know is parsed."""
    import io

    from lxml import etree

    from officekit.gongwen import check

    assert (check._sections_in_bytes(data) is not None) == fast

    def sections(root: etree._Element) -> list[bytes]:
        return [etree.tostring(s) for s in check._sections(root.find(check.W + "body"))]

    parsed = etree.parse(io.BytesIO(data)).getroot()
    found = check._section_skeleton(data)
    # The parsed document's own sections, less the one in a table cell (never a
    # document's section; the skeleton drops tables).
    expected = [
        s
        for s in parsed.find(check.W + "body").iter(check.W + "sectPr")
        if not any(a.tag == check.W + "tbl" for a in s.iterancestors())
        and s.getparent().tag != check.W + "pPrChange"
        and not any(a.tag == check.W + "pPrChange" for a in s.iterancestors())
    ]
    assert sections(found) == [etree.tostring(s) for s in expected]


def test_report_as_dict_is_json(compliant: Path, tmp_path: Path) -> None:
    report = _broken(compliant, tmp_path, _add_body("20**年"))
    data = json.loads(json.dumps(report.as_dict(), ensure_ascii=False))
    assert data["ok"] is False and data["errors"] == len(report.errors)
    assert {"rule", "severity", "where", "message"} <= set(data["findings"][0])


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.docx", None, "找不到文件"),
        ("草稿.doc", b"\xd0\xcf\x11\xe0", "另存为"),
        ("坏.docx", b"not a zip", "已损坏"),
    ],
)
def test_unreadable_input_is_a_document_error(
    tmp_path: Path, name: str, content: bytes | None, expected: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DocumentError) as caught:
        check_docx(path)
    assert expected in caught.value.message and name in caught.value.message


# The acceptance list of the checker, each a single planted defect through the command line.
ACCEPTANCE: dict[str, Mutation] = {
    "wrong paper": DEFECTS["paper Letter"][0],
    "margins": DEFECTS["top margin 25.4 mm"][0],
    "body font": DEFECTS["body font 宋体"][0],
    "body size": DEFECTS["body size 14 pt"][0],
    "title font": DEFECTS["title font 黑体"][0],
    "title size": DEFECTS["title size 18 pt"][0],
    "heading fonts": DEFECTS["h1 font 仿宋"][0],
    "theme fonts": DEFECTS["theme font in a style"][0],
    "missing page numbers": EXTRA_DEFECTS["no footers at all"][0],
    "undashed page numbers": EXTRA_DEFECTS["page number without dashes"][0],
    "no odd/even footers": DEFECTS["evenAndOddHeaders removed"][0],
    "zero-padded date": DEFECTS["zero-padded date"][0],
    "leftover tag": DEFECTS["leftover {{ x }}"][0],
    "placeholder": DEFECTS["XX同志"][0],
    "single line spacing": EXTRA_DEFECTS["single line spacing"][0],
}


@pytest.mark.parametrize("name", list(ACCEPTANCE))
def test_cli_check_exits_1_on_each_planted_defect(
    compliant: Path, tmp_path: Path, name: str
) -> None:
    from typer.testing import CliRunner

    from officekit.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["check", str(compliant)]).exit_code == 0
    doc = docx.Document(str(compliant))
    ACCEPTANCE[name](doc)
    path = tmp_path / "缺陷.docx"
    doc.save(str(path))
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1, result.output
    assert "✘ 缺陷.docx 不符合 GB/T 9704-2012" in result.output


def test_check_text_finds_what_the_full_check_finds_in_the_words(
    compliant: Path, tmp_path: Path
) -> None:
    import zipfile

    from officekit.gongwen.check import check_text

    doc = docx.Document(str(compliant))
    layout.add_paragraph(
        doc, "body", "请XX同志于2026年03月05日前报送{{ 材料 }}，文号青禾禁毒发[2026]5号。"
    )
    path = tmp_path / "words.docx"
    doc.save(str(path))
    full = [f for f in check_docx(path).findings if f.rule in ("遗留标记", "日期", "发文字号")]
    with zipfile.ZipFile(path) as zf:
        fast = check_text(zf.read("word/document.xml"))
    assert fast == full and len(fast) == 4
    with zipfile.ZipFile(compliant) as zf:
        assert check_text(zf.read("word/document.xml")) == []


def _xml_char(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or code >= 0x10000
    )


_CODES = st.integers(1, 0x10FFFF).filter(_xml_char)


@given(
    st.lists(
        st.one_of(
            st.text(
                alphabet=st.characters(
                    min_codepoint=0x20, blacklist_characters="&<>", blacklist_categories=("Cs",)
                ).filter(lambda c: _xml_char(ord(c)))
            ),
            st.sampled_from(["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]),
            _CODES.map(lambda c: f"&#{c};"),
            _CODES.map(lambda c: f"&#x{c:X};"),
        )
    )
)
def test_xml_text_references_resolve_as_an_xml_parser_resolves_them(pieces: list[str]) -> None:
    """The word rules read w:t text with XML's references resolved by a small resolver
    of their own (not html.unescape, whose table takes a millisecond to import and which
    reads &#128;–&#159; as Windows-1252); it agrees with an XML parser on any text."""
    from xml.etree import ElementTree

    from officekit.gongwen.words import unescape

    text = "".join(pieces)
    assert unescape(text) == (ElementTree.fromstring(f"<t>{text}</t>").text or "")


@pytest.mark.parametrize("options", [{"encrypted": True}, {"method": 9}])
def test_a_document_re_zipped_by_an_archiver_is_a_document_error(
    tmp_path: Path, options: dict
) -> None:
    from conftest import ROOT
    from zip_helpers import repacked

    path = repacked(ROOT / "word_templates" / "讲话稿.docx", tmp_path / "讲话.docx", **options)
    with pytest.raises(DocumentError) as caught:
        check_docx(path)
    assert "讲话.docx" in caught.value.message and caught.value.exit_code == 7
