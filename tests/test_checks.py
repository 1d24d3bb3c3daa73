"""[[checks]]: per-group sums and counts become warnings naming the group and rows."""

from __future__ import annotations

from pathlib import Path

from officekit.checks import group_warnings
from officekit.job import Job, SumCheck
from officekit.tables import Table
from officekit.values import Cell


def _table() -> Table:
    table = Table("分工", ["任务", "单位", "职责", "分值"])
    rows = [
        ("T1", "甲", "牵头", 60),
        ("T1", "乙", "配合", 40),
        ("T2", "甲", "配合", 30),
        ("T2", "乙", "配合", 50),
    ]
    for number, (task, unit, duty, points) in enumerate(rows, start=2):
        table.add(
            number,
            {"任务": Cell(task), "单位": Cell(unit), "职责": Cell(duty), "分值": Cell(points)},
        )
    return table


def _job(*checks: SumCheck) -> Job:
    return Job(
        folder=Path("."), name="t", workbook=Path("t.xlsx"), output=Path("out"), font_profile="GB2312",
        pdf="none", variables_sheet=None, variable_rules={}, ignore_sheets=(), tables={},
        checks=checks, documents=(), source=Path("officekit.toml"),
    )  # fmt: skip


def test_sum_per_group() -> None:
    job = _job(SumCheck(table="分工", group="任务", column="分值", equals=100))
    warnings = group_warnings({"分工": _table()}, job, Path("数据.xlsx"))
    assert warnings == [
        "工作簿 数据.xlsx 的「分工」表中“T2”的「分值」合计为 80，应为 100（第 4–5 行），请核对后重新生成。"
    ]


def test_count_with_condition() -> None:
    job = _job(
        SumCheck(
            table="分工",
            group="任务",
            column=None,
            equals=1,
            kind="count",
            where=(("职责", "牵头"),),
        )
    )
    warnings = group_warnings({"分工": _table()}, job, Path("数据.xlsx"))
    assert len(warnings) == 1
    assert "“T2”的行里「职责」为“牵头”的有 0 行，应为 1（第 4–5 行）" in warnings[0]


def test_every_row_of_per_table_needs_a_group() -> None:
    units = Table("单位", ["名称"])
    for number, name in enumerate(["T1", "T2", "T3"], start=2):
        units.add(number, {"名称": Cell(name)})
    units.index_by("名称")
    job = _job(SumCheck(table="分工", group="任务", column="分值", equals=100, per="单位"))
    warnings = group_warnings({"分工": _table(), "单位": units}, job, Path("数据.xlsx"))
    assert any("“T3”的「分值」合计为 0，应为 100（没有任何行）" in w for w in warnings)
    assert not any("“T1”" in w for w in warnings)
