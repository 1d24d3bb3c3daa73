"""officekit.inputs: a document's digest changes exactly when what it reads changes."""

from __future__ import annotations

from pathlib import Path

from conftest import edit_cells, find_row

from officekit import context, workbook
from officekit.inputs import Digests, template_base
from officekit.job import load_job


def _digests(job_dir: Path) -> dict[str, str]:
    job = load_job(job_dir)
    book = workbook.load(job)
    spec = next(d for d in job.documents if d.each)
    digests = Digests(book.relations, template_base(b"template", "GB2312"))
    used = {"单位", "单位名称", "县名"}
    return {
        str(c.row.cells["单位名称"].raw): digests.document(c.variables, used, str(c.index))
        for c in context.document_contexts(spec, book)
    }


def test_digest_follows_the_row_and_its_relations(job_dir: Path) -> None:
    before = _digests(job_dir)
    assert len(set(before.values())) == len(before)  # every letter its own digest
    book = job_dir / "sheets" / "禁毒工作数据.xlsx"
    # The unit's own row.
    row = find_row(book, "责任单位", 1, "县教育局")
    edit_cells(book, "责任单位", {f"C{row}": "开展毒品预防教育"})
    after = _digests(job_dir)
    assert {u for u in before if before[u] != after[u]} == {"县教育局"}
    # A row related to it (its assessment indicators).
    row = find_row(book, "考核指标", 1, "县民政局")
    edit_cells(book, "考核指标", {f"C{row}": 25})
    again = _digests(job_dir)
    assert {u for u in after if after[u] != again[u]} == {"县民政局"}


def test_digest_follows_used_variables_only(job_dir: Path) -> None:
    before = _digests(job_dir)
    book = job_dir / "sheets" / "禁毒工作数据.xlsx"
    row = find_row(book, "基本信息", 1, "通报人")  # not among the used names
    edit_cells(book, "基本信息", {f"B{row}": "另一位同志"})
    assert _digests(job_dir) == before
    row = find_row(book, "基本信息", 1, "县名")
    edit_cells(book, "基本信息", {f"B{row}": "青禾新县"})
    after = _digests(job_dir)
    assert all(before[u] != after[u] for u in before)


def test_template_and_options_are_part_of_every_digest() -> None:
    assert template_base(b"a", "GB2312") != template_base(b"b", "GB2312")
    assert template_base(b"a", "GB2312") != template_base(b"a", "Windows")


def _assignments(book: Path) -> list[tuple[int, str, str, str]]:
    """(Excel row, task, unit, role) of every 任务分工 row."""
    import openpyxl

    wb = openpyxl.load_workbook(book, read_only=True)
    try:
        rows = wb["任务分工"].iter_rows(min_row=2, values_only=True)
        return [(n, *row[:3]) for n, row in enumerate(rows, start=2)]
    finally:
        wb.close()


def test_digest_reaches_three_steps(job_dir: Path) -> None:
    """A task's text reaches every unit on it (unit → assignment → task); one unit's
    assignment reaches the other units on that task (… → task → assignment)."""
    book = job_dir / "sheets" / "禁毒工作数据.xlsx"
    assignments = _assignments(book)
    on_t02 = {unit for _, task, unit, _ in assignments if task == "T02"}
    on_t03 = [a for a in assignments if a[1] == "T03"]
    assert len(on_t02) > 1 and len(on_t03) > 1
    before = _digests(job_dir)
    row = find_row(book, "工作任务", 1, "T02")
    edit_cells(book, "工作任务", {f"C{row}": "依法严厉打击毒品犯罪（改）"})
    after = _digests(job_dir)
    assert {u for u in before if before[u] != after[u]} == on_t02
    number, _, _, role = on_t03[-1]  # one partner's role on T03
    edit_cells(book, "任务分工", {f"C{number}": "牵头" if role == "配合" else "配合"})
    again = _digests(job_dir)
    assert {u for u in after if after[u] != again[u]} == {unit for _, _, unit, _ in on_t03}


def test_shared_digest_follows_values_tables_and_how_rows_link(job_dir: Path) -> None:
    """What all letters read alike: a used top-level value, a used table (by its sheet's
    key), and the keys and references that link rows (a rule change can relink rows
    whose values stayed the same: then no letter keeps its digest on trust)."""
    import dataclasses

    from officekit.sheetcache import SheetCache
    from officekit.tables import Reference

    job = load_job(job_dir)
    book = workbook.load(job, SheetCache(job.output))  # with a cache: sheets have keys
    names = context.base_variables(book)
    used = {"县名", "责任单位", "单位", "编号"}
    own = {"单位", "编号"}

    def shared(**change) -> str | None:
        relations = dataclasses.replace(book.relations, **change)
        return Digests(relations, "base").shared(names, used, own, book.keys)

    first = shared()
    assert first is not None and shared() == first
    assert Digests(book.relations, "base").shared(names, used - {"县名"}, own, book.keys) != first
    keys = dict(book.keys, 责任单位="另一个键")
    assert Digests(book.relations, "base").shared(names, used, own, keys) != first
    assert Digests(book.relations, "base").shared(names, used, own, {}) is None
    fewer = [r for r in book.relations.references if r.source != "考核指标"]
    assert shared(references=fewer) != first
    moved = [Reference("考核指标", "考核内容", "责任单位"), *fewer]
    assert shared(references=moved) != first
