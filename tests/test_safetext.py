"""safetext: characters XML cannot hold shown as a mark wherever officekit writes text;
the two hostile names from issue 23 end in one sentence, and the marked copy shows the
mark in LibreOffice Calc."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import edit_cells
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from officekit import safetext
from officekit.cli import app

WORKBOOK = "sheets/禁毒工作数据.xlsx"
HOSTILE = "_x000B_&<交警>{{ 7*7 }}/:*?"  # a pasted vertical tab (as Excel stores it), markup
MARK = "〔控制字符 U+000B〕"
runner = CliRunner()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("县名\x0b", "县名〔控制字符 U+000B〕"),
        ("a\x00b\x1f", "a〔控制字符 U+0000〕b〔控制字符 U+001F〕"),
        ("\ud800", "〔无效字符 U+D800〕"),
        ("\uffff", "〔无效字符 U+FFFF〕"),
        ("甲\t乙\n丙\r", "甲\t乙\n丙\r"),  # what XML allows is kept
        ("😀&<>", "😀&<>"),
    ],
)
def test_visible_marks_what_xml_cannot_hold(raw: str, shown: str) -> None:
    assert safetext.visible(raw) == shown


def test_the_terminal_also_gets_escape_sequences_marked() -> None:
    assert safetext.for_terminal("\x1b[2J红\x9b") == "〔控制字符 U+001B〕[2J红〔控制字符 U+009B〕"
    assert safetext.for_terminal("甲\t乙") == "甲\t乙"


@given(st.text())
def test_visible_text_is_always_xml(text: str) -> None:
    shown = safetext.visible(text)
    assert not safetext.ILLEGAL_XML.search(shown)
    assert (shown == text) == (safetext.removed(text) == text)  # only what must change
    assert shown.count("〔") == text.count("〔") + len(text) - len(safetext.removed(text))
    assert openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.search(shown) is None  # openpyxl takes it


def test_excel_escapes_decode() -> None:
    assert safetext.decode_excel("甲_x000B_乙_x0041_") == "甲\x0b乙A"
    assert safetext.decode_excel("甲乙") == "甲乙"


# ---- the two hostile names of the issue, end to end ----------------------------------------


def _outputs(job_dir: Path) -> dict[str, str]:
    return {
        p.relative_to(job_dir / "output").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((job_dir / "output").rglob("*"))
        if p.is_file() and "问题标注" not in p.name
    }


def _cell_text_in_calc(marked: Path, sheet: str, tmp_path: Path, soffice: Path) -> str:
    """The sheet as LibreOffice Calc shows it, exported to CSV (every sheet: option -1)."""
    out = tmp_path / "csv"
    subprocess.run(
        [
            str(soffice),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(out),
            str(marked),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (out / f"{marked.stem}-{sheet}.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("sheet", "cell", "named"),
    [("基本信息", "A2", "基本信息」表第 2 行"), ("责任单位", "A2", "县委政法委")],
)
def test_a_hostile_name_is_one_sentence_and_the_marked_copy_shows_it(
    job_dir: Path, tmp_path: Path, soffice: Path, sheet: str, cell: str, named: str
) -> None:
    first = runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert first.exit_code == 0, first.output
    before = _outputs(job_dir)
    book = job_dir / WORKBOOK
    original = openpyxl.load_workbook(book)[sheet][cell].value
    edit_cells(book, sheet, {cell: original + HOSTILE})

    result = runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert result.exit_code == 3, result.output
    assert "内部错误" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误：工作簿 禁毒工作数据.xlsx")
    assert named in lines[0] and "问题标注.xlsx 中用红色标出" in lines[0]
    assert _outputs(job_dir) == before  # the last good outputs, byte for byte

    marked = job_dir / "output" / "禁毒工作数据-问题标注.xlsx"
    copy = openpyxl.load_workbook(marked)
    comments = [c.comment.text for ws in copy for row in ws.iter_rows() for c in row if c.comment]
    assert comments and not any(safetext.ILLEGAL_XML.search(t) for t in comments)
    if sheet == "基本信息":  # the bad cell itself: its invisible character shown in Calc
        assert MARK in copy[sheet][cell].comment.text
        shown = _cell_text_in_calc(marked, sheet, tmp_path, soffice)
        assert f"{original}{MARK}&<交警>{{{{ 7*7 }}}}/:*?" in shown

    validated = runner.invoke(app, ["validate", "--job", str(job_dir)])
    assert validated.exit_code == 3 and "内部错误" not in validated.output
    if sheet == "基本信息":
        assert "〔控制字符" in validated.output and "\x0b" not in validated.output


def test_names_that_look_like_markup_are_printed_as_they_are(job_dir: Path) -> None:
    """A unit named like rich's markup ("[/]") neither crashes the summary nor vanishes."""
    book = job_dir / WORKBOOK
    wb = openpyxl.load_workbook(book)
    old = wb["责任单位"]["A2"].value
    new = old + "[/][bold]"
    for ws in (wb["责任单位"], wb["任务分工"], wb["考核指标"]):
        for row in ws.iter_rows():
            for c in row:
                if c.value == old:
                    c.value = new
    wb.save(book)
    result = runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert list((job_dir / "output").rglob(f"*{old}[[]*"))  # the letter has the name
    edit_cells(book, "统计数据", {"C2": "九十一[/]"})
    result = runner.invoke(app, ["validate", "--job", str(job_dir)])
    assert result.exit_code == 3 and "九十一[/]" in result.output
