"""Synthetic jobs of N units built from the shipped job, for the benchmarks.

The shipped 33 units are repeated in groups under new names ("县公安局（第2组）"), each
group with its own copy of the 26 tasks ("T01-2") and its rows in 任务分工 and 考核指标,
so every letter has the shipped letter's size and structure whatever N is (a task is
shared by the units of one county, not by every unit of a province).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from officekit.shipped import JOB_FILES

ROOT = Path(__file__).resolve().parent.parent
UNIT_SHEETS = {"任务分工": "单位名称", "考核指标": "单位名称"}
TASK_COLUMN = {"任务分工": "任务编号"}


def _name(unit: str, group: int) -> str:
    return unit if group == 0 else f"{unit}（第{group + 1}组）"


def _task(task: str, group: int) -> str:
    return task if group == 0 else f"{task}-{group + 1}"


def make_job(folder: Path, units: int, speech: bool = False) -> Path:
    """A job folder like the shipped one whose 责任单位 has ``units`` rows.

    Without ``speech`` the job makes only the letters and their combined file: the speech
    is one county-level document that would list every unit of the synthetic job.
    """
    for name in JOB_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, folder / name)
    if not speech:
        toml = folder / "officekit.toml"
        text = toml.read_text(encoding="utf-8")
        head, _, rest = text.partition("[[documents]]")
        letters = rest[rest.index("[[documents]]") :]
        toml.write_text(head + letters, encoding="utf-8")
    book = folder / "sheets" / "禁毒工作数据.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["责任单位"]
    base = [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
    ws.delete_rows(2, ws.max_row)
    chosen = [(i // len(base), base[i % len(base)]) for i in range(units)]
    for group, row in chosen:
        ws.append([_name(row[0], group), *row[1:]])
    wanted = {(group, row[0]) for group, row in chosen}
    groups = max(group for group, _ in wanted) + 1
    ws = wb["工作任务"]
    tasks = [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
    ws.delete_rows(2, ws.max_row)
    for group in range(groups):
        for row in tasks:
            ws.append([_task(row[0], group), *row[1:]])
    # A last, partial group keeps only the tasks whose lead unit is in it (every task has
    # exactly one lead, as the job's checks require).
    ws = wb["任务分工"]
    header = [c.value for c in ws[1]]
    unit, task, role = header.index("单位名称"), header.index("任务编号"), header.index("职责")
    led = {
        (group, row[task])
        for group in range(groups)
        for row in ws.iter_rows(min_row=2, values_only=True)
        if row[unit] and row[role] == "牵头" and (group, row[unit]) in wanted
    }
    ws = wb["工作任务"]
    for number in range(ws.max_row, 1, -1):
        value = str(ws.cell(row=number, column=1).value or "")
        base, _, group = value.partition("-")
        if (int(group) - 1 if group else 0, base) not in led:
            ws.delete_rows(number)
    for sheet, column in UNIT_SHEETS.items():
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        col = header.index(column)
        task_col = header.index(TASK_COLUMN[sheet]) if sheet in TASK_COLUMN else None
        rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if any(r)]
        ws.delete_rows(2, ws.max_row)
        for group in range(groups):
            for row in rows:
                if (group, row[col]) not in wanted:
                    continue
                if task_col is not None and (group, row[task_col]) not in led:
                    continue
                new = list(row)
                new[col] = _name(row[col], group)
                if task_col is not None:
                    new[task_col] = _task(row[task_col], group)
                ws.append(new)
    wb.save(book)
    return folder
