"""Shared fixtures: a copy of the shipped job in a temporary folder, workbook edits."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest

from officekit.export import find_soffice
from officekit.shipped import JOB_FILES

ROOT = Path(__file__).resolve().parent.parent

# Compiled templates are cached in the user's cache folder (officekit.templatecache): the
# tests, and the builds they start, use one of their own.
os.environ["OFFICEKIT_CACHE"] = tempfile.mkdtemp(prefix="officekit-test-cache-")


@pytest.fixture(autouse=True)
def _no_stale_caches_under_mutmut() -> None:
    """Mutation testing (tools/mutation.py) runs each mutant's tests in a process forked from
    one that already ran the unmutated code: results memoised there (functools caches of
    parsed number formats and page set-ups) would answer instead of the mutated function.
    They are emptied before each test then; a normal run is left alone."""
    if not os.environ.get("MUTANT_UNDER_TEST", "").startswith("officekit."):
        return
    for name, module in list(sys.modules.items()):
        if name.startswith("officekit") and module is not None:
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()


@pytest.fixture
def job_dir(tmp_path: Path) -> Path:
    """A fresh copy of the shipped job (job file, workbook, templates)."""
    folder = tmp_path / "job"
    for name in JOB_FILES:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target)
    return folder


def edit_cells(workbook: Path, sheet: str, edits: dict[str, object]) -> None:
    """Set cells (``{"C2": 92}``) of ``sheet`` in a real .xlsx, as a clerk would."""
    wb = openpyxl.load_workbook(workbook)
    ws = wb[sheet]
    for ref, value in edits.items():
        ws[ref] = value
    wb.save(workbook)


def find_row(workbook: Path, sheet: str, column: int, value: str) -> int:
    """Excel row number of the first row whose ``column`` (1-based) equals ``value``."""
    wb = openpyxl.load_workbook(workbook, read_only=True)
    try:
        for number, row in enumerate(wb[sheet].iter_rows(values_only=True), start=1):
            if len(row) >= column and row[column - 1] == value:
                return number
    finally:
        wb.close()
    raise LookupError(f"{value} not in {sheet}")


@pytest.fixture(scope="session")
def soffice() -> Path:
    """LibreOffice; in CI its absence is a failure, not a skip (users depend on PDFs)."""
    found = find_soffice()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required in CI (tools/test.sh installs it)")
        pytest.skip("LibreOffice not installed")
    return found


def make_job(
    folder: Path, tables: str, sheets: dict[str, list[list[object]]], head: str = ""
) -> Path:
    """A tiny job: officekit.toml (``head`` + ``tables``) and data.xlsx built from rows."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "officekit.toml").write_text(
        f'{head}[job]\nworkbook = "data.xlsx"\n{tables}\n'
        '[[documents]]\nname = "通知"\ntemplate = "通知.docx"\n',
        encoding="utf-8",
    )
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(folder / "data.xlsx")
    return folder


def load_tool(name: str) -> ModuleType:
    """Import a script from tools/ (they are not a package) under a private name."""
    spec = importlib.util.spec_from_file_location(
        f"officekit_tools_{name}", ROOT / "tools" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def resave(soffice: Path, source: Path, target_dir: Path, filter_name: str) -> Path:
    """``source`` opened and saved again by LibreOffice (``filter_name``: "docx:MS Word 2007
    XML", "xlsx:Calc MS Excel 2007 XML"), as a clerk who edits it in Writer or Calc would,
    or converted ("pdf"); the copy has the same stem in ``target_dir``, the filter's suffix."""
    import subprocess

    target_dir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="officekit-resave-"))
    try:
        subprocess.run(
            [
                str(soffice),
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                filter_name,
                "--outdir",
                str(target_dir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    saved = target_dir / f"{source.stem}.{filter_name.split(':')[0]}"
    assert saved.exists(), f"LibreOffice did not save {saved.name}"
    return saved
