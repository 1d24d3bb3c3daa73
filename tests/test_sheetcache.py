"""officekit.sheetcache: unchanged sheets are not read again, changed ones are, and the
cache never decides what a document says."""

from __future__ import annotations

import pickle
from pathlib import Path

import openpyxl
import pytest

from officekit import sheetcache, workbook, xlsx
from officekit.build import build
from officekit.errors import WorkbookError
from officekit.job import load_job
from officekit.sheetcache import SheetCache


def _sheets_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    original = xlsx.Book.iter_rows

    def counting(self, sheet):
        read.append(sheet.title)
        return original(self, sheet)

    monkeypatch.setattr(xlsx.Book, "iter_rows", counting)
    return read


def _tables(book: workbook.Workbook) -> dict:
    return {
        name: [(r.number, r.keys(), [str(c) for c in r.cells.values()]) for r in table]
        for name, table in book.tables.items()
    }


def test_a_rebuild_reads_only_the_changed_sheet(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = load_job(job_dir)
    path = job.workbook
    openpyxl.load_workbook(path).save(path)  # as the edit below will save it
    assert build(job).ok
    cached = list((job.output / sheetcache.FOLDER / "sheets").glob("*.pickle"))
    assert len(cached) == len(workbook.load(job).tables)

    wb = openpyxl.load_workbook(path)
    ws = wb["责任单位"]
    ws.cell(row=2, column=3).value = "全年目标（已调整）"
    wb.save(path)

    read = _sheets_read(monkeypatch)
    result = build(job)
    assert result.ok
    assert read == ["基本信息", "责任单位"]  # the key/value sheet is small and never cached
    fresh = workbook.load(job)  # no cache: everything read from the file
    cache = SheetCache(job.output)
    cached = workbook.load(job, cache)
    assert _tables(cached) == _tables(fresh)
    # A cached table is not checked again (a build published with it), but indexed alike.
    assert {n: (t.key, t.keys()) for n, t in cached.tables.items()} == {
        n: (t.key, t.keys()) for n, t in fresh.tables.items()
    }
    assert str(fresh.tables["责任单位"].rows[0].cells["工作目标"]) == "全年目标（已调整）"


def test_force_reads_every_sheet(job_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from officekit.build import Options

    job = load_job(job_dir)
    assert build(job).ok
    read = _sheets_read(monkeypatch)
    assert build(job, options=Options(force=True)).ok
    assert len(read) == len(workbook.load(job).tables) + 1


def test_a_failed_build_writes_no_cache(job_dir: Path) -> None:
    job = load_job(job_dir)
    wb = openpyxl.load_workbook(job.workbook)
    wb["考核指标"].cell(row=2, column=3).value = "三十"  # 分值 must be a number
    wb.save(job.workbook)
    with pytest.raises(WorkbookError):
        build(job)
    assert not (job.output / sheetcache.FOLDER).exists()


class _Evil:
    def __reduce__(self):
        return (print, ("planted",))


def test_a_planted_pickle_is_refused(job_dir: Path) -> None:
    job = load_job(job_dir)
    assert build(job).ok
    for entry in (job.output / sheetcache.FOLDER / "sheets").glob("*.pickle"):
        entry.write_bytes(pickle.dumps(_Evil()))
    cache = SheetCache(job.output)
    book = workbook.load(job, cache)  # every entry refused: every sheet read again
    assert _tables(book) == _tables(workbook.load(job))
    with pytest.raises(pickle.UnpicklingError):
        sheetcache._Plain(__import__("io").BytesIO(pickle.dumps(_Evil()))).load()


def test_a_damaged_entry_of_plain_values_is_read_again(job_dir: Path) -> None:
    """An entry that unpickles (plain values) but is not a table's pieces is taken for a
    miss: the sheet is read from the workbook, nothing raised."""
    job = load_job(job_dir)
    assert build(job).ok
    for entry in (job.output / sheetcache.FOLDER / "sheets").glob("*.pickle"):
        with entry.open("wb") as out:
            for piece in ((["列"], {"列": 1}, []), b"\x00" * 8, ([], b""), (7, ["x"]), None):
                pickle.dump(piece, out)
    book = workbook.load(job, SheetCache(job.output))
    assert _tables(book) == _tables(workbook.load(job))


def test_parts_the_zip_directory_describes_as_before_are_not_read(job_dir: Path) -> None:
    """Hashing a part means reading it whole: after a build, only the sheets whose zip
    directory entry (CRC, sizes) changed are read to make their keys; with --force
    (``read=False``) every one is, and the keys are the same either way."""
    job = load_job(job_dir)
    path = job.workbook
    openpyxl.load_workbook(path).save(path)  # as the edit below will save it
    assert build(job).ok
    wb = openpyxl.load_workbook(path)
    wb["责任单位"].cell(row=2, column=3).value = "全年目标（已调整）"
    wb.save(path)

    def keys(cache: SheetCache) -> tuple[dict[str, str], set[str]]:
        opened: set[str] = set()
        with xlsx.Book(path) as book:
            original = book.zip.open

            def counting(name, *args, **kwargs):
                opened.add(name)
                return original(name, *args, **kwargs)

            book.zip.open = counting  # type: ignore[method-assign]
            found = {s.title: cache.key(book, s, job.tables.get(s.title)) for s in book.sheets}
        return found, opened

    trusted, opened = keys(SheetCache(job.output))
    with xlsx.Book(path) as book:
        parts = {s.title: s.part for s in book.sheets}
    assert parts["责任单位"] in opened
    assert not opened & {parts[name] for name in ("工作任务", "任务分工", "考核指标")}
    fresh, opened = keys(SheetCache(job.output, read=False))
    assert {parts[name] for name in job.tables} <= opened
    assert fresh == trusted
