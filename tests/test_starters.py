"""Every starter job `officekit init` makes builds as it is, passes the format check on
the .docx and on the page, and its committed files are what its build script makes.

One test per example: init into a fresh folder, `officekit build DIR --pdf`, then
`officekit check --pdf` on every output (real LibreOffice, real poppler).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, load_tool
from typer.testing import CliRunner

from officekit.cli import app
from officekit.gongwen import headercheck, redheader
from officekit.gongwen.pdfcheck import read_pages
from officekit.shipped import BLANK, EXAMPLES

runner = CliRunner()
# The examples built from scratch by a script in tools/, and the files it writes.
SCRIPTS = {
    "安全生产责任书": ("build_example_safety", ["安全生产数据.xlsx", "责任书.docx", "通知.docx"]),
    "红头通知": ("build_example_redheader", ["红头通知数据.xlsx", "通知.docx"]),
    BLANK: ("build_blank_job", ["工作簿.xlsx", "每行一份.docx", "汇总.docx"]),
}


def test_list_names_every_example_first_on_its_line() -> None:
    result = runner.invoke(app, ["init", "--list"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert [line.split()[0] for line in lines] == [e.name for e in EXAMPLES]
    assert {"禁毒工作会议", "会议通知", "安全生产责任书", "红头通知", "空白任务"} <= {
        line.split()[0] for line in lines
    }


def test_unknown_example_names_the_closest(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "x"), "--example", "红头"])
    assert result.exit_code == 1
    assert "没有名为“红头”的示例（最接近的有：红头通知）" in result.output
    assert not (tmp_path / "x").exists()


def test_blank_and_example_together_are_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "x"), "--blank", "--example", "会议通知"])
    assert result.exit_code == 1 and "只能选一个" in result.output


def _outputs(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / "output").rglob("*.docx"))


@pytest.mark.parametrize("name", [e.name for e in EXAMPLES if e.name != "禁毒工作会议"])
def test_example_builds_and_passes_check_with_pdf(tmp_path: Path, soffice: Path, name: str) -> None:
    folder = tmp_path / name
    made = runner.invoke(app, ["init", str(folder), "--example", name])
    assert made.exit_code == 0, made.output
    assert (folder / "生成公文.bat").exists() and (folder / "生成公文.sh").exists()
    built = runner.invoke(app, ["build", str(folder), "--pdf"])
    assert built.exit_code == 0, built.output
    assert "公文格式检查（GB/T 9704-2012）：全部符合" in built.output
    assert "警告：无" in built.output
    outputs = _outputs(folder)
    assert outputs
    checked = runner.invoke(app, ["check", "--pdf", *map(str, outputs)])
    assert checked.exit_code == 0, checked.output
    assert "错误" not in checked.output and "提醒" not in checked.output


def test_blank_is_the_blank_example(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", str(tmp_path / "空"), "--blank"]).exit_code == 0
    names = sorted(p.name for p in (tmp_path / "空").iterdir())
    assert names == sorted(
        [".officekit-python", "officekit.toml", *SCRIPTS[BLANK][1], "生成公文.bat", "生成公文.sh"]
    )
    job = (tmp_path / "空" / "officekit.toml").read_text(encoding="utf-8")
    for line in job.splitlines():  # every line says what it does
        assert not line.strip() or "#" in line, line


def test_red_header_notice_measured_on_its_pdf(tmp_path: Path, soffice: Path) -> None:
    """The acceptance figures, measured on the page: mark red and 35 mm down, 发文字号 with
    〔〕, the red rule as wide as the block; the last page even with the imprint at its foot."""
    folder = tmp_path / "红头通知"
    runner.invoke(app, ["init", str(folder), "--example", "红头通知"])
    assert runner.invoke(app, ["build", str(folder)]).exit_code == 0
    pdf = folder / "output" / "通知" / "01-乡镇.pdf"
    rows = headercheck._rows(pdf, 1, red=True)
    rule = headercheck._rule(rows)
    assert rule is not None
    y, x0, x1 = rule
    assert abs((x1 - x0) - 156) <= 1 and abs(x0 - 28) <= 1
    assert abs(rows[0][0] - 37 - redheader.MARK_TOP_MM) <= 1  # mark's top, below the block's
    pages = read_pages(pdf)
    first = "".join(w.text for w in pages[0].words)
    assert "青禾县禁毒委员会文件" in first and "青禁毒委〔2026〕3号" in first
    assert len(pages) % 2 == 0
    block_bottom = 262 * 72 / 25.4  # points: the page number below it left out
    last = "".join(w.text for w in pages[-1].words if w.y1 < block_bottom)
    assert (
        last
        == "抄送：县委办公室，县人大常委会办公室，县政府办公室，县政协办公室。青禾县禁毒委员会办公室2026年3月2日印发"
    )
    dark = [r for r in headercheck._rows(pdf, len(pages), red=False) if r[3] >= 150]
    assert abs(dark[-1][0] - 262) <= 1  # the imprint's last rule on the block's lower edge


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_committed_example_matches_its_script(tmp_path: Path, monkeypatch, name: str) -> None:
    script, files = SCRIPTS[name]
    module = load_tool(script)
    monkeypatch.setattr(module, "FOLDER", tmp_path)
    module.main()
    committed = ROOT / "examples" / name
    assert (tmp_path / "officekit.toml").read_text(encoding="utf-8") == (
        committed / "officekit.toml"
    ).read_text(encoding="utf-8")
    for file in files:
        if file.endswith(".docx"):
            with zipfile.ZipFile(committed / file) as a, zipfile.ZipFile(tmp_path / file) as b:
                assert {i.filename: a.read(i) for i in a.infolist()} == {
                    i.filename: b.read(i) for i in b.infolist()
                }, file
        else:
            old, new = (
                openpyxl.load_workbook(committed / file),
                openpyxl.load_workbook(tmp_path / file),
            )
            assert old.sheetnames == new.sheetnames
            for sheet in old.sheetnames:
                assert [[c.value for c in r] for r in old[sheet].iter_rows()] == [
                    [c.value for c in r] for r in new[sheet].iter_rows()
                ], (file, sheet)
                assert old[sheet].data_validations.count == new[sheet].data_validations.count
