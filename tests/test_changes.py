"""Tests for officekit.changes: rows changed since the last load, and the letters they reach.

The workbook is the shipped one, loaded through a real sheet cache, edited with openpyxl
as a clerk would. The reference for "which letters can change" is the digest itself:
every letter whose full digest (officekit.inputs) differs after an edit must be among
the letters ``reached`` names.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit_cells, find_row

from officekit import changes, context, workbook
from officekit.inputs import DEPTH, Digests
from officekit.job import load_job
from officekit.sheetcache import SheetCache

WORKBOOK = "sheets/禁毒工作数据.xlsx"


def _load(job_dir: Path) -> tuple[workbook.Workbook, SheetCache]:
    """The workbook through the sheet cache; the cache is committed (the last load's
    entries pruned) by the next ``_load``, as a build does once it has compared."""
    cache = SheetCache(job_dir / "output")
    book = workbook.load(load_job(job_dir), cache)
    _pending.append(cache)
    while len(_pending) > 1:
        _pending.pop(0).commit()
    return book, cache


_pending: list[SheetCache] = []


def _changed(before: workbook.Workbook, after: workbook.Workbook, cache: SheetCache):
    return changes.changed_rows(
        after.tables,
        after.relations,
        after.keys,
        before.keys,
        lambda name, key: workbook.stored_table(cache, name, key),
    )


def _letter_digests(book: workbook.Workbook, job_dir: Path) -> list[str]:
    spec = next(d for d in load_job(job_dir).documents if d.each)
    digests = Digests(book.relations, "base")
    used = {"单位", "单位名称", "编号", "县名"}
    return [
        digests.document(c.variables, used, str(c.index))
        for c in context.document_contexts(spec, book)
    ]


def _positions(book: workbook.Workbook, sheet: str, column: str, value: str) -> list[int]:
    return [i for i, v in enumerate(book.tables[sheet].column(column)) if v == value]


@pytest.mark.parametrize(
    ("sheet", "column", "key", "cell", "value"),
    [
        ("责任单位", 1, "县公安局", "C", "全年破案不少于100起"),  # a unit's own row
        ("工作任务", 1, "T01", "C", "严厉打击各类毒品犯罪"),  # a task: its units, 2 steps
        ("任务分工", 1, "T03", "C", "配合"),  # an assignment: the task's units, 3 steps
        ("考核指标", 1, "县教育局", "D", "按时完成得满分"),  # an assessment row
    ],
)
def test_letters_whose_digest_changes_are_among_those_reached(
    job_dir: Path, sheet: str, column: int, key: str, cell: str, value: str
) -> None:
    before, cache = _load(job_dir)
    old = _letter_digests(before, job_dir)
    row = find_row(job_dir / WORKBOOK, sheet, column, key)
    edit_cells(job_dir / WORKBOOK, sheet, {f"{cell}{row}": value})
    after, cache = _load(job_dir)
    found = _changed(before, after, cache)
    assert found is not None
    # Every sheet is compared (Excel and openpyxl rewrite the shared strings of all of
    # them), and only the edited row differs.
    assert {name: rows for name, rows in found.items() if rows} == {sheet: [row - 2]}
    units = after.tables["责任单位"]
    reached = changes.reached(after.relations, after.tables, found, units, DEPTH)
    new = _letter_digests(after, job_dir)
    moved = {i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b}
    assert moved and moved <= reached
    assert len(reached) < len(units)  # the point: not every letter


def test_reached_follows_references_both_ways_three_steps(job_dir: Path) -> None:
    book, _ = _load(job_dir)
    tasks, units = book.tables["工作任务"], book.tables["责任单位"]
    t01 = _positions(book, "工作任务", "任务编号", "T01")
    assert len(t01) == 1 and len(tasks) > 1
    on_t01 = {
        u
        for t, u in zip(
            *(book.tables["任务分工"].column(c) for c in ("任务编号", "单位名称")), strict=True
        )
        if t == "T01"
    }  # fmt: skip
    reached = changes.reached(book.relations, book.tables, {"工作任务": t01}, units, DEPTH)
    assert {units.column("单位名称")[i] for i in reached} == on_t01
    # One step is not enough to get from a task to a unit (task → assignment → unit).
    assert changes.reached(book.relations, book.tables, {"工作任务": t01}, units, 1) == set()


@pytest.mark.parametrize(
    ("sheet", "cell", "why"),
    [
        ("责任单位", "A2", "a key renamed: its rows link elsewhere"),
        ("任务分工", "B3", "a reference moved to another unit"),
    ],
)
def test_an_edit_to_a_linking_column_is_not_trusted(
    job_dir: Path, sheet: str, cell: str, why: str
) -> None:
    import openpyxl

    before, _ = _load(job_dir)
    value = openpyxl.load_workbook(job_dir / WORKBOOK)[sheet][cell].value
    if sheet == "任务分工":  # another unit, not yet on that task: the sheet stays valid
        book = openpyxl.load_workbook(job_dir / WORKBOOK)
        task = book[sheet][f"A{cell[1:]}"].value
        taken = {r[1] for r in book[sheet].iter_rows(values_only=True) if r[0] == task}
        units = [r[0] for r in book["责任单位"].iter_rows(min_row=2, values_only=True)]
        replacement = next(u for u in units if u not in taken)
        edit_cells(job_dir / WORKBOOK, sheet, {cell: replacement})
    else:  # a unit renamed, and every row naming it with it
        replacement = f"{value}（新）"
        book = openpyxl.load_workbook(job_dir / WORKBOOK)
        book[sheet][cell] = replacement
        for other, column in (("任务分工", "B"), ("考核指标", "A")):
            for c in book[other][column]:
                if c.value == value:
                    c.value = replacement
        book.save(job_dir / WORKBOOK)
    after, cache = _load(job_dir)
    assert _changed(before, after, cache) is None, why


def test_rows_added_or_a_sheet_not_in_the_cache_are_not_trusted(job_dir: Path) -> None:
    before, _ = _load(job_dir)
    row = find_row(job_dir / WORKBOOK, "考核指标", 1, "县教育局")
    edit_cells(job_dir / WORKBOOK, "考核指标", {f"D{row}": "改过的评分标准"})
    after, cache = _load(job_dir)
    assert _changed(before, after, cache) is not None
    # The last load's entry for the edited sheet gone: nothing to compare with.
    missing = changes.changed_rows(
        after.tables, after.relations, after.keys, before.keys, lambda name, key: None
    )
    assert missing is None
    # A sheet the last load did not have.
    assert _changed(before, after, cache) is not None
    fewer = {k: v for k, v in before.keys.items() if k != "考核指标"}
    assert (
        changes.changed_rows(after.tables, after.relations, after.keys, fewer, lambda n, k: None)
        is None
    )
    # A row appended.
    import openpyxl

    book = openpyxl.load_workbook(job_dir / WORKBOOK)
    book["考核指标"].append(["县教育局", "新增指标", 0, "新增"])
    book.save(job_dir / WORKBOOK)
    grown, cache = _load(job_dir)
    assert _changed(after, grown, cache) is None


def test_nothing_changed_is_no_rows(job_dir: Path) -> None:
    before, _ = _load(job_dir)
    after, cache = _load(job_dir)
    found = _changed(before, after, cache)
    assert found == {}
    units = after.tables["责任单位"]
    assert changes.reached(after.relations, after.tables, found, units, DEPTH) == set()


def test_rows_differ_by_value_type_number_and_format() -> None:
    """Whole columns are compared first; a value equal to the last one but of another
    type (1 and 1.0 print differently), a moved row and a new number format all count."""
    from officekit.tables import Table

    def table(rows: list[tuple[int, list, list[str]]]) -> Table:
        t = Table("表", ["名称", "分值"])
        for number, values, formats in rows:
            t.add_values(number, values, formats)
        return t

    base = [(2, ["甲", 1], ["General", "General"]), (3, ["乙", 2], ["General", "General"])]
    assert changes._differing(table(base), table(base)) == []
    retyped = [base[0], (3, ["乙", 2.0], ["General", "General"])]
    assert changes._differing(table(base), table(retyped)) == [1]
    reformatted = [(2, ["甲", 1], ["General", "0.00"]), base[1]]
    assert changes._differing(table(base), table(reformatted)) == [0]
    moved = [(2, ["甲", 1], ["General", "General"]), (4, ["乙", 2], ["General", "General"])]
    assert changes._differing(table(base), table(moved)) == [1]
    edited = [base[0], (3, ["丙", 2], ["General", "General"])]
    assert changes._differing(table(base), table(edited)) == [1]
