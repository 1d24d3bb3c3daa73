"""Word's field switches applied to a workbook value: the filters behind mail-merge fields.

:mod:`officekit.mergefields` turns ``{ MERGEFIELD 会议日期 \\@ "yyyy年M月d日" }`` into
``{{ 会议日期|合并域(日期="yyyy年M月d日") }}`` when a template is compiled; the filter here
does at render time what Word does when it merges: a date picture (``\\@``), a number
picture (``\\#``), the text and number formats of ``\\*`` (Upper, CHINESENUM1…), and the
text before and after a non-empty value (``\\b``, ``\\f``). Without a switch that applies,
the value prints as Excel shows it.

One decision differs from Word on purpose: the number a picture formats is the number the
clerk sees in Excel. A cell showing 96.2% is 96.2 to ``\\# "0.0%"`` (Word, which reads the
stored 0.962 from the workbook, would print 1.0%); ``%`` in a picture is literal text, as
in Word.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from jinja2 import UndefinedError, pass_context
from jinja2.utils import missing

from officekit import mergenames, numfmt
from officekit.filters import _int_to_chinese, _lower_int
from officekit.values import Cell, finalize

# \* arguments this module applies; MERGEFORMAT/CHARFORMAT are about the result's run
# formatting, which mergefields keeps. Matched without regard to case, except the pairs
# whose case is their meaning (roman/ROMAN, alphabetic/ALPHABETIC).
TEXT_FORMATS = {"upper", "lower", "firstcap", "caps"}
NUMBER_FORMATS = {"arabic", "chinesenum1", "chinesenum2", "chinesenum3", "dbnum1", "dbnum2"}
CASED_FORMATS = {"roman", "ROMAN", "alphabetic", "ALPHABETIC"}
LAYOUT_FORMATS = {"mergeformat", "charformat"}

_UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UPPER_UNITS = ("", "拾", "佰", "仟")
_DIGIT_NAMES = "〇一二三四五六七八九"


def known_format(argument: str) -> bool:
    """Whether ``\\* argument`` is one officekit honours (else the build warns)."""
    lower = argument.lower()
    return argument in CASED_FORMATS or lower in TEXT_FORMATS | NUMBER_FORMATS | LAYOUT_FORMATS


def merge_value(
    value: Any,
    日期: str | None = None,
    数字: str | None = None,
    格式: tuple[str, ...] = (),
    前: str = "",
    后: str = "",
) -> str:
    """The text Word would print for a merge field holding ``value`` (see the module)."""
    text = None
    raw = value.raw if isinstance(value, Cell) else value
    if 日期 is not None:
        day = _as_date(raw)
        if day is not None:
            text = word_date(day, 日期)
    if text is None and 数字 is not None:
        seen = seen_number(value)
        if seen is not None:
            text = word_number(seen, 数字)
    if text is None:
        text = _shown(value)
    for argument in 格式:
        text = _apply_format(argument, text, value)
    if text and (前 or 后):
        text = f"{前}{text}{后}"
    return text


def _shown(value: Any) -> str:
    if isinstance(value, Cell):
        return value.text
    shown = finalize(value)
    return "" if shown is None else str(shown)


def seen_number(value: Any) -> Decimal | None:
    """The number Excel shows for ``value``: a percent cell's 0.962 is 96.2."""
    raw = value.raw if isinstance(value, Cell) else value
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float, Decimal)):
        number = numfmt.number_to_decimal(raw)
        if isinstance(value, Cell) and numfmt.is_percent_format(value.number_format):
            number *= 100
        return number
    if isinstance(raw, str):  # a number typed as text ("1,164.35", "96.2%")
        cleaned = raw.strip().replace(",", "").replace("，", "")
        try:
            return Decimal(cleaned[:-1] if cleaned.endswith("%") else cleaned)
        except InvalidOperation:
            return None
    return None


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _as_date(raw: Any) -> dt.date | dt.datetime | None:
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw
    if isinstance(raw, str) and (match := _DATE_TEXT.match(raw.strip())):
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    return None


# ---- \@ date pictures ---------------------------------------------------------------------

_DATE_ITEM = re.compile(
    r"'[^']*'|yyyy|yy|y|MMMM|MMM|MM|M|dddd|ddd|dd|d|HH|H|hh|h|mm|m|ss|s|AM/PM|am/pm"
)
_WEEKDAYS = "一二三四五六日"


def word_date(day: dt.date | dt.datetime, picture: str) -> str:
    """``day`` through a Word date picture, in Chinese words where Word's zh-CN does
    (MMMM 三月, dddd 星期四, ddd 周四, AM/PM 上午/下午); other letters are literal."""
    moment = day if isinstance(day, dt.datetime) else dt.datetime(day.year, day.month, day.day)
    hour12 = moment.hour % 12 or 12
    items = {
        "yyyy": f"{moment.year:04d}",
        "yy": f"{moment.year % 100:02d}",
        "y": f"{moment.year % 100:02d}",
        "MMMM": f"{_lower_int(moment.month)}月",
        "MMM": f"{_lower_int(moment.month)}月",
        "MM": f"{moment.month:02d}",
        "M": str(moment.month),
        "dddd": f"星期{_WEEKDAYS[moment.weekday()]}",
        "ddd": f"周{_WEEKDAYS[moment.weekday()]}",
        "dd": f"{moment.day:02d}",
        "d": str(moment.day),
        "HH": f"{moment.hour:02d}",
        "H": str(moment.hour),
        "hh": f"{hour12:02d}",
        "h": str(hour12),
        "mm": f"{moment.minute:02d}",
        "m": str(moment.minute),
        "ss": f"{moment.second:02d}",
        "s": str(moment.second),
        "AM/PM": "上午" if moment.hour < 12 else "下午",
        "am/pm": "上午" if moment.hour < 12 else "下午",
    }

    def item(match: re.Match[str]) -> str:
        token = match.group()
        return token[1:-1] if token.startswith("'") else items[token]

    return _DATE_ITEM.sub(item, picture)


# ---- \# number pictures -------------------------------------------------------------------

_PLACEHOLDERS = "0#x"


def word_number(number: Decimal, picture: str) -> str:
    """``number`` through a Word number picture: ``0`` a digit always shown, ``#`` a digit
    shown when there is one (Word pads it with a space; a 公文 has no use for that), ``,``
    thousands, ``.`` the decimal point, ``'text'`` and any other character literal, up to
    three sections ``positive;negative;zero``."""
    sections = picture.split(";")
    if number == 0 and len(sections) > 2:
        return _picture(Decimal(0), sections[2], sign=False)
    if number < 0 and len(sections) > 1:
        return _picture(-number, sections[1], sign=False)
    return _picture(number, sections[0], sign=True)


def _picture(number: Decimal, picture: str, sign: bool) -> str:
    pieces = re.findall(r"'[^']*'|.", picture)
    slots = [i for i, p in enumerate(pieces) if p in _PLACEHOLDERS]
    if not slots:
        return picture.replace("'", "")
    first, last = slots[0], slots[-1]
    body = [p for p in pieces[first : last + 1] if p in _PLACEHOLDERS + ".,"]
    point = body.index(".") if "." in body else len(body)
    whole, fraction = body[:point], [p for p in body[point:] if p in _PLACEHOLDERS]
    places = len(fraction)
    rounded = abs(number).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    int_text, _, frac_text = f"{rounded:f}".partition(".")
    digits = [p for p in whole if p in _PLACEHOLDERS]
    if "x" in digits:  # digits left of an x are dropped
        keep = len(digits) - digits.index("x")
        int_text = int_text[-keep:]
    int_text = int_text.lstrip("0") or ""
    int_text = int_text.rjust(digits.count("0"), "0") if digits else int_text
    if "," in whole and int_text:
        int_text = f"{int(int_text):,}"
    while fraction and fraction[-1] == "#" and frac_text.endswith("0"):
        fraction.pop()
        frac_text = frac_text[:-1]
    text = int_text + ("." + frac_text if frac_text else "")
    if not text or text.startswith("."):
        text = ("0" if "#" not in digits else "") + text
    literal = "".join(p.strip("'") for p in pieces[:first])
    tail = "".join(p.strip("'") for p in pieces[last + 1 :])
    middle = "".join(
        p.strip("'") for p in pieces[first : last + 1] if p not in _PLACEHOLDERS + ".,"
    )
    minus = "-" if sign and number < 0 and rounded != 0 else ""
    return f"{minus}{literal}{text}{middle}{tail}"


# ---- \* formats ---------------------------------------------------------------------------


def _apply_format(argument: str, text: str, value: Any) -> str:
    lower = argument.lower()
    if lower == "upper":
        return text.upper()
    if lower == "lower":
        return text.lower()
    if lower == "firstcap":
        return text[:1].upper() + text[1:]
    if lower == "caps":
        return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))
    number = seen_number(value) if lower in NUMBER_FORMATS or argument in CASED_FORMATS else None
    if number is None or number != number.to_integral_value() or number < 0:
        return text  # Word: a format for numbers leaves anything else alone
    n = int(number)
    if lower == "arabic":
        return str(n)
    if lower in ("chinesenum1", "dbnum1"):
        return _lower_int(n)
    if lower in ("chinesenum2", "dbnum2"):
        return _int_to_chinese(n, _UPPER_DIGITS, _UPPER_UNITS)
    if lower == "chinesenum3":
        return "".join(_DIGIT_NAMES[int(c)] for c in str(n))
    if argument.lower() == "roman" and 0 < n < 4000:
        roman = _roman(n)
        return roman if argument == "ROMAN" else roman.lower()
    if argument.lower() == "alphabetic" and n > 0:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if argument == "ALPHABETIC" else letter.lower()
    return text


def _roman(n: int) -> str:
    out = ""
    for size, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= size:
            out, n = out + letters, n - size
    return out


# ---- IF comparisons -----------------------------------------------------------------------


def merge_compare(left: Any, operator: str, right: Any) -> bool:
    """Word's IF comparison: numbers as numbers (as Excel shows them), anything else as
    the text Excel shows; ``=`` and ``<>`` against a text with ``*`` or ``?`` match it as
    a pattern, as Word does."""
    a, b = seen_number(left), seen_number(right)
    if a is not None and b is not None:
        pair: tuple[Any, Any] = (a, b)
    else:
        pair = (_shown(left), _shown(right))
        if operator in ("=", "<>") and isinstance(right, str) and ("*" in right or "?" in right):
            matched = fnmatch.fnmatchcase(pair[0], right)
            return matched if operator == "=" else not matched
    x, y = pair
    return {
        "=": x == y,
        "<>": x != y,
        "<": x < y,
        ">": x > y,
        "<=": x <= y,
        ">=": x >= y,
    }[operator]


@pass_context
def merge_lookup(context: Any, name: str) -> Any:
    """The value of a field whose name is no Jinja name ("单位 名称"), for a template
    compiled without its workbook's names: the same name, else the same once spaces,
    full-width forms and case are set aside."""
    value = context.resolve_or_missing(name)
    if value is missing:
        wanted = mergenames.normal(name)
        found = next((k for k in context.get_all() if mergenames.normal(k) == wanted), None)
        if found is None:
            raise UndefinedError(f"'{name}' is undefined")
        value = context.resolve_or_missing(found)
    return value


FILTERS = {"合并域": merge_value, "合并域比较": merge_compare, "合并域取值": merge_lookup}
