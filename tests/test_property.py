"""Property: whatever Unicode a clerk pastes into a text cell, the build never writes a
corrupt file.

Each example is a real .xlsx whose text cells hold arbitrary strings — control
characters, lone surrogates, direction marks, emoji, up to 10,000 characters. Characters
XML cannot hold are stored the way Excel stores them (``_xHHHH_``, ECMA-376 ST_Xstring).
The build must either succeed, with every document's XML parsing and each value's text
equal to the input minus the characters it reported removing (and the outer blanks Excel
users never mean), or fail with a classified message. Unit names are also used in file
names, which must be valid, distinct and short enough for every file system (no exit 5).

The same text as a key of the 项目 | 内容 sheet and as its value, through ``validate``
and ``validate --mark`` too: a problem is reported in one sentence with exit code 3 and
the marked copy opens with each invisible character shown as its mark, never a crash.
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
from typer.testing import CliRunner

from officekit.build import build
from officekit.cli import app
from officekit.errors import OfficekitError
from officekit.gongwen import layout
from officekit.job import load_job

runner = CliRunner()
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


def _job(folder: Path, rows: list[tuple[str, str]], item: tuple[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "officekit.toml").write_text(
        '[job]\nworkbook = "data.xlsx"\n[variables]\nsheet = "基本信息"\n'
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
    items = wb.create_sheet("基本信息")
    items.append(["项目", "内容"])
    items.append([_excel_escape(item[0]), _excel_escape(item[1])])
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
@given(
    rows=st.lists(st.tuples(values, values), min_size=1, max_size=3),
    item=st.tuples(st.just("备注") | values, values),
)
def test_any_text_in_cells_builds_valid_documents_or_fails_cleanly(
    tmp_path: Path, rows: list[tuple[str, str]], item: tuple[str, str]
) -> None:
    folder = _job(tmp_path / f"job{abs(hash(repr((rows, item))))}", rows, item)
    _validate_cleanly(folder)
    try:
        result = build(load_job(folder), pdf="none")
    except OfficekitError as exc:
        # A classified failure: one Chinese sentence, and no document half-written; a
        # name of any length is no reason (exit 5 would be a file system refusing it).
        assert exc.message and exc.exit_code in (3, 4)
        assert not list((folder / "output").rglob("*.docx"))
        if getattr(exc, "issues", None):
            _assert_marked_copy(folder / "output" / "data-问题标注.xlsx")
        return
    letters = sorted((folder / "output" / "信").glob("*.docx"))
    assert len(letters) == len(rows)
    assert len({p.name.lower() for p in letters}) == len(rows)
    removed_said = any("控制字符" in w for w in result.warnings)
    for path, (name, content) in zip(letters, rows, strict=True):
        assert not re.search(r'[<>:"/\\|?*\x00-\x1f]', path.name)
        assert len(path.name.encode("utf-8")) <= 255
        assert len(path.name.encode("utf-16-le")) <= 2 * 255
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
            root = etree.fromstring(zf.read("word/document.xml"))  # parses: well-formed
        texts = [_paragraph_text(p) for p in root.iter(f"{W}p")]
        for label, value in (("名称", name), ("内容", content)):
            shown = next(t for t in texts if t.startswith(label + "【"))
            assert shown == f"{label}【{_expected(value)}】"
            if NOT_XML.search(value.strip()):
                assert removed_said


def _validate_cleanly(folder: Path) -> None:
    """``validate --mark``: exit 0, or 3 with its table and a marked copy that opens."""
    marked = folder / "标注.xlsx"
    result = runner.invoke(app, ["validate", "--job", str(folder), "--mark", str(marked)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 3), result.output
    assert "内部错误" not in result.output
    if result.exit_code == 3 and "处问题" in result.output:
        _assert_marked_copy(marked)


def _assert_marked_copy(path: Path) -> None:
    """The copy opens; no comment holds a character XML cannot hold (each is its mark)."""
    wb = openpyxl.load_workbook(path)
    comments = [c.comment.text for ws in wb for row in ws.iter_rows() for c in row if c.comment]
    assert comments
    for text in comments:
        assert not NOT_XML.search(text)
