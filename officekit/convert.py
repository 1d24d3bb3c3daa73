"""Cell values → typed values by a column rule (文本/数字/整数/日期). Pure: no files.

Returns the converted :class:`Cell`, or the problem and what to type instead, in the
words a clerk understands; :mod:`officekit.workbook` adds the place.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from officekit.job import ColumnRule
from officekit.numfmt import excel_serial_to_datetime
from officekit.values import Cell

_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_NUMBER_TEXT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def _as_number(value: Any, fmt: str) -> tuple[Any, str] | None:
    """(number, format) for a numeric cell or numeric-looking text, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value, fmt
    if isinstance(value, str):
        text = value.strip().replace("，", ",")
        percent = text.endswith("%") or text.endswith("％")
        if percent:
            text = text[:-1].strip()
        if not _NUMBER_TEXT.match(text):
            return None
        digits = text.replace(",", "")
        if percent:
            decimals = len(text.split(".")[1]) if "." in text else 0
            # Decimal, so "96.2%" is 0.962 exactly as Excel stores it, not 0.9620000000000001.
            fraction = float(Decimal(digits) / 100)
            return fraction, "0" + ("." + "0" * decimals if decimals else "") + "%"
        number = float(digits)
        return (int(number) if number.is_integer() and "." not in text else number), "General"
    return None


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value  # type: ignore[return-value]
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        # A date cell whose format was reset to General shows its serial (46086): still a date.
        try:
            serial = excel_serial_to_datetime(value)
        except ValueError:  # serial 60: Excel's non-existent 1900-02-29
            return None
        return serial.date() if serial.time() == dt.time(0) else serial  # type: ignore[return-value]
    if isinstance(value, str):
        match = _DATE_TEXT.match(value)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


# What Excel shows in a cell whose formula failed; data_only loading gives it as text.
EXCEL_ERROR = re.compile(
    r"#(?:DIV/0!|REF!|VALUE!|N/A|NAME\?|NUM!|NULL!|SPILL!|CALC!|FIELD!|GETTING_DATA|BLOCKED!)"
)


def error_value(value: Any) -> tuple[None, str, str] | None:
    """The problem of a cell showing an Excel error value, or None."""
    if isinstance(value, str) and "#" in value and EXCEL_ERROR.fullmatch(value.strip()):
        return (
            None,
            f"显示的是错误值“{value.strip()}”（公式没能算出结果）",
            "请检查这个单元格的公式，或直接填写数值",
        )
    return None


def typed(value: Any, fmt: str, rule: ColumnRule) -> tuple[Cell | None, str, str]:
    """Convert ``value`` by ``rule``: (cell, problem, hint); problem is "" when fine."""
    failed = error_value(value)
    if failed is not None:
        return failed
    if rule.type == "文本":
        text = Cell(value, fmt).text if not isinstance(value, str) else value
        return Cell(text, "@"), "", ""
    shown = f"“{value}”"
    if rule.type in ("数字", "整数"):
        number = _as_number(value, fmt)
        if number is None:
            # "2025年" → suggest 2025: the number the clerk meant, without the unit.
            found = re.search(r"\d+(\.\d+)?", str(value))
            example = (
                found.group(0) if found else ("30" if rule.type == "整数" else "91 或 1164.35")
            )
            return (
                None,
                f"应填数字，现在是{shown}",
                f"请只填阿拉伯数字（如 {example}），不要带单位或文字",
            )
        raw, number_format = number
        if rule.type == "整数":
            if float(raw) != int(raw):
                return None, f"应填整数，现在是{shown}", "请填不带小数的整数"
            raw = int(raw)
        elif isinstance(raw, float) and raw.is_integer() and number_format == "General":
            raw = int(raw)
        return Cell(raw, number_format), "", ""
    date = _as_date(value)
    if date is None:
        return None, f"应填日期，现在是{shown}", "请填写日期，如 2026-3-5"
    return Cell(date, "yyyy-m-d"), "", ""
