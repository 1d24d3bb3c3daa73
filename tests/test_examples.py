"""The second example job builds, meets GB/T 9704, and matches its build script."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
from conftest import ROOT, load_tool
from docx_helpers import texts
from gbt9704 import check_docx

from officekit.build import build
from officekit.job import load_job

EXAMPLE = ROOT / "examples" / "会议通知"


def test_notice_example_builds_one_notice_per_unit(tmp_path: Path) -> None:
    folder = tmp_path / "会议通知"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("output"))
    result = build(load_job(folder), pdf="none")
    assert result.ok and result.warnings == []
    notices = sorted((folder / "output" / "通知").glob("*.docx"))
    assert len(notices) == 8
    first = texts(notices[0])
    assert first[0] == "关于召开全县安全生产工作会议的通知"
    assert "城关镇：" in first
    assert "2026年3月12日上午9时，会期半天。" in first
    assert "0000-1234567" in "".join(first)  # text cell keeps its leading zeros
    for path in notices + [folder / "output" / "通知汇总.docx"]:
        assert check_docx(path) == [], path.name


def test_committed_example_matches_its_script(tmp_path: Path, monkeypatch) -> None:
    module = load_tool("build_example_notice")
    monkeypatch.setattr(module, "FOLDER", tmp_path)
    module.main()
    for name in ("通知.docx",):
        with zipfile.ZipFile(EXAMPLE / name) as a, zipfile.ZipFile(tmp_path / name) as b:
            assert {i.filename: a.read(i) for i in a.infolist()} == {
                i.filename: b.read(i) for i in b.infolist()
            }
    assert (tmp_path / "officekit.toml").read_text(encoding="utf-8") == (
        EXAMPLE / "officekit.toml"
    ).read_text(encoding="utf-8")
    old = openpyxl.load_workbook(EXAMPLE / "会议通知数据.xlsx")
    new = openpyxl.load_workbook(tmp_path / "会议通知数据.xlsx")
    for sheet in old.sheetnames:
        assert [[c.value for c in r] for r in old[sheet].iter_rows()] == [
            [c.value for c in r] for r in new[sheet].iter_rows()
        ]
