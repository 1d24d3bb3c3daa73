"""Chinese formatting filters for 公文 templates.

Template authors call these in Jinja under their Chinese names, e.g.
``{{ 本年数|同比(上年数) }}`` or ``{{ 比例|百分比(小数=0) }}``; optional
parameters therefore carry the Chinese names used in the templates so that
keyword calls work (Jinja accepts Unicode identifiers).

Every filter is a pure function returning ``str``. Arguments may be workbook
cell wrappers; only their ``.raw`` (and, for 增减, ``.number_format``)
attributes are read, so this module does not depend on the wrapper class.
All arithmetic is done in Decimal: floats from the workbook are first rounded
to Excel's 15 significant digits, which removes binary noise such as
12.6 - 10.8 = 1.7999999999999998 before anything is printed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from officekit.numfmt import (
    decimal_places,
    excel_serial_to_datetime,
    format_value,
    is_percent_format,
    number_to_decimal,
)

__all__ = [
    "FILTERS",
    "FilterInputError",
    "chinese_date",
    "chinese_number",
    "completion_rate",
    "enumerate_items",
    "heading_number",
    "money_uppercase",
    "number",
    "percent",
    "sentence",
    "thousands",
    "uppercase_date",
    "year_on_year",
    "change",
    "zero_pad",
]


class FilterInputError(ValueError):
    """A filter got a value it cannot format; the message is Chinese and
    names the filter and the value so a template author can fix the sheet."""


# Integers up to 10^16 cover every amount in a 公文; beyond that the 万/亿
# naming would need 兆/京, which official documents never use.
_INT_LIMIT = 10**16
# Deep enough that quantize()/division never lose digits at the limits.
_PREC = 60

_LOWER_DIGITS = "零一二三四五六七八九"
_UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_LOWER_UNITS = ("", "十", "百", "千")
_UPPER_UNITS = ("", "拾", "佰", "仟")
_YEAR_DIGITS = "〇一二三四五六七八九"

_DATE_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s].*)?",
    re.DOTALL,
)
_SENTENCE_TAIL = "，,；;。.、"


# --------------------------------------------------------------------------
# input helpers
# --------------------------------------------------------------------------


def _unwrap(x: object) -> object:
    return getattr(x, "raw", x)


def _not_number(name: str, raw: object) -> FilterInputError:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return FilterInputError(f"{name}：值为空，不是数字")
    return FilterInputError(f"{name}：“{raw}”不是数字")


def _to_number(name: str, x: object) -> Decimal:
    """Decimal for ints, floats, Decimals and numeric strings."""
    raw = _unwrap(x)
    # bool is an int subclass, but True/False in a sheet is never a quantity.
    if isinstance(raw, bool):
        raise _not_number(name, raw)
    if isinstance(raw, (int, float, Decimal)):
        d = number_to_decimal(raw)
    elif isinstance(raw, str):
        # "1,046" is how people type numbers into text cells.
        text = raw.strip().replace(",", "")
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise _not_number(name, raw) from None
    else:
        raise _not_number(name, raw)
    if not d.is_finite():
        raise _not_number(name, raw)
    return d


def _to_int(name: str, x: object) -> int:
    d = _to_number(name, x)
    if d != d.to_integral_value():
        raise FilterInputError(f"{name}：“{_unwrap(x)}”不是整数")
    return int(d)


def _to_places(name: str, x: object) -> int:
    places = _unwrap(x)
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 20:
        raise FilterInputError(f"{name}：小数位数“{places}”应为0到20之间的整数")
    return places


def _digits_needed(d: Decimal, places: int = 0) -> int:
    """Context precision that keeps every digit of d plus `places` decimals,
    so quantize() neither rounds silently nor raises on huge values."""
    return max(_PREC, d.adjusted() + places + 3, len(d.as_tuple().digits))


def _round(d: Decimal, places: int) -> Decimal:
    """Round half away from zero, as Excel and Chinese statistics do."""
    with localcontext() as ctx:
        ctx.prec = _digits_needed(d, places)
        return d.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _fixed(d: Decimal, places: int, grouping: bool = False) -> str:
    q = _round(d, places)
    if q == 0:
        q = q.copy_abs()  # never print "-0.0"
    return format(q, ",f" if grouping else "f")


def _plain(d: Decimal, grouping: bool = False) -> str:
    """No trailing zeros, no exponent, never "-0"."""
    if d == 0:
        return "0"
    with localcontext() as ctx:
        ctx.prec = _digits_needed(d)
        return format(d.normalize(), ",f" if grouping else "f")


def _to_date(name: str, x: object) -> dt.date:
    raw = _unwrap(x)
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise FilterInputError(f"{name}：值为空，不是日期")
    if isinstance(raw, str):
        m = _DATE_RE.fullmatch(raw.strip())
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise FilterInputError(f"{name}：“{raw}”不是有效的日期") from None
    if isinstance(raw, bool) or not isinstance(raw, (int, float, Decimal, str)):
        raise FilterInputError(f"{name}：“{raw}”不是日期")
    # A number (or numeric string) is an Excel serial day number.
    try:
        serial = _to_number(name, raw)
    except FilterInputError:
        raise FilterInputError(f"{name}：“{raw}”不是日期") from None
    try:
        return excel_serial_to_datetime(serial).date()
    except ValueError:
        raise FilterInputError(f"{name}：“{raw}”不是有效的日期") from None


def _text(x: object) -> str:
    """Display text of one item: a workbook cell reads as Excel shows it
    (0.962 in a "0.0%" cell is 96.2%), a plain value in document style."""
    if hasattr(x, "raw"):
        return format_value(x).strip()
    raw = x
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return f"{raw.year}年{raw.month}月{raw.day}日"
    if isinstance(raw, (int, float, Decimal)):
        d = number_to_decimal(raw)
        return _plain(d) if d.is_finite() else str(raw)
    return str(raw).strip()


# --------------------------------------------------------------------------
# Chinese numerals
# --------------------------------------------------------------------------


def _int_to_chinese(n: int, digits: str, units: tuple[str, ...]) -> str:
    """Spell a non-negative integer < 10^16 with 万/亿 grouping.

    Zero rules: a run of zeros inside the number is read as one 零 when a
    non-zero digit follows; zeros at the end of a 4-digit group are silent
    (101000 -> 十万一千), and a wholly zero group still yields one 零
    (100001000 -> 一亿零一千).
    """
    if n == 0:
        return digits[0]
    s = str(n)
    length = len(s)
    out: list[str] = []
    zero = False
    for i, ch in enumerate(s):
        pos = length - 1 - i
        d = int(ch)
        if d == 0:
            zero = True
        else:
            if zero:
                out.append(digits[0])
                zero = False
            out.append(digits[d] + units[pos % 4])
        if pos > 0 and pos % 4 == 0:
            group_nonzero = int(s[max(0, i - 3) : i + 1]) != 0
            if pos % 8 == 0:
                # 亿 is always needed once higher digits exist (一万亿).
                out.append("亿")
                if group_nonzero:
                    zero = False
            elif group_nonzero:
                out.append("万")
                zero = False
    return "".join(out)


def _lower_int(n: int) -> str:
    text = _int_to_chinese(n, _LOWER_DIGITS, _LOWER_UNITS)
    # Everyday usage says 十/十万/十亿, not 一十.
    return text[1:] if text.startswith("一十") else text


# --------------------------------------------------------------------------
# filters
# --------------------------------------------------------------------------


def chinese_date(d: object) -> str:
    """中文日期: 2026年3月5日."""
    day = _to_date("中文日期", d)
    return f"{day.year}年{day.month}月{day.day}日"


def uppercase_date(d: object) -> str:
    """大写日期: 二〇二六年三月五日 (as on 公文 落款)."""
    day = _to_date("大写日期", d)
    year = "".join(_YEAR_DIGITS[int(c)] for c in str(day.year))
    return f"{year}年{_lower_int(day.month)}月{_lower_int(day.day)}日"


def chinese_number(n: object) -> str:
    """中文数字: 20300 -> 二万零三百, 3.5 -> 三点五, -5 -> 负五."""
    name = "中文数字"
    d = _to_number(name, n)
    if d.copy_abs() >= _INT_LIMIT:
        raise FilterInputError(f"{name}：“{_unwrap(n)}”超出可转换范围（须小于一亿亿）")
    sign = "负" if d < 0 else ""
    int_text, _, frac_text = _plain(d.copy_abs()).partition(".")
    out = _lower_int(int(int_text))
    if frac_text:
        out += "点" + "".join(_LOWER_DIGITS[int(c)] for c in frac_text)
    return sign + out if d != 0 else out


def heading_number(n: object, 级别: int = 1) -> str:
    """序号: 公文 structural numbering 一、 （一） 1. （1）."""
    name = "序号"
    value = _to_int(name, n)
    if value < 1:
        raise FilterInputError(f"{name}：“{_unwrap(n)}”不是正整数")
    level = _unwrap(级别)
    if level == 1:
        return f"{_lower_int(value)}、"
    if level == 2:
        return f"（{_lower_int(value)}）"
    if level == 3:
        return f"{value}."
    if level == 4:
        return f"（{value}）"
    raise FilterInputError(f"{name}：级别“{level}”应为1、2、3或4")


def percent(x: object, 小数: int = 1) -> str:
    """百分比: 0.138 -> 13.8%."""
    name = "百分比"
    d = _to_number(name, x)
    return _fixed(d * 100, _to_places(name, 小数)) + "%"


def year_on_year(本期: object, 上期: object, 小数: int = 1, 单位: object = "") -> str:
    """同比: 增长13.8% / 下降5.2% / 持平 / 基本持平 / 增加5起 (上期为 0 时，单位可选)."""
    name = "同比"
    cur = _to_number(name, 本期)
    prev = _to_number(name, 上期)
    places = _to_places(name, 小数)
    if cur == prev:
        return "持平"
    if prev == 0:
        # No base to compare with: report the absolute amount instead.
        unit = "" if 单位 is None else str(getattr(单位, "text", 单位))
        return ("增加" if cur > 0 else "减少") + _plain(cur.copy_abs()) + unit
    with localcontext() as ctx:
        ctx.prec = _PREC
        # Multiply before dividing so exact halves (13.75) stay exact; divide
        # by |上期| so a rise from a negative base still reads as 增长.
        rate = (cur - prev) * 100 / prev.copy_abs()
    if _round(rate, places) == 0:
        return "基本持平"
    return ("增长" if rate > 0 else "下降") + _fixed(rate.copy_abs(), places) + "%"


def change(本期: object, 上期: object, 单位: object = "") -> str:
    """增减: 增加11起 / 减少45人 / 持平; 提高3.1个百分点 for percent cells."""
    name = "增减"
    cur = _to_number(name, 本期)
    prev = _to_number(name, 上期)
    fmt_cur = getattr(本期, "number_format", None)
    fmt_prev = getattr(上期, "number_format", None)
    if (
        isinstance(fmt_cur, str)
        and isinstance(fmt_prev, str)
        and is_percent_format(fmt_cur)
        and is_percent_format(fmt_prev)
    ):
        # Rates: the change is in percentage points, shown with the decimals
        # the sheet displays so the text agrees with the printed table.
        places = max(decimal_places(fmt_cur) or 0, decimal_places(fmt_prev) or 0)
        points = (cur - prev) * 100
        if points == 0:
            return "持平"
        if _round(points, places) == 0:
            return "基本持平"
        return ("提高" if points > 0 else "下降") + _fixed(points.copy_abs(), places) + "个百分点"
    diff = cur - prev
    if diff == 0:
        return "持平"
    unit = _unwrap(单位)
    unit_text = "" if unit is None else str(unit)
    return ("增加" if diff > 0 else "减少") + _plain(diff.copy_abs()) + unit_text


def completion_rate(完成数: object, 任务数: object, 小数: int = 1) -> str:
    """完成率: 91/89 -> 102.2%."""
    name = "完成率"
    done = _to_number(name, 完成数)
    if _unwrap(任务数) is None:
        raise FilterInputError(f"{name}：任务数为空，无法计算")
    target = _to_number(name, 任务数)
    if target == 0:
        raise FilterInputError(f"{name}：任务数为0，无法计算")
    places = _to_places(name, 小数)
    with localcontext() as ctx:
        ctx.prec = _PREC
        rate = done * 100 / target
    return _fixed(rate, places) + "%"


def thousands(x: object, 小数: int | None = None) -> str:
    """千分位: 12345.6 -> 12,345.6; 小数=2 -> 12,345.60."""
    name = "千分位"
    d = _to_number(name, x)
    if _unwrap(小数) is None:
        return _plain(d, grouping=True)
    return _fixed(d, _to_places(name, 小数), grouping=True)


def money_uppercase(x: object) -> str:
    """大写金额: 1234.56 -> 壹仟贰佰叁拾肆元伍角陆分."""
    name = "大写金额"
    d = _to_number(name, x)
    fen_total = int(_round(d.copy_abs() * 100, 0))
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    if yuan >= _INT_LIMIT:
        raise FilterInputError(f"{name}：“{_unwrap(x)}”超出可转换范围（须小于一亿亿元）")
    if fen_total == 0:
        return "零元整"
    parts: list[str] = []
    if yuan:
        parts.append(_int_to_chinese(yuan, _UPPER_DIGITS, _UPPER_UNITS) + "元")
    if jiao == 0 and fen == 0:
        parts.append("整")
    else:
        if jiao:
            parts.append(_UPPER_DIGITS[jiao] + "角")
        elif yuan:
            parts.append("零")  # 贰万元零柒分: the missing 角 is read as 零
        if fen:
            parts.append(_UPPER_DIGITS[fen] + "分")
    return ("负" if d < 0 else "") + "".join(parts)


def sentence(text: object) -> str:
    """句子: one sentence ending in exactly one 。."""
    body = _text(text)
    while body and (body[-1] in _SENTENCE_TAIL or body[-1].isspace()):
        body = body[:-1]
    return body + "。" if body else ""


def enumerate_items(items: object, 末尾: object = None) -> str:
    """顿号连接: 甲、乙、丙 (+ 末尾, e.g. 等); empty items are skipped."""
    raw = _unwrap(items)
    if raw is None:
        return ""
    # A lone string is one item, not a sequence of characters.
    seq: Iterable[object] = [raw] if isinstance(raw, str) or not isinstance(raw, Iterable) else raw
    texts = [t for t in (_text(item) for item in seq) if t]
    if not texts:
        return ""
    tail = _unwrap(末尾)
    return "、".join(texts) + ("" if tail is None else str(tail))


def zero_pad(n: object, 位数: int = 2) -> str:
    """补零: 7 -> 07."""
    name = "补零"
    value = _to_int(name, n)
    width = _unwrap(位数)
    if isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= 20:
        raise FilterInputError(f"{name}：位数“{width}”应为1到20之间的整数")
    return ("-" if value < 0 else "") + str(abs(value)).zfill(width)


def number(x: object) -> str:
    """数值: 3.0 -> 3, 0.1+0.2 -> 0.3."""
    return _plain(_to_number("数值", x))


FILTERS: dict[str, Callable[..., str]] = {
    "中文日期": chinese_date,
    "大写日期": uppercase_date,
    "中文数字": chinese_number,
    "序号": heading_number,
    "百分比": percent,
    "同比": year_on_year,
    "增减": change,
    "完成率": completion_rate,
    "千分位": thousands,
    "大写金额": money_uppercase,
    "句子": sentence,
    "顿号连接": enumerate_items,
    "补零": zero_pad,
    "数值": number,
}
