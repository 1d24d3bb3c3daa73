"""Render a workbook value the way Excel displays it ("what Excel shows is what
the document shows").

Only the subset of Excel number format codes that appears in real 公文 data
workbooks is implemented; anything else falls back to the General rendering
instead of raising, because a template must never fail on a cosmetic format.

Deliberate deviations from Excel, all in favour of official-document style:

* dates always print as ``2026年3月5日`` (Arabic numerals, no zero padding),
  whatever date layout the format code asks for;
* times print as 24-hour ``HH:MM`` (``HH:MM:SS`` if the format shows seconds);
* ``_x`` padding, ``*x`` fills and ``?`` alignment blanks emit nothing visible
  (the result is stripped of surrounding spaces);
* a negative value that rounds to zero never prints as ``-0``;
* booleans print as 是/否.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import NamedTuple

__all__ = [
    "decimal_places",
    "excel_serial_to_datetime",
    "format_value",
    "general_number",
    "is_date_format",
    "is_percent_format",
    "is_time_format",
    "number_to_decimal",
]

# Excel keeps 15 significant digits; rounding floats there first removes
# binary noise (0.1+0.2) the same way Excel does before it formats anything.
_EXCEL_DIGITS = 15
# General shows at most ~10 significant digits in a default-width column.
_GENERAL_DIGITS = 10
# Largest serial Excel accepts: 9999-12-31.
_MAX_SERIAL = 2958465
# Plenty of headroom so quantize() never hits InvalidOperation on big values.
_PREC = 200

# y/m/d/h/s plus the CN-locale codes e (year), b (Buddhist year), g (era)
# and aaa/aaaa (weekday); the latter are shown as part of the plain date.
_DATE_LETTERS = frozenset("ymdhsebga")
_ELAPSED_RE = re.compile(r"[hH]+|[mM]+|[sS]+")


class _Unsupported(Exception):
    """Raised internally for format features we deliberately do not render."""


class _Tok(NamedTuple):
    """One lexical element of a format section."""

    kind: str  # lit, ph, dot, comma, pct, exp, at, general, date, ampm, stray
    text: str = ""
    elapsed: bool = False


class _Section(NamedTuple):
    """One ;-separated section of a number format, parsed."""

    toks: tuple[_Tok, ...]
    has_date: bool
    has_time: bool
    has_seconds: bool
    has_text: bool
    empty: bool
    # Unquoted ASCII letters that are no format code: Excel rejects such
    # codes, so we render General rather than guess.
    bad: bool

    @property
    def is_datetime(self) -> bool:
        return self.has_date or self.has_time


# --------------------------------------------------------------------------
# numbers -> Decimal
# --------------------------------------------------------------------------


def number_to_decimal(value: int | float | Decimal) -> Decimal:
    """Exact Decimal for ints/Decimals; floats are rounded to Excel's 15
    significant digits (via repr, so no binary expansion leaks in)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    d = Decimal(repr(float(value)))
    if not d.is_finite() or d == 0:
        return d
    with localcontext() as ctx:
        ctx.prec = _PREC
        return d.quantize(Decimal(1).scaleb(d.adjusted() - (_EXCEL_DIGITS - 1)), ROUND_HALF_UP)


def _round(d: Decimal, places: int) -> Decimal:
    """Round half away from zero (Excel), not Python's banker's rounding."""
    with localcontext() as ctx:
        # Enough digits for any float (1e308) or huge Decimal plus decimals.
        ctx.prec = max(_PREC, d.adjusted() + places + 3, len(d.as_tuple().digits))
        return d.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _plain(d: Decimal) -> str:
    """Positional notation without trailing zeros and never ``-0``."""
    if d == 0:
        return "0"
    with localcontext() as ctx:
        ctx.prec = _PREC
        return format(d.normalize(), "f")


def _general(d: Decimal) -> str:
    """Excel "General": integers as is, otherwise 10 significant digits."""
    if not d.is_finite():
        return "#NUM!"
    if d == 0:
        return "0"
    with localcontext() as ctx:
        ctx.prec = _PREC
        big = Decimal(10) ** 15
        # Exponent 0 means the value came from an int (or an exact integer
        # string): keep every digit. Integral floats go scientific past 1e15.
        if d == d.to_integral_value() and (abs(d) < big or d.as_tuple().exponent == 0):
            return str(int(d))
        q = d.quantize(Decimal(1).scaleb(d.adjusted() - (_GENERAL_DIGITS - 1)), ROUND_HALF_UP)
        if -9 <= q.adjusted() < 15:
            return _plain(q)
        exp = q.adjusted()
        mant = _plain(q.scaleb(-exp))
        return f"{mant}E{'+' if exp >= 0 else '-'}{abs(exp):02d}"


def general_number(value: int | float | Decimal) -> str:
    """The General rendering of a number (3.0 -> "3", 0.1+0.2 -> "0.3")."""
    if isinstance(value, int) and not isinstance(value, bool):
        # Python ints are exact and the brief wants integers as integers.
        return str(value)
    return _general(number_to_decimal(value))


# --------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------


def excel_serial_to_datetime(serial: int | float | Decimal) -> dt.datetime:
    """Convert a 1900-system Excel serial to a datetime.

    Raises ValueError for serials with no real calendar date: below 1
    (Excel's "1900-01-00"), 60 (the fictitious 1900-02-29 that Excel keeps
    for Lotus compatibility) and beyond 9999-12-31.
    """
    d = number_to_decimal(serial)
    if not d.is_finite() or d < 1 or d >= _MAX_SERIAL + 1:
        raise ValueError(f"Excel serial {serial!r} is not a valid date")
    days = int(d)  # d >= 1, so int() is floor
    if days == 60:
        raise ValueError("Excel serial 60 is the non-existent 1900-02-29")
    secs = int(_round((d - days) * 86400, 0))
    # Serials after the phantom leap day are one day "ahead" of the calendar.
    base = dt.datetime(1899, 12, 31) if days < 60 else dt.datetime(1899, 12, 30)
    return base + dt.timedelta(days=days, seconds=secs)


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _clock(hours: int, minutes: int, seconds: int, show_seconds: bool) -> str:
    text = f"{hours:02d}:{minutes:02d}"
    return f"{text}:{seconds:02d}" if show_seconds else text


# --------------------------------------------------------------------------
# format-code parsing
# --------------------------------------------------------------------------


def _split_sections(fmt: str) -> list[str]:
    """Split on ';' that is not quoted, escaped or inside [...]."""
    parts: list[str] = []
    buf: list[str] = []
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c == '"':
            j = fmt.find('"', i + 1)
            j = n - 1 if j < 0 else j
            buf.append(fmt[i : j + 1])
            i = j + 1
        elif c in "\\!_*" and i + 1 < n:
            buf.append(fmt[i : i + 2])
            i += 2
        elif c == "[":
            j = fmt.find("]", i + 1)
            j = n - 1 if j < 0 else j
            buf.append(fmt[i : j + 1])
            i = j + 1
        elif c == ";":
            parts.append("".join(buf))
            buf = []
            i += 1
        else:
            buf.append(c)
            i += 1
    parts.append("".join(buf))
    return parts


def _tokenize(section: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(section)
    while i < n:
        c = section[i]
        low = c.lower()
        if c == '"':
            j = section.find('"', i + 1)
            if j < 0:
                toks.append(_Tok("stray", c))  # unterminated: not a valid code
                break
            toks.append(_Tok("lit", section[i + 1 : j]))
            i = j + 1
        elif c in "\\!":
            if i + 1 < n:
                toks.append(_Tok("lit", section[i + 1]))
            i += 2
        elif c in "_*":
            # "_x" reserves the width of x, "*x" repeats x to fill the cell:
            # both are column layout, meaningless in running text.
            i += 2
        elif c == "[":
            j = section.find("]", i + 1)
            if j < 0:
                toks.append(_Tok("stray", c))  # unterminated: not a valid code
                break
            content = section[i + 1 : j]
            i = j + 1
            if content.startswith("$"):
                # [$¥-804]: currency symbol before '-', locale id after it.
                toks.append(_Tok("lit", content[1:].split("-", 1)[0]))
            elif _ELAPSED_RE.fullmatch(content):
                toks.append(_Tok("date", content.lower(), elapsed=True))
            # Anything else ([Red], [>=100], [DBNum1]...) is ignored.
        elif section[i : i + 7].lower() == "general":
            toks.append(_Tok("general"))
            i += 7
        elif section[i : i + 5].upper() == "AM/PM" or section[i : i + 5] == "上午/下午":
            toks.append(_Tok("ampm"))
            i += 5
        elif section[i : i + 3].upper() == "A/P":
            toks.append(_Tok("ampm"))
            i += 3
        elif low == "e" and i + 1 < n and section[i + 1] in "+-":
            toks.append(_Tok("exp", section[i + 1]))
            i += 2
        elif c in "0#?":
            toks.append(_Tok("ph", c))
            i += 1
        elif c in ".,%@":
            kind = {".": "dot", ",": "comma", "%": "pct", "@": "at"}[c]
            toks.append(_Tok(kind, c))
            i += 1
        elif low in _DATE_LETTERS:
            j = i
            while j < n and section[j].lower() == low:
                j += 1
            toks.append(_Tok("date", section[i:j].lower()))
            i = j
        elif c.isascii() and c.isalpha():
            toks.append(_Tok("stray", c))
            i += 1
        else:
            # Excel accepts many characters unquoted ($ - + / ( ) : space and
            # CJK text such as 元/年/月/日), all of which display literally.
            toks.append(_Tok("lit", c))
            i += 1
    return toks


def _parse_section(text: str) -> _Section:
    toks = tuple(_tokenize(text))
    dates = [t for t in toks if t.kind == "date"]
    has_date = has_time = has_seconds = False
    for k, tok in enumerate(dates):
        letter = tok.text[0]
        if letter in "ydebga":
            has_date = True
        elif letter in "hs":
            has_time = True
            has_seconds = has_seconds or letter == "s"
        else:  # "m": month, unless it sits between hours and seconds
            prev = dates[k - 1].text[0] if k > 0 else ""
            nxt = dates[k + 1].text[0] if k + 1 < len(dates) else ""
            if tok.elapsed or prev == "h" or nxt == "s":
                has_time = True
            else:
                has_date = True
    if any(t.kind == "ampm" for t in toks):
        has_time = True
    return _Section(
        toks=toks,
        has_date=has_date,
        has_time=has_time,
        has_seconds=has_seconds,
        has_text=any(t.kind == "at" for t in toks),
        empty=not text,
        bad=any(t.kind == "stray" for t in toks),
    )


def _sections(fmt: str | None) -> list[_Section]:
    if not isinstance(fmt, str) or not fmt.strip():
        fmt = "General"
    return list(_parsed(fmt))


@functools.lru_cache(maxsize=512)
def _parsed(fmt: str) -> tuple[_Section, ...]:
    # A workbook has a handful of formats and a build formats every printed cell: parse
    # each once (sections are frozen, safe to share).
    return tuple(_parse_section(s) for s in _split_sections(fmt))


def _number_sections(secs: list[_Section]) -> tuple[list[_Section], _Section | None]:
    """(positive/negative/zero sections, text section or None)."""
    text_sec: _Section | None = None
    for sec in secs:
        if sec.has_text:
            text_sec = sec
    if text_sec is None and len(secs) > 3:
        text_sec = secs[3]
    nums = [s for s in secs[:3] if s is not text_sec]
    return nums, text_sec


# --------------------------------------------------------------------------
# public predicates
# --------------------------------------------------------------------------


def is_percent_format(fmt: str | None) -> bool:
    """True if the positive section multiplies by 100 and shows '%'."""
    nums, _ = _number_sections(_sections(fmt))
    return bool(nums) and any(t.kind == "pct" for t in nums[0].toks)


def is_date_format(fmt: str | None) -> bool:
    """True if the format shows a calendar date (y, d, or m as month)."""
    return any(s.has_date for s in _sections(fmt))


def is_time_format(fmt: str | None) -> bool:
    """True if the format shows a time of day (h, s, m as minutes, AM/PM)."""
    return any(s.has_time for s in _sections(fmt))


def decimal_places(fmt: str | None) -> int | None:
    """Digits after the decimal point in the positive section.

    None for formats that do not fix the number of decimals (General, text,
    dates, General inside a section).
    """
    nums, _ = _number_sections(_sections(fmt))
    if not nums:
        return None
    sec = nums[0]
    if sec.is_datetime or any(t.kind == "general" for t in sec.toks):
        return None
    if not any(t.kind == "ph" for t in sec.toks):
        return None
    count, after_dot = 0, False
    for tok in sec.toks:
        if tok.kind == "dot":
            if after_dot:
                break  # a second '.' is a literal; stop counting
            after_dot = True
        elif tok.kind == "exp":
            break
        elif tok.kind == "ph" and after_dot:
            count += 1
    return count


# --------------------------------------------------------------------------
# number rendering
# --------------------------------------------------------------------------


def _pad(ph: str) -> str:
    return {"0": "0", "?": " "}.get(ph, "")


def _fill_integer(digits: str, phs: list[str]) -> list[str]:
    """Distribute integer digits over placeholders right to left; the
    leftmost placeholder takes every surplus digit, as in Excel."""
    out = [""] * len(phs)
    left = len(digits)
    for k in range(len(phs) - 1, -1, -1):
        if k == 0 and left > 0:
            out[0] = digits[:left]
            left = 0
        elif left > 0:
            out[k] = digits[left - 1]
            left -= 1
        else:
            out[k] = _pad(phs[k])
    return out


def _fill_fraction(digits: str, phs: list[str]) -> list[str]:
    """Trailing zeros vanish under '#' and turn into blanks under '?'."""
    out = list(digits)
    for k in range(len(phs) - 1, -1, -1):
        if out[k] != "0" or phs[k] == "0":
            break
        out[k] = _pad(phs[k])
    return out


def _render_number(sec: _Section, v: Decimal) -> tuple[str, bool]:
    """Render the absolute value v with one section.

    Returns the text and whether the displayed number is zero (so callers
    never add a minus sign to a zero).
    """
    toks = list(sec.toks)
    if any(t.kind == "general" for t in toks):
        text = "".join(
            _general(v) if t.kind == "general" else t.text
            for t in toks
            if t.kind in ("general", "lit")
        )
        return text, v == 0

    for k, tok in enumerate(toks):
        # "# ?/?" fractions are not worth implementing for 公文.
        if tok.kind == "lit" and tok.text == "/" and k > 0 and toks[k - 1].kind == "ph":
            raise _Unsupported("fraction")

    dot_idx = next((k for k, t in enumerate(toks) if t.kind == "dot"), None)
    exp_idx = next((k for k, t in enumerate(toks) if t.kind == "exp"), None)
    if dot_idx is not None and exp_idx is not None and dot_idx > exp_idx:
        dot_idx = None
    int_end = dot_idx if dot_idx is not None else (exp_idx if exp_idx is not None else len(toks))
    frac_end = exp_idx if exp_idx is not None else len(toks)

    def part(k: int) -> str:
        if k < int_end:
            return "int"
        if k < frac_end:
            return "frac"
        return "exp"

    int_ph = [k for k in range(int_end) if toks[k].kind == "ph"]
    frac_ph = [k for k in range(int_end, frac_end) if toks[k].kind == "ph"]
    exp_ph = [k for k in range(frac_end, len(toks)) if toks[k].kind == "ph"]

    # Commas: between integer placeholders = thousands separator; right
    # after the last placeholder of a part = divide by 1000; else literal.
    grouping = False
    scale = 0
    literal_commas: set[int] = set()
    for k, tok in enumerate(toks):
        if tok.kind != "comma":
            continue
        j = k - 1
        while j >= 0 and toks[j].kind == "comma":
            j -= 1
        after_ph = j >= 0 and toks[j].kind == "ph"
        more_ph = any(toks[m].kind == "ph" and part(m) == part(k) for m in range(k + 1, len(toks)))
        if after_ph and more_ph:
            grouping = grouping or part(k) == "int"
        elif after_ph:
            scale += 1
        else:
            literal_commas.add(k)

    pct = sum(1 for t in toks if t.kind == "pct")
    with localcontext() as ctx:
        ctx.prec = _PREC
        value = v * (Decimal(100) ** pct) / (Decimal(1000) ** scale)
        exp_text = ""
        if exp_idx is not None:
            step = max(len(int_ph), 1)
            exponent = 0
            if value != 0:
                adj = value.adjusted()
                exponent = adj - (adj % step) if step > 1 else adj
            mant = _round(value.scaleb(-exponent), len(frac_ph))
            if value != 0 and mant >= Decimal(10) ** step:
                exponent += step
                mant = _round(value.scaleb(-exponent), len(frac_ph))
            sign_tok = toks[exp_idx].text
            sign = "-" if exponent < 0 else ("+" if sign_tok == "+" else "")
            exp_text = "E" + sign + str(abs(exponent)).zfill(len(exp_ph))
            shown = mant
        else:
            shown = _round(value, len(frac_ph))
        is_zero = shown == 0
        int_val = int(shown)
        frac_digits = format(shown - int_val, "f").split(".")[1] if frac_ph else ""

    int_digits = str(int_val) if int_val else ""
    int_fill = _fill_integer(int_digits, [toks[k].text for k in int_ph])
    frac_fill = _fill_fraction(frac_digits[: len(frac_ph)], [toks[k].text for k in frac_ph])
    slot = {k: s for k, s in zip(int_ph, int_fill, strict=True)}
    slot.update({k: s for k, s in zip(frac_ph, frac_fill, strict=True)})

    remaining = sum(len(s) for s in int_fill)
    # ".00" has no integer placeholder, yet Excel still prints the integer
    # part in front of the decimal point; a section without any placeholder
    # ('"-"') shows no number at all.
    int_prefix = int_digits if not int_ph and frac_ph else ""
    out: list[str] = []
    for k, tok in enumerate(toks):
        if tok.kind == "ph":
            if k in slot and k in int_ph:
                for ch in slot[k]:
                    remaining -= 1
                    out.append(ch)
                    if grouping and remaining > 0 and remaining % 3 == 0 and ch != " ":
                        out.append(",")
            elif k in slot:
                out.append(slot[k])
            # exponent placeholders are emitted together with the 'E'
        elif tok.kind == "dot":
            out.append(int_prefix + "." if k == dot_idx else ".")
        elif tok.kind == "comma":
            if k in literal_commas:
                out.append(",")
        elif tok.kind == "pct":
            out.append("%")
        elif tok.kind == "exp":
            out.append(exp_text if k == exp_idx else "")
        elif tok.kind == "lit":
            out.append(tok.text)
        # 'at', 'date', 'ampm' have no meaning in a number section
    return "".join(out), is_zero


def _render_serial(sec: _Section, v: Decimal) -> str:
    """A number shown with a date/time section."""
    days = int(v)
    secs = int(_round((v - days) * 86400, 0))
    if secs >= 86400:
        days, secs = days + 1, secs - 86400
    hours, rest = divmod(secs, 3600)
    minutes, seconds = divmod(rest, 60)
    if not sec.has_date:
        if any(t.elapsed and t.text.startswith("h") for t in sec.toks):
            hours += days * 24
        return _clock(hours, minutes, seconds, sec.has_seconds)
    if days == 0:
        text = "1900年1月0日"  # what Excel itself shows for serial 0
    elif days == 60:
        text = "1900年2月29日"  # Excel's phantom leap day
    else:
        text = _cn_date(excel_serial_to_datetime(days))
    if sec.has_time and secs:
        text += " " + _clock(hours, minutes, seconds, sec.has_seconds)
    return text


def _format_number(raw: int | float | Decimal, secs: list[_Section]) -> str:
    d = number_to_decimal(raw)
    if not d.is_finite():
        return "#NUM!"
    nums, _ = _number_sections(secs)
    if not nums:  # pure text format such as "@"
        return general_number(raw)
    if d > 0 or (d == 0 and len(nums) < 3):
        sec, auto_minus = nums[0], False
    elif d < 0 and len(nums) >= 2:
        sec, auto_minus = nums[1], False
    elif d < 0:
        sec, auto_minus = nums[0], True
    else:
        sec, auto_minus = nums[2], False
    if sec.empty:
        return ""  # e.g. "0;-0;;@" hides zeros
    if sec.bad:
        raise _Unsupported("unknown letters in format")
    if sec.is_datetime:
        if d < 0:
            raise _Unsupported("negative date")  # Excel shows ####
        return _render_serial(sec, d)
    text, is_zero = _render_number(sec, abs(d))
    text = text.strip()
    if auto_minus and not is_zero:
        text = "-" + text
    return text


def _format_temporal(raw: dt.date | dt.time | dt.timedelta, sec: _Section) -> str:
    if sec.bad:
        sec = _parse_section("General")
    if isinstance(raw, dt.timedelta):
        total = int(raw.total_seconds())
        sign = "-" if total < 0 else ""
        hours, rest = divmod(abs(total), 3600)
        return sign + _clock(hours, rest // 60, rest % 60, sec.has_seconds)
    if isinstance(raw, dt.time):
        return _clock(raw.hour, raw.minute, raw.second, sec.has_seconds)
    if isinstance(raw, dt.datetime):
        if sec.has_time and not sec.has_date:
            return _clock(raw.hour, raw.minute, raw.second, sec.has_seconds)
        text = _cn_date(raw)
        if sec.has_time and raw.time() != dt.time(0):
            text += " " + _clock(raw.hour, raw.minute, raw.second, sec.has_seconds)
        return text
    if sec.has_time and not sec.has_date:
        return _clock(0, 0, 0, sec.has_seconds)
    return _cn_date(raw)


def _format(raw: object, fmt: str | None) -> str:
    if raw is None:
        return ""
    if raw.__class__ is str and fmt in ("General", "@", None):
        return raw  # the common case: text shown as typed
    if isinstance(raw, bool):  # before int: bool is an int subclass
        return "是" if raw else "否"
    secs = _sections(fmt)
    if isinstance(raw, str):
        _, text_sec = _number_sections(secs)
        if text_sec is None or text_sec.bad:
            return raw  # Excel shows text cells unchanged
        return "".join(
            raw if t.kind == "at" else t.text for t in text_sec.toks if t.kind in ("at", "lit")
        )
    if isinstance(raw, (dt.date, dt.time, dt.timedelta)):
        return _format_temporal(raw, secs[0])
    if isinstance(raw, (int, float, Decimal)):
        return _format_number(raw, secs)
    return str(raw)


def _fallback(raw: object) -> str:
    try:
        if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
            return general_number(raw)
        return _format(raw, "General")
    except (ArithmeticError, ValueError, OverflowError):
        return str(raw)


def format_value(value: object, number_format: str | None = None) -> str:
    """The text Excel displays for ``value`` under ``number_format``.

    ``value`` may be a workbook cell wrapper exposing ``.raw``; if
    ``number_format`` is None the wrapper's ``.number_format`` is used.
    Never raises: unsupported formats fall back to the General rendering.
    """
    raw = getattr(value, "raw", value)
    if number_format is None:
        number_format = getattr(value, "number_format", None)
    try:
        return _format(raw, number_format)
    except Exception:
        # A weird format code must never break document generation; the
        # General rendering is always a sensible answer.
        return _fallback(raw)
