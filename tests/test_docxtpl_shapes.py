"""The template shapes of docxtpl's own test suite, built here in code: officekit renders
the text docxtpl renders for the same template and data.

Where docxtpl itself fails (a character reference or full-width sign inside a tag), the
expected text is docxtpl's for the same template typed with ASCII quotes and signs.
Both render with autoescape on (docxtpl's default is off, which lets "<" in data break
the document); officekit's StrictUndefined is not exercised: every name is given.
"""

from __future__ import annotations

import copy
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import jinja2
import pytest
from docx import Document
from docx.shared import Mm
from docx_helpers import texts
from docxtpl import DocxTemplate, InlineImage

from officekit.errors import WorkbookError
from officekit.render import compile_template
from officekit.values import Cell

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docxtpl(template: Path, context: dict[str, Any], out: Path) -> Path:
    tpl = DocxTemplate(template)
    tpl.render(context, jinja2.Environment(autoescape=True))
    tpl.save(out)
    return out


def _officekit(template: Path, context: dict[str, Any], out: Path) -> Path:
    compiled = compile_template(template)
    compiled.write(compiled.render(context), out)
    return out


def _both(tmp_path: Path, template: Path, context: dict[str, Any]) -> tuple[Path, Path]:
    theirs = _docxtpl(template, context, tmp_path / "docxtpl.docx")
    ours = _officekit(template, context, tmp_path / "officekit.docx")
    return theirs, ours


def _rows(path: Path) -> list[list[str]]:
    doc = Document(path)
    return [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]


def _grids(path: Path) -> list[tuple[int, list[int]]]:
    """Per table: its grid columns and each row's spanned columns."""
    doc = Document(path)
    found = []
    for table in doc.element.body.iter(f"{W}tbl"):
        columns = len(table.findall(f"{W}tblGrid/{W}gridCol"))
        spans = []
        for row in table.findall(f"{W}tr"):
            total = 0
            for cell in row.findall(f"{W}tc"):
                span = cell.find(f"{W}tcPr/{W}gridSpan")
                total += int(span.get(f"{W}val")) if span is not None else 1
            spans.append(total)
        found.append((columns, spans))
    return found


def _rewrite(path: Path, edit) -> Path:
    """``path`` with its document.xml passed through ``edit`` (as another program wrote it)."""
    with zipfile.ZipFile(path) as zf:
        members = {i: zf.read(i) for i in zf.namelist()}
    members["word/document.xml"] = edit(members["word/document.xml"].decode("utf-8")).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _paragraphs(path: Path, lines: list[str | list[str]]) -> Path:
    """A plain Word document; a list item is one paragraph typed in several runs."""
    doc = Document()
    for line in lines:
        paragraph = doc.add_paragraph()
        for piece in [line] if isinstance(line, str) else line:
            paragraph.add_run(piece)
    doc.save(path)
    return path


def test_tags_split_over_runs_bookmarks_and_proofing_marks(tmp_path: Path) -> None:
    template = _paragraphs(
        tmp_path / "t.docx",
        [["{", "{ na", "me }", "}"], ["{% if fl", "ag %}", "yes{% e", "ndif %}"]],
    )

    def with_marks(xml: str) -> str:
        return xml.replace(
            "<w:t>{ na</w:t>", '<w:t>{ na</w:t></w:r><w:proofErr w:type="spellStart"/><w:r>', 1
        ).replace(
            "<w:t>ag %}</w:t>",
            '<w:t>ag %}</w:t></w:r><w:bookmarkStart w:id="3" w:name="x"/>'
            '<w:bookmarkEnd w:id="3"/><w:r w:rsidR="00FF0011">',
            1,
        )

    _rewrite(template, with_marks)
    assert "proofErr" in zipfile.ZipFile(template).read("word/document.xml").decode()
    theirs, ours = _both(tmp_path, template, {"name": "Ann & Bo", "flag": True})
    assert texts(ours) == texts(theirs)
    assert "Ann & Bo" in texts(ours)


def _quoted(tmp_path: Path, name: str, line: str) -> Path:
    return _paragraphs(tmp_path / name, [line])


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        # LibreOffice Writer's references, as the less_cells_after_loop shape has them
        ("{% for x in [&quot;甲&quot;, &quot;乙&quot;] %}{{ x }}{% endfor %}", None),
        ("{% if k == &apos;是&apos; %}对{% endif %}", None),
        ("{% if n &gt; 2 %}多{% endif %}", None),
        # the input method's full-width signs, outside literals
        ("{{ items|join（“、”） }}", '{{ items|join("、") }}'),
        ("{% for x in items %}{{ loop.index }}：{{ x }}，{% endfor %}", None),
        ('{% if k ＝＝ "是" %}对{% endif %}', '{% if k == "是" %}对{% endif %}'),
    ],
)
def test_references_and_full_width_signs_inside_tags(
    tmp_path: Path, stored: str, typed: str | None
) -> None:
    plain = typed or stored.replace("&quot;", '"').replace("&apos;", "'").replace("&gt;", ">")
    context = {"items": ["甲", "乙"], "k": "是", "n": 3}
    expected = _docxtpl(_quoted(tmp_path, "plain.docx", plain), context, tmp_path / "e.docx")
    template = _quoted(tmp_path, "stored.docx", "PLACEHOLDER")
    _rewrite(template, lambda xml: xml.replace("PLACEHOLDER", stored))
    ours = _officekit(template, context, tmp_path / "o.docx")
    assert texts(ours) == texts(expected)
    assert any(t.strip() for t in texts(ours))


def test_curly_quotes_typed_by_word_autoformat(tmp_path: Path) -> None:
    template = _paragraphs(tmp_path / "t.docx", ["{% if k == “是” %}对{% else %}错{% endif %}"])
    theirs, ours = _both(tmp_path, template, {"k": "是"})
    assert texts(ours) == texts(theirs) and "对" in texts(ours)


def test_literal_escapes_print_as_tags(tmp_path: Path) -> None:
    template = _paragraphs(
        tmp_path / "t.docx", ["写 {_{ 名称 }_} 或 {_% if 条件 %_}：{{ x }}", "{_{x}_}"]
    )
    theirs, ours = _both(tmp_path, template, {"x": "值"})
    assert texts(ours) == texts(theirs)
    assert "写 {{ 名称 }} 或 {% if 条件 %}：值" in texts(ours)


def _table(doc: Any, rows: list[list[str]]) -> Any:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, texts_ in enumerate(rows):
        for c, text in enumerate(texts_):
            table.cell(r, c).text = text
    return table


def test_dynamic_columns_with_tc_loops(tmp_path: Path) -> None:
    doc = Document()
    _table(
        doc,
        [
            ["", "{%tc for col in labels %}", "{{ col }}", "{%tc endfor %}"],
            ["{%tr for item in rows %}", "", "", ""],
            ["{{ item.label }}", "{%tc for col in item.cols %}", "{{ col }}", "{%tc endfor %}"],
            ["{%tr endfor %}", "", "", ""],
        ],
    )
    template = tmp_path / "t.docx"
    doc.save(template)
    context = {
        "labels": ["水果", "蔬菜", "石头", "车"],
        "rows": [
            {"label": "黄", "cols": ["香蕉", "辣椒", "黄铁矿", "出租车"]},
            {"label": "红", "cols": ["苹果", "番茄", "辰砂", "巴士"]},
        ],
    }
    theirs, ours = _both(tmp_path, template, context)
    assert _rows(ours) == _rows(theirs)
    assert _rows(ours)[1] == ["黄", "香蕉", "辣椒", "黄铁矿", "出租车"]
    for columns, spans in _grids(ours):  # the grid declares what the rows hold
        assert all(span == columns for span in spans), (columns, spans)
    assert _grids(ours) == _grids(theirs)


def test_horizontal_merge_spans_the_loop(tmp_path: Path) -> None:
    doc = Document()
    _table(
        doc,
        [
            ["表头", "{%tc for x in [1, 2, 3, 4] %}", "{% hm %}分组", "{%tc endfor %}"],
            ["", "{%tc for x in [1, 2, 3, 4] %}", "第{{ x }}列", "{%tc endfor %}"],
        ],
    )
    template = tmp_path / "t.docx"
    doc.save(template)
    theirs, ours = _both(tmp_path, template, {})
    assert _rows(ours) == _rows(theirs)
    assert _grids(ours) == _grids(theirs)
    columns, spans = _grids(ours)[0]
    assert spans == [columns, columns] == [5, 5]


def test_vertical_merge_in_a_row_loop(tmp_path: Path) -> None:
    doc = Document()
    _table(
        doc,
        [
            ["类别", "名称", "数量"],
            ["{%tr for i in items %}", "", ""],
            ["{% vm %}{{ category }}", "{{ i.desc }}", "{{ i.qty }}"],
            ["{%tr endfor %}", "", ""],
        ],
    )
    template = tmp_path / "t.docx"
    doc.save(template)
    context = {"category": "图书", "items": [{"desc": "甲", "qty": 2}, {"desc": "乙", "qty": 5}]}
    theirs, ours = _both(tmp_path, template, context)
    assert _rows(ours) == _rows(theirs)
    merges = [m.get(f"{W}val") for m in Document(ours).element.body.iter(f"{W}vMerge")]
    assert merges == ["restart", "continue"]


def test_fewer_cells_after_the_loop_shrink_the_grid(tmp_path: Path) -> None:
    doc = Document()
    _table(doc, [["甲", "{%tc for x in [] %}", "{{ x }}", "{%tc endfor %}", "乙"]])
    template = tmp_path / "t.docx"
    doc.save(template)
    theirs, ours = _both(tmp_path, template, {})
    assert _rows(ours) == _rows(theirs) == [["甲", "乙"]]
    assert _grids(ours) == _grids(theirs) == [(2, [2])]
    widths = Document(ours).element.body.findall(f".//{W}gridCol")
    assert sum(int(w.get(f"{W}w")) for w in widths) > 8000  # the table keeps its width


def test_document_properties_are_rendered(tmp_path: Path) -> None:
    template = _paragraphs(tmp_path / "t.docx", ["{{ test }}"])
    doc = Document(template)
    doc.core_properties.title = "{{ test }} 标题"
    doc.core_properties.subject = "关于{{ test }}"
    doc.core_properties.author = "{{ test }}办"
    doc.save(template)
    theirs, ours = _both(tmp_path, template, {"test": "禁毒"})
    for prop in ("title", "subject", "author"):
        assert getattr(Document(ours).core_properties, prop) == getattr(
            Document(theirs).core_properties, prop
        )
    assert Document(ours).core_properties.title == "禁毒 标题"


def _png(path: Path, width: int, height: int) -> Path:
    """A small real PNG (one grey pixel row repeated), with a 96 dpi pHYs chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"pHYs", struct.pack(">IIB", 3780, 3780, 1))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def test_pictures_from_cells_like_inline_image(tmp_path: Path) -> None:
    seal = _png(tmp_path / "公章.png", 200, 100)
    theirs_tpl = _paragraphs(tmp_path / "theirs.docx", ["印章：{{ seal }}。"])
    ours_tpl = _paragraphs(tmp_path / "ours.docx", ["印章：{{ 公章|图片(宽=20) }}。"])
    tpl = DocxTemplate(theirs_tpl)
    tpl.render(
        {"seal": InlineImage(tpl, str(seal), width=Mm(20))}, jinja2.Environment(autoescape=True)
    )
    tpl.save(tmp_path / "docxtpl.docx")
    compiled = compile_template(ours_tpl, root=tmp_path)
    cell = Cell("公章.png", place="「责任单位」表 F2")
    compiled.write(compiled.render({"公章": cell}), tmp_path / "officekit.docx")
    theirs, ours = Document(tmp_path / "docxtpl.docx"), Document(tmp_path / "officekit.docx")
    assert texts(tmp_path / "officekit.docx") == texts(tmp_path / "docxtpl.docx")
    assert len(ours.inline_shapes) == len(theirs.inline_shapes) == 1
    ours_shape, theirs_shape = ours.inline_shapes[0], theirs.inline_shapes[0]
    assert (ours_shape.width, ours_shape.height) == (theirs_shape.width, theirs_shape.height)
    assert ours_shape.width == Mm(20) and ours_shape.height == Mm(10)
    # the picture itself is in the package, under the relationship the drawing names
    blip = ours.element.body.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
    assert ours.part.related_parts[rid].blob == seal.read_bytes()


def test_a_picture_twice_is_stored_once_and_empty_cells_place_nothing(tmp_path: Path) -> None:
    _png(tmp_path / "码.png", 50, 50)
    template = _paragraphs(tmp_path / "t.docx", ["{{ a|图片(高=10) }}{{ a|图片 }}{{ b|图片 }}"])
    compiled = compile_template(template, root=tmp_path)
    parts = compiled.render({"a": Cell("码.png"), "b": Cell(None)})
    assert [n for n in parts if n.startswith("word/media/")] == ["word/media/officekit-1.png"]
    compiled.write(parts, tmp_path / "out.docx")
    doc = Document(tmp_path / "out.docx")
    assert [s.height for s in doc.inline_shapes][:1] == [Mm(10)]
    assert len(doc.inline_shapes) == 2
    ids = [
        e.get("id")
        for e in doc.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert len(set(ids)) == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "「责任单位」表 F2 的图片“无此图.png”找不到"),
        (b"not a picture", "「责任单位」表 F2 的图片“无此图.png”无法读取"),
    ],
)
def test_missing_or_unreadable_picture_names_the_cell(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    if content is not None:
        (tmp_path / "无此图.png").write_bytes(content)
    template = _paragraphs(tmp_path / "t.docx", ["{{ 公章|图片 }}"])
    compiled = compile_template(template, root=tmp_path)
    with pytest.raises(WorkbookError) as caught:
        compiled.render({"公章": Cell("无此图.png", place="「责任单位」表 F2")})
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


def test_grid_is_not_touched_without_cell_tags(tmp_path: Path) -> None:
    doc = Document()
    _table(doc, [["{{ a }}", "b"]])
    template = tmp_path / "t.docx"
    doc.save(template)
    compiled = compile_template(template)
    assert compiled.parts["word/document.xml"].mends == ()
    before = copy.deepcopy(_grids(template))
    assert _grids(_officekit(template, {"a": 1}, tmp_path / "o.docx")) == before
    assert re.search(
        r"gridCol", zipfile.ZipFile(tmp_path / "o.docx").read("word/document.xml").decode()
    )
