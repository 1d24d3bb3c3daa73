"""officekit.combine.combine_documents: many documents of one template → one print file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx.document import Document as DocumentObject
from gbt9704 import W_NS, W, check_docx
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from officekit.combine import combine_documents
from officekit.gongwen import layout, oxml

R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
SECTPR_ORDER = [
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign",
    "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid",
    "printerSettings", "sectPrChange",
]  # fmt: skip
LETTERS = [
    ("2026年度禁毒工作目标责任书", ["乙方：县公安局", "一、工作目标", "严厉打击毒品犯罪。"]),
    ("2026年度禁毒工作目标责任书", ["乙方：县教育局", "一、工作目标", "深化毒品预防教育。"]),
    ("2026年度禁毒工作目标责任书", ["乙方：城关镇", "一、工作目标", "加强吸毒人员管控。"]),
]


def _letter(title: str, lines: list[str], *, table_last: bool = False) -> DocumentObject:
    doc = layout.new_document()
    layout.add_paragraph(doc, "title", title)
    for text in lines:
        role = "h1" if text.startswith("一、") else "body"
        layout.add_paragraph(doc, role, text)
    if table_last:
        layout.add_table(doc, [4422, 4422], [["甲方（盖章）：", "乙方（盖章）："]], header_rows=0)
    return doc


def _save(doc: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _document_xml(package: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return archive.read("word/document.xml")


def _replace_document_xml(package: bytes, xml: bytes, path: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = xml if info.filename == "word/document.xml" else src.read(info.filename)
            dst.writestr(info, data)
    return path


@pytest.fixture(scope="module")
def packages() -> list[bytes]:
    return [_save(_letter(title, lines)) for title, lines in LETTERS]


@pytest.fixture(scope="module")
def combined(packages: list[bytes]) -> etree._Element:
    return etree.fromstring(combine_documents([_document_xml(p) for p in packages]))


def _sections(root: etree._Element) -> list[etree._Element]:
    body = root.find(f"{W}body")
    inner = [s for p in body.iter(f"{W}p") for s in p.findall(f"{W}pPr/{W}sectPr")]
    return inner + body.findall(f"{W}sectPr")


def _texts(root: etree._Element) -> list[str]:
    body = root.find(f"{W}body")
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    return [t for t in texts if t]


def test_body_order_preserved(combined: etree._Element) -> None:
    expected = [text for title, lines in LETTERS for text in [title, *lines]]
    assert _texts(combined) == expected


def test_exactly_one_section_per_document(combined: etree._Element) -> None:
    body = combined.find(f"{W}body")
    assert len(_sections(combined)) == 3
    assert body[-1].tag == f"{W}sectPr"
    assert len(body.findall(f"{W}sectPr")) == 1
    # Each inner section ends on the last paragraph of a letter.
    enders = [p for p in body.findall(f"{W}p") if p.find(f"{W}pPr/{W}sectPr") is not None]
    assert ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in enders] == [
        LETTERS[0][1][-1],
        LETTERS[1][1][-1],
    ]


def test_sections_start_odd_page_numbered_from_one(combined: etree._Element) -> None:
    for sect in _sections(combined):
        types = sect.findall(f"{W}type")
        numbering = sect.findall(f"{W}pgNumType")
        assert [t.get(f"{W}val") for t in types] == ["oddPage"]
        assert [n.get(f"{W}start") for n in numbering] == ["1"]
        names = [etree.QName(c).localname for c in sect]
        assert names.index("type") < names.index("pgSz")
        ranks = [SECTPR_ORDER.index(n) for n in names]
        assert ranks == sorted(ranks), names


def test_footer_references_kept(packages: list[bytes], combined: etree._Element) -> None:
    source = etree.fromstring(_document_xml(packages[0])).find(f"{W}body/{W}sectPr")
    want = [(r.get(f"{W}type"), r.get(R_ID)) for r in source.findall(f"{W}footerReference")]
    assert {kind for kind, _ in want} == {"default", "even"}
    for sect in _sections(combined):
        refs = [(r.get(f"{W}type"), r.get(R_ID)) for r in sect.findall(f"{W}footerReference")]
        assert refs == want


def test_section_break_sits_in_ppr_after_rpr(combined: etree._Element) -> None:
    body = combined.find(f"{W}body")
    for p in body.findall(f"{W}p"):
        ppr = p.find(f"{W}pPr")
        if ppr is None or ppr.find(f"{W}sectPr") is None:
            continue
        names = [etree.QName(c).localname for c in ppr]
        assert names[-1] == "sectPr" or names[-2:] == ["sectPr", "pPrChange"], names


def test_sect_pr_after_paragraph_mark_properties() -> None:
    first = _letter("甲", ["正文一。"])
    last = first.paragraphs[-1]._p.get_or_add_pPr()
    oxml.set_size(oxml.ppr_child(last, "w:rPr"), 32)
    xml = combine_documents([_document_xml(_save(first)), _document_xml(_save(_letter("乙", [])))])
    ppr = etree.fromstring(xml).find(f"{W}body/{W}p[2]/{W}pPr")
    assert [etree.QName(c).localname for c in ppr][-2:] == ["rPr", "sectPr"]


def test_output_parses_and_is_compliant(packages: list[bytes], tmp_path: Path) -> None:
    xml = combine_documents([_document_xml(p) for p in packages])
    assert xml.startswith(b"<?xml")
    root = etree.fromstring(xml)
    assert root.tag == f"{W}document"
    # Every element stays in the WordprocessingML namespace under its usual prefix.
    assert all(el.prefix == "w" for el in root.iter() if etree.QName(el).namespace == W_NS)
    path = _replace_document_xml(packages[0], xml, tmp_path / "combined.docx")
    assert check_docx(path) == []


def test_table_last_gets_a_paragraph_for_the_section_break(tmp_path: Path) -> None:
    middle = _save(_letter("乙", ["正文二。"], table_last=True))
    parts = [_save(_letter("甲", ["正文一。"])), middle, _save(_letter("丙", ["正文三。"]))]
    xml = combine_documents([_document_xml(p) for p in parts])
    root = etree.fromstring(xml)
    body = root.find(f"{W}body")
    children = list(body)
    table_at = next(n for n, el in enumerate(children) if el.tag == f"{W}tbl")
    carrier = children[table_at + 1]
    assert carrier.tag == f"{W}p"
    assert carrier.find(f"{W}pPr/{W}sectPr") is not None
    assert not "".join(carrier.itertext())
    assert len(_sections(root)) >= 3  # one per letter (a letter may bring more)
    assert "丙" in "".join(children[table_at + 2].itertext())
    path = _replace_document_xml(parts[0], xml, tmp_path / "table.docx")
    assert check_docx(path) == []


def test_single_document_gets_odd_page_section() -> None:
    xml = combine_documents([_document_xml(_save(_letter("甲", ["正文。"])))])
    sections = _sections(etree.fromstring(xml))
    assert len(sections) == 1
    assert sections[0].find(f"{W}type").get(f"{W}val") == "oddPage"
    assert sections[0].find(f"{W}pgNumType").get(f"{W}start") == "1"


def test_existing_type_and_numbering_replaced_not_duplicated() -> None:
    doc = _letter("甲", ["正文。"])
    sect = doc.element.body.find(f"{W}sectPr")
    kind = etree.SubElement(sect, f"{W}type")
    kind.set(f"{W}val", "continuous")
    sect.find(f"{W}pgSz").addprevious(kind)
    numbering = etree.Element(f"{W}pgNumType")
    numbering.set(f"{W}start", "5")
    sect.find(f"{W}cols").addprevious(numbering)
    xml = _document_xml(_save(doc))
    for section in _sections(etree.fromstring(combine_documents([xml, xml]))):
        assert [t.get(f"{W}val") for t in section.findall(f"{W}type")] == ["oddPage"]
        assert [n.get(f"{W}start") for n in section.findall(f"{W}pgNumType")] == ["1"]


def test_page_number_format_of_the_template_is_kept() -> None:
    """Restarting at 1 must not drop the template's number format (w:fmt)."""
    doc = _letter("甲", ["正文。"])
    sect = doc.element.body.find(f"{W}sectPr")
    numbering = etree.Element(f"{W}pgNumType")
    numbering.set(f"{W}fmt", "numberInDash")
    sect.find(f"{W}cols").addprevious(numbering)
    xml = _document_xml(_save(doc))
    for section in _sections(etree.fromstring(combine_documents([xml, xml]))):
        found = section.find(f"{W}pgNumType")
        assert found.get(f"{W}start") == "1"
        assert found.get(f"{W}fmt") == "numberInDash"


def test_empty_input_raises() -> None:
    with pytest.raises(ValueError):
        combine_documents([])


# ---- bodies joined as bytes are the trees joined ------------------------------------------


def _canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def _shipped_letters(tmp_path: Path) -> list[bytes]:
    """document.xml of the letters officekit renders from the shipped template."""
    from officekit import context, workbook
    from officekit.job import load_job
    from officekit.render import compile_template, make_environment

    job = load_job(Path(__file__).resolve().parent.parent)
    book = workbook.load(job)
    spec = next(d for d in job.documents if d.each)
    template = compile_template(spec.template, make_environment(), job.font_profile)
    return [
        template.render(c.variables)["word/document.xml"]
        for c in context.document_contexts(spec, book)[:6]
    ]


@pytest.mark.parametrize("start", ["oddPage", "nextPage"])
def test_shipped_letters_are_joined_as_bytes_exactly_as_trees(tmp_path: Path, start: str) -> None:
    from officekit import combine

    letters = _shipped_letters(tmp_path)
    spliced = combine._splice(letters, start)
    assert spliced is not None  # the shape officekit's templates give
    assert _canonical(spliced) == _canonical(combine.combine_trees(letters, start))


@pytest.mark.parametrize("table_last", [False, True])
def test_python_docx_letters_are_joined_as_bytes_exactly_as_trees(table_last: bool) -> None:
    from officekit import combine

    bodies = [
        _document_xml(_save(_letter(title, lines, table_last=table_last)))
        for title, lines in LETTERS
    ]
    spliced = combine._splice(bodies, "oddPage")
    assert spliced is not None
    assert _canonical(spliced) == _canonical(combine.combine_trees(bodies, "oddPage"))


def _with_last_paragraph(xml: bytes, paragraph: bytes) -> bytes:
    at = xml.rfind(b"<w:sectPr")
    return xml[:at] + paragraph + xml[at:]


@pytest.mark.parametrize(
    "paragraph",
    [
        b"<w:p><w:r><w:t>no properties</w:t></w:r></w:p>",
        b'<w:p w:rsidR="00AB12CD"><w:pPr/><w:r><w:t>empty properties</w:t></w:r></w:p>',
        b'<w:p><w:pPr><w:jc w:val="right"/><w:rPr><w:b/></w:rPr></w:pPr></w:p>',
        # Not handled as bytes (the trees are joined instead), but joined all the same:
        b'<w:p><w:pPr><w:sectPr><w:type w:val="continuous"/></w:sectPr></w:pPr></w:p>',
        b'<w:p><w:pPr><w:jc w:val="left"/><w:pPrChange w:id="1" w:author="x">'
        b'<w:pPr><w:jc w:val="right"/></w:pPr></w:pPrChange></w:pPr></w:p>',
        b'<w:p><w:r><w:t>text</w:t></w:r></w:p><w:bookmarkEnd w:id="0"/>',
        b'<w:p>\n  <w:pPr><w:jc w:val="right"/></w:pPr>\n  <w:r><w:t>indented</w:t></w:r>\n</w:p>',
    ],
)
def test_every_kind_of_last_paragraph_is_joined_as_the_trees_join_it(paragraph: bytes) -> None:
    from officekit import combine

    base = _document_xml(_save(_letter(*LETTERS[0])))
    bodies = [_with_last_paragraph(base, paragraph) for _ in range(3)]
    joined = combine.combine_documents(bodies, "oddPage")
    assert _canonical(joined) == _canonical(combine.combine_trees(bodies, "oddPage"))
    root = etree.fromstring(joined)
    assert len(_sections(root)) >= 3  # one per letter (a letter may bring more)


def test_a_tracked_change_of_the_final_section_is_joined_as_the_trees_join_it() -> None:
    from officekit import combine

    base = _document_xml(_save(_letter(*LETTERS[0])))
    at = base.rfind(b"</w:sectPr>")
    change = (
        b'<w:sectPrChange w:id="9" w:author="x">'
        b'<w:sectPr><w:pgSz w:w="11906"/></w:sectPr></w:sectPrChange>'
    )
    tracked = base[:at] + change + base[at:]
    for bodies in ([tracked], [tracked, tracked]):  # a volume of one letter, and of two
        joined = combine.combine_documents(bodies, "oddPage")
        assert _canonical(joined) == _canonical(combine.combine_trees(bodies, "oddPage"))


def _gathered(letters: list[bytes], start: str) -> tuple[bytes, bytes | None]:
    from officekit import combine

    sections = combine.Sections()
    spliced = b"".join(combine.splice_stream(iter(letters), len(letters), start, sections))
    return spliced, sections.skeleton()


@pytest.mark.parametrize("start", ["oddPage", "nextPage"])
@pytest.mark.parametrize("kind", ["shipped", "python-docx", "python-docx, table last"])
def test_the_skeleton_gathered_while_splicing_is_the_one_found_in_the_file(
    tmp_path: Path, start: str, kind: str
) -> None:
    """The section check of a combined volume reads the skeleton its writer gathered: it
    must be, byte for byte, what the checker finds in the written text."""
    from officekit.gongwen.check import _sections_in_bytes

    if kind == "shipped":
        letters = _shipped_letters(tmp_path)
    else:
        table_last = kind.endswith("table last")
        letters = [
            _document_xml(_save(_letter(title, lines, table_last=table_last)))
            for title, lines in LETTERS
        ]
    spliced, skeleton = _gathered(letters, start)
    assert skeleton is not None and skeleton == _sections_in_bytes(spliced)
    assert skeleton.count(b"<w:sectPr") == len(letters)
    # and it is the one planned from the first letter before any is read (the volume is
    # checked on it while it is written; generate.run compares the two)
    from officekit import combine

    assert combine.planned_skeleton(letters[0], len(letters), start) == skeleton


def test_a_letter_with_section_breaks_of_its_own_leaves_them_to_the_checker(
    tmp_path: Path,
) -> None:
    letters = _shipped_letters(tmp_path)[:2]
    own = b'<w:p><w:pPr><w:sectPr><w:pgSz w:w="16838" w:h="11906"/></w:sectPr></w:pPr></w:p>'
    at = letters[1].find(b"<w:body>") + len(b"<w:body>")
    letters[1] = letters[1][:at] + own + letters[1][at:]
    _, skeleton = _gathered(letters, "oddPage")
    assert skeleton is None


# -- the section break made on bytes (combine._section_bytes) --------------------------

_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# sectPr children the bytes path meets: schema elements in and out of order, types and
# page numbering in every form, an element the schema list does not name, a nested one
_SECT_CHILDREN = [
    '<w:headerReference w:type="default" r:id="rId8"/>',
    '<w:footerReference w:type="even" r:id="rId9"/>',
    '<w:type w:val="continuous"/>',
    "<w:type></w:type>",
    '<w:pgSz w:w="11906" w:h="16838"/>',
    '<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/>',
    '<w:pgNumType w:fmt="decimal"/>',
    "<w:pgNumType w:start='5' w:chapStyle=\"1\"></w:pgNumType>",
    '<w:pgNumType w:start="7"/>',
    '<w:cols w:num="2"><w:col w:w="4000"/><w:col w:w="4000"/></w:cols>',
    "<w:titlePg/>",
    '<w:docGrid w:type="lines" w:linePitch="579"/>',
    '<w:madeUp w:val="1"/>',
]


def _document(sect: str) -> bytes:
    return (
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{_R_NS}"><w:body><w:p><w:r><w:t>甲</w:t>'
        f"</w:r></w:p>{sect}</w:body></w:document>"
    ).encode()


def _by_tree(xml: bytes, start: str) -> tuple[bytes, bytes]:
    from officekit import combine

    root = etree.fromstring(xml)
    sect = root.find(f"{W}body/{W}sectPr")
    properties = combine._section_properties(sect, start)
    carrier = combine._carrier()
    carrier.find(f"{W}pPr").append(properties)
    return combine._fragment(properties, root), combine._fragment(carrier, root)


def _tree_of(fragment: bytes) -> tuple:
    """A fragment as (tag, attributes, text, children): the same elements and values
    whatever prefixes name their namespaces (a detached copy is written by lxml with
    prefixes of its own)."""

    def shape(element: etree._Element) -> tuple:
        return (
            element.tag,
            sorted(element.attrib.items()),
            (element.text or "").strip(),
            [shape(child) for child in element],
        )

    wrapped = f'<x xmlns:w="{W_NS}" xmlns:r="{_R_NS}">'.encode() + fragment + b"</x>"
    return shape(etree.fromstring(wrapped))


@given(
    children=st.lists(st.sampled_from(_SECT_CHILDREN), max_size=8),
    spaces=st.sampled_from(["", "\n  "]),
    start=st.sampled_from(["oddPage", "nextPage"]),
)
@settings(max_examples=150, deadline=None)
def test_section_break_on_bytes_is_the_trees(children: list[str], spaces: str, start: str) -> None:
    from officekit import combine

    sect = f'<w:sectPr w:rsidR="00FC693F">{spaces}{spaces.join(children)}{spaces}</w:sectPr>'
    xml = _document(sect)
    head = combine._body(xml)
    made = combine._section_bytes(xml, head, start)
    assert made is not None
    section, carrier = _by_tree(xml, start)
    assert _tree_of(made) == _tree_of(section)
    assert combine._breaks(xml, start)[1:] == (
        made,
        combine._CARRIER_OPEN + made + b"</w:pPr></w:p>",
    )
    assert _tree_of(combine._breaks(xml, start)[2]) == _tree_of(carrier)


@pytest.mark.parametrize(
    "sect",
    [
        '<w:sectPr><!-- a note --><w:pgSz w:w="11906"/></w:sectPr>',  # a comment
        '<w:sectPr><w:pgSz w:w="11906"/><mc:Choice xmlns:mc="urn:x"/></w:sectPr>',  # a prefix
        "<w:sectPr>text<w:pgSz/></w:sectPr>",  # text
        f'<w:sectPr xmlns:w="{W_NS}"><w:pgSz/></w:sectPr>',  # declares its own namespace
        '<w:sectPr><w:pgSz w:code="a>b"/></w:sectPr>',  # ">" in a value: not read on bytes
        "<w:sectPr><w:pgNumType w:start='\"5'/></w:sectPr>",  # a quote in the start
        '<w:sectPr><w:type xmlns:w="urn:x" w:val="x"/><w:pgSz/></w:sectPr>',  # w: bound anew
    ],
)
def test_unusual_sections_are_left_to_the_tree(sect: str) -> None:
    from officekit import combine

    xml = _document(sect)
    head = combine._body(xml)
    assert head is not None
    assert combine._section_bytes(xml, head, "oddPage") is None
    section, carrier = _by_tree(xml, "oddPage")
    _, made, holder = combine._breaks(xml, "oddPage")
    assert (_tree_of(made), _tree_of(holder)) == (_tree_of(section), _tree_of(carrier))


def test_another_prefix_for_word_is_left_to_the_tree() -> None:
    from officekit import combine

    xml = _document("<w:sectPr><w:pgSz/></w:sectPr>").replace(
        f'xmlns:w="{W_NS}"'.encode(), f'xmlns:w="{W_NS}" xmlns:v="{W_NS}"'.encode()
    )
    assert combine._section_bytes(xml, combine._body(xml), "oddPage") is not None
    # … but a start given through it would be set twice: the tree sets it once
    other = _document('<w:sectPr><w:pgNumType v:start="5"/></w:sectPr>').replace(
        f'xmlns:w="{W_NS}"'.encode(), f'xmlns:w="{W_NS}" xmlns:v="{W_NS}"'.encode()
    )
    assert combine._section_bytes(other, combine._body(other), "oddPage") is None
    etree.fromstring(combine.combine_documents([other, other]))  # well-formed
    strange = _document("<w:sectPr><w:pgSz/></w:sectPr>").replace(
        f'xmlns:w="{W_NS}"'.encode(), b'xmlns:w="urn:not-word"'
    )
    assert combine._section_bytes(strange, combine._body(strange), "oddPage") is None
