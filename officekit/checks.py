"""Rules across rows: per-group sums and counts declared as [[checks]] in the job.

They produce warnings, not errors: the documents are still made, and the summary says
which group is off and where.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from officekit.job import Job
from officekit.tables import Table


def group_warnings(tables: dict[str, Table], job: Job, path: Path) -> list[str]:
    """Warnings for groups whose sum (or row count) is not what the job expects."""
    warnings = []
    for check in job.checks:
        table = tables.get(check.table)
        if table is None:
            continue
        totals: dict[Any, float] = {}
        rows: dict[Any, list[int]] = {}  # group → [first, last] row number
        # Column by column: ten thousand units have tens of thousands of rows.
        groups_of = table.column(check.group)
        values = table.column(check.column) if check.column else [None] * len(table)
        chosen = [True] * len(table)  # the rows meeting every ``where``
        for name, wanted in check.where:
            chosen = [
                c and str(x) == wanted for c, x in zip(chosen, table.column(name), strict=True)
            ]
        for number, group, value, counts in zip(
            table.numbers, groups_of, values, chosen, strict=True
        ):
            span = rows.get(group)
            if span is None:
                rows[group] = [number, number]
            else:
                span[1] = number
            if not counts:
                continue
            if check.kind == "count":
                totals[group] = totals.get(group, 0) + 1
                continue
            if isinstance(value, (int, float)):
                totals[group] = totals.get(group, 0) + value
        groups = list(rows)
        if check.per and check.per in tables:
            groups = list(tables[check.per].keys())  # noqa: SIM118 - a Table iterates rows
        condition = "、".join(f"「{k}」为“{v}”" for k, v in check.where)
        for group in groups:
            total = totals.get(group, 0)
            if abs(total - check.equals) <= 1e-9:
                continue
            numbers = rows.get(group, [])
            if not numbers:
                where = "没有任何行"
            elif numbers[0] == numbers[-1]:
                where = f"第 {numbers[0]} 行"
            else:
                where = f"第 {numbers[0]}–{numbers[-1]} 行"
            if check.kind == "count":
                what = f"的行里{condition}的有 {total:g} 行" if condition else f"有 {total:g} 行"
            else:
                what = f"的「{check.column}」合计为 {total:g}"
            warnings.append(
                f"工作簿 {path.name} 的「{check.table}」表中“{group}”{what}，应为 {check.equals:g}"
                f"（{where}），请核对后重新生成。"
            )
    return warnings
