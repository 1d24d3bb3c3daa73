"""Property: whatever Unicode a clerk pastes into a text cell, the build never writes a
corrupt file.

Each example is a real .xlsx whose text cells hold arbitrary strings — control
characters, lone surrogates, direction marks, emoji, up to 10,000 characters. Characters
XML cannot hold are stored the way Excel stores them (``_xHHHH_``, ECMA-376 ST_Xstring).
The build must either succeed, with every document's XML parsing and each value's text
equal to the input minus the characters it reported removing (and the outer blanks Excel
users never mean), or fail with a classified message. Unit names are also used in file
names, which must be valid and distinct.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from officekit.build import build
from officekit.errors import OfficekitError
from officekit.gongwen import layout
from officekit.job import load_job

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Typed here, not imported: what XML 1.0 cannot hold.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NEEDS_ESCAPE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\r\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)"
)
INTERESTING = (
    "\x00\x01\x0b\x1f\t\n"  # control characters, tab and Alt+Enter
    "\ud800\udfff"  # lone surrogates
    "\u200e\u200f\u202e\u2066"  # direction marks
    "😀👍🏽\U0001f9d1\u200d\U0001f4bb"  # emoji, with modifiers and joiners
    "\ufeff\ufffe\uffff\u3000 "  # BOM, non-characters, ideographic space, space
    "&<>\"'{}%#_x"  # markup, template syntax and Excel's escape syntax
    "禁毒县局。，"
)
values = st.text(
    alphabet=st.one_of(st.sampled_from(INTERESTING), st.characters()),
    max_size=40,
) | st.text(alphabet=st.sampled_from("禁毒工作😀\u200f "), min_size=1, max_size=20).map(
    # A 10,000-character paste (control characters stay in the short strings: escaped,
    # they would pass Excel's 32,767-character cell limit).
    lambda unit: (unit * 10_000)[:10_000]
)


def _excel_escape(text: str) -> str:
    """How Excel stores a string: XML-illegal characters (and a literal "_xHHHH_") as
    ``_xHHHH_`` escapes."""
    return NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _expected(text: str) -> str:
    # A Windows line end (CR LF) in a cell is one line break, as Alt+Enter is.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip().strip("\u3000").strip()  # outer blanks are dropped on reading
    return NOT_XML.sub("", text)


def _paragraph_text(p: etree._Element) -> str:
    parts = []
    for el in p.iter(f"{W}t", f"{W}br", f"{W}tab"):
        parts.append(el.text or "" if el.tag == f"{W}t" else ("\n" if el.tag == f"{W}br" else "\t"))
    return "".join(parts)


def _job(folder: Path, rows: list[tuple[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "officekit.toml").write_text(
        '[job]\nworkbook = "data.xlsx"\n'
        '[tables."单位"]\nkey = "编号"\n'
        'columns = { "编号" = "文本!", "名称" = "文本!", "内容" = "文本" }\n'
        '[[documents]]\nname = "信"\ntemplate = "信.docx"\neach = "单位"\nas = "单位"\n'
        'output = "信/{{ 编号 }}-{{ 名称 }}"\n',
        encoding="utf-8",
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(["编号", "名称", "内容"])
    for number, (name, content) in enumerate(rows, start=1):
        ws.append([f"{number:02d}", _excel_escape(name), _excel_escape(content)])
    wb.save(folder / "data.xlsx")
    doc = layout.new_document()
    layout.add_paragraph(doc, "title", "通知")
    layout.add_paragraph(doc, "body", "名称【{{ 单位.名称 }}】")
    layout.add_paragraph(doc, "body", "内容【{{ 单位.内容 }}】")
    doc.save(str(folder / "信.docx"))
    return folder


@settings(
    max_examples=int(os.environ.get("OFFICEKIT_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(st.tuples(values, values), min_size=1, max_size=3))
def test_any_text_in_cells_builds_valid_documents_or_fails_cleanly(
    tmp_path: Path, rows: list[tuple[str, str]]
) -> None:
    folder = _job(tmp_path / f"job{abs(hash(repr(rows)))}", rows)
    try:
        result = build(load_job(folder), pdf="none")
    except OfficekitError as exc:
        # A classified failure: one Chinese sentence, and no document half-written.
        assert exc.message and exc.exit_code in (2, 3, 4, 5)
        assert not list((folder / "output").rglob("*.docx"))
        return
    letters = sorted((folder / "output" / "信").glob("*.docx"))
    assert len(letters) == len(rows)
    assert len({p.name.lower() for p in letters}) == len(rows)
    removed_said = any("控制字符" in w for w in result.warnings)
    for path, (name, content) in zip(letters, rows, strict=True):
        assert not re.search(r'[<>:"/\\|?*\x00-\x1f]', path.name)
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
            root = etree.fromstring(zf.read("word/document.xml"))  # parses: well-formed
        texts = [_paragraph_text(p) for p in root.iter(f"{W}p")]
        for label, value in (("名称", name), ("内容", content)):
            shown = next(t for t in texts if t.startswith(label + "【"))
            assert shown == f"{label}【{_expected(value)}】"
            if NOT_XML.search(value.strip()):
                assert removed_said
