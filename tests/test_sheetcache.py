"""officekit.sheetcache: unchanged sheets are not read again, changed ones are, and the
cache never decides what a document says."""

from __future__ import annotations

import pickle
from pathlib import Path

import openpyxl
import pytest
from xlsx_helpers import to_shared_strings

from officekit import sheetcache, workbook, xlsx
from officekit.build import build
from officekit.errors import WorkbookError
from officekit.job import load_job
from officekit.sheetcache import SheetCache


def _sheets_read(
    monkeypatch: pytest.MonkeyPatch, partly: dict[str, int] | None = None
) -> list[str]:
    """Titles of the sheets read whole from now on; ``partly``: sheet → rows read of
    those read against their last reading (officekit.sheetdiff)."""
    read: list[str] = []
    original = xlsx.Book.iter_rows

    def counting(self, sheet, xml=None):
        if xml is None:
            read.append(sheet.title)
        elif partly is not None:
            partly[sheet.title] = xml.count(b"<row ") - 1  # the header row comes along
        return original(self, sheet, xml)

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

    partly: dict[str, int] = {}
    read = _sheets_read(monkeypatch, partly)
    result = build(job)
    assert result.ok
    assert read == ["基本信息"]  # the key/value sheet is small and never cached
    assert partly == {"责任单位": 1}  # of the changed sheet, the changed row only
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


def _loads_alike(job, expect_partly: bool = True) -> workbook.Workbook:
    """The workbook loaded with the cache (after a build filled it) equals one read
    whole: tables, keys, warnings; returns the cached load."""
    fresh = workbook.load(job)
    cached = workbook.load(job, SheetCache(job.output))
    assert _tables(cached) == _tables(fresh)
    assert {n: (t.key, t.keys()) for n, t in cached.tables.items()} == {
        n: (t.key, t.keys()) for n, t in fresh.tables.items()
    }
    assert cached.warnings == fresh.warnings
    return cached


@pytest.mark.parametrize("shared", [False, True], ids=["inline strings", "shared strings"])
def test_rows_edited_inserted_deleted_and_appended_read_as_a_whole_reading(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch, shared: bool
) -> None:
    """Each edit a clerk makes, built after the one before: the changed sheet is read
    against its last reading, and the tables are what reading it whole gives. With
    shared strings (Excel, WPS), the workbook's string table is rewritten on every save,
    moving the indices rows name."""
    job = load_job(job_dir)
    path = job.workbook

    def save(wb: openpyxl.Workbook) -> None:
        wb.save(path)
        if shared:
            to_shared_strings(path)

    save(openpyxl.load_workbook(path))
    assert build(job).ok
    # (sheet, edit, most rows read with inline strings): a row inserted or deleted
    # renumbers the rows after it, which are read again
    edits = [
        ("责任单位", lambda ws: ws.cell(row=3, column=3, value="目标（已调整）"), 1),
        ("考核指标", lambda ws: ws.insert_rows(6), None),
        ("考核指标", lambda ws: [ws.cell(row=6, column=c, value=v) for c, v in
                                 enumerate(["县公安局", "新增考核", 0, "完成得分"], start=1)], 1),
        ("考核指标", lambda ws: ws.delete_rows(6), None),
        ("工作任务", lambda ws: ws.append(["T99", "宣传预防", "新增的一项任务"]), 1),
        ("任务分工", lambda ws: ws.append(["T99", "县公安局", "牵头"]), 1),
        ("责任单位", lambda ws: ws.cell(row=2, column=3, value="第一个单位的新目标"), 1),
    ]  # fmt: skip
    partly: dict[str, int] = {}
    read = _sheets_read(monkeypatch, partly)
    for sheet, edit, most in edits:
        wb = openpyxl.load_workbook(path)
        edit(wb[sheet])
        rows = wb[sheet].max_row - 1
        save(wb)
        read.clear()
        partly.clear()
        assert build(job).ok
        assert read == ["基本信息"], (sheet, read, partly)
        # Shared strings renumbered change every sheet's key: each is compared row by row
        assert list(partly) == [sheet] if not shared else sheet in partly
        assert 0 < partly[sheet] <= (most if most and not shared else rows), (sheet, partly)
        monkeypatch.undo()
        _loads_alike(job)
        read = _sheets_read(monkeypatch, partly)


def test_a_problem_in_a_changed_row_is_reported_as_a_whole_reading_does(job_dir: Path) -> None:
    job = load_job(job_dir)
    assert build(job).ok
    wb = openpyxl.load_workbook(job.workbook)
    wb["考核指标"].cell(row=4, column=3).value = "三十"  # 分值 must be a number
    wb.save(job.workbook)
    with pytest.raises(WorkbookError) as whole:
        workbook.load(job)
    with pytest.raises(WorkbookError) as again:
        workbook.load(job, SheetCache(job.output))
    assert again.value.message == whole.value.message
    assert "C4" in again.value.message


def test_a_changed_header_or_damaged_stored_xml_reads_the_sheet_whole(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = load_job(job_dir)
    assert build(job).ok
    stored = list((job.output / sheetcache.FOLDER / "sheets").glob("*.xml"))
    assert len(stored) == len(job.tables)
    for entry in stored:  # damaged: its CRC no longer matches
        data = bytearray(entry.read_bytes())
        data[-20] ^= 0xFF
        entry.write_bytes(bytes(data))
    wb = openpyxl.load_workbook(job.workbook)
    wb["责任单位"].cell(row=2, column=3).value = "全年目标（已调整）"
    wb.save(job.workbook)
    read = _sheets_read(monkeypatch)
    _loads_alike(job)
    assert "责任单位" in read
    assert build(job).ok  # and the build stores it afresh
    wb = openpyxl.load_workbook(job.workbook)
    wb["责任单位"].cell(row=1, column=3).value = "年度目标"  # the header: every column may move
    wb.save(job.workbook)
    read.clear()
    with pytest.raises(WorkbookError, match="工作目标"):
        workbook.load(job, SheetCache(job.output))
    assert "责任单位" in read


def test_hidden_rows_of_a_reread_sheet_are_still_reported(job_dir: Path) -> None:
    job = load_job(job_dir)
    wb = openpyxl.load_workbook(job.workbook)
    wb["考核指标"].row_dimensions[8].hidden = True
    wb.save(job.workbook)
    assert build(job).ok
    wb = openpyxl.load_workbook(job.workbook)
    wb["考核指标"].cell(row=3, column=4).value = "完成得满分，未完成不得分"
    wb.save(job.workbook)
    book = _loads_alike(job)
    assert any("第 8 行是隐藏的" in w for w in book.warnings)


def test_a_planted_stored_xml_is_refused_without_inflating_it_all(job_dir: Path) -> None:
    """A stored XML is taken only when it inflates to the size and CRC its header says,
    and is never inflated beyond that size (a planted file of zeros that would inflate
    to a gigabyte stops at the size it claims)."""
    import zlib

    job = load_job(job_dir)
    assert build(job).ok
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = b"".join(bomb.compress(b"\0" * (1 << 20)) for _ in range(64)) + bomb.flush()
    for entry in (job.output / sheetcache.FOLDER / "sheets").glob("*.xml"):
        entry.write_bytes(b"officekit-sheet-xml 1 8 0 100\n" + packed)
    cache = SheetCache(job.output)
    with xlsx.Book(job.workbook) as book:
        for sheet in book.sheets:
            rule = job.tables.get(sheet.title)
            if rule is not None:
                assert cache.comparable(book, sheet, rule)
                assert cache.previous(book, sheet, rule) is None


def test_rows_out_of_the_order_of_their_numbers_read_as_a_whole_reading(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A program that writes rows out of the order of their numbers (Excel never does):
    a later edit still loads what reading the sheet whole gives."""
    import zipfile

    job = load_job(job_dir)
    path = job.workbook
    openpyxl.load_workbook(path).save(path)

    def swap_rows(a: int, b: int) -> None:  # rows a and b of 考核指标 swapped in the file
        with zipfile.ZipFile(path) as zf:
            parts = {i.filename: zf.read(i) for i in zf.infolist()}
        with xlsx.Book(path) as book:
            part = next(s.part for s in book.sheets if s.title == "考核指标")
        xml = parts[part].decode("utf-8")
        first, second = (xml.index(f'<row r="{n}"') for n in (a, b))
        end_first = xml.index("</row>", first) + len("</row>")
        end_second = xml.index("</row>", second) + len("</row>")
        xml = (
            xml[:first]
            + xml[second:end_second]
            + xml[end_first:second]
            + xml[first:end_first]
            + xml[end_second:]
        )
        parts[part] = xml.encode("utf-8")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in parts.items():
                zf.writestr(name, data)

    swap_rows(4, 5)
    assert build(job).ok
    wb = openpyxl.load_workbook(path)
    wb["考核指标"].cell(row=2, column=4).value = "按完成情况得分"
    wb.save(path)
    swap_rows(4, 5)
    _loads_alike(job)
