"""Which rows of a worksheet changed since the last build, from the bytes of its XML.

A clerk edits one unit's row; the sheet is a thousand rows of text that take tens of
milliseconds to parse (seconds at a hundred thousand rows). A worksheet's rows are
consecutive ``<row>`` elements inside ``<sheetData>``, each saying its number (``r``):
cut at those boundaries, the sheet is the part before its rows, one piece per row, and
the part after them (merged ranges and the like). A row whose bytes are what they were
(and, in a workbook with shared strings, whose string indices still name the same texts)
reads as it did; only the other rows are parsed, together with the header row and the
parts around the rows, as a small sheet of their own.

Anything unusual (a prefixed namespace, rows without numbers or out of order, a header
that changed) gives None: the caller reads the whole sheet, as it would without a last
build. Nothing here decides a value; it only says which rows need reading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

# A row's start tag (not <rowBreaks>): "<row" then a space, ">" or "/"
_ROW = re.compile(rb"<row[\s>/]")
_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
# Cell values that may be shared-string indices (any <v> holding digits: a numeric cell's
# value may be counted too, which only costs a row read again)
_VALUE = re.compile(rb"<v>\s*(\d+)\s*</v>")
_SHARED = re.compile(rb"""\st\s*=\s*["']s["']""")
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_DATA = b"<sheetData"
_DATA_END = b"</sheetData>"


class Split(NamedTuple):
    """A sheet's XML cut at its rows: ``head`` is everything before the first row,
    ``rows`` each row's number and bytes (with what follows it up to the next row),
    ``tail`` everything from the end of the rows."""

    head: bytes
    rows: list[tuple[int, bytes]]
    tail: bytes


def split(xml: bytes) -> Split | None:
    """``xml`` cut at its rows, or None when its rows are not plainly there (a prefixed
    namespace, a row without its number, numbers not rising)."""
    found = _rows_of(xml)
    if found is None:
        return None
    begin, end = found
    starts = [m.start() for m in _ROW.finditer(xml, begin, end)]
    if not starts or xml[begin : starts[0]].strip():
        return None  # something other than rows inside sheetData
    rows: list[tuple[int, bytes]] = []
    last = 0
    for start, stop in zip(starts, [*starts[1:], end], strict=True):
        number = _row_number(xml, start, stop)
        if number is None or number <= last:
            return None
        last = number
        rows.append((number, xml[start:stop]))
    return Split(xml[: starts[0]], rows, xml[end:])


def _row_number(xml: bytes, start: int, stop: int | None = None) -> int | None:
    """The number (``r``) the row whose start tag begins at ``start`` gives itself."""
    tag_end = xml.find(b">", start, len(xml) if stop is None else stop)
    found = _NUMBER.search(xml, start, tag_end) if tag_end > 0 else None
    return int(found.group(1)) if found else None


class Plan:
    """How to read a sheet again: ``xml`` is a sheet of the header row and the rows to
    read (with the parts around the rows); of the last reading, every row is kept but
    those numbered in ``dropped`` (changed or gone). The rows read and the rows kept,
    ordered by number, are the sheet."""

    __slots__ = ("xml", "dropped", "read")

    def __init__(self, xml: bytes, dropped: set[int], read: int) -> None:
        self.xml, self.dropped, self.read = xml, dropped, read  # read: rows in ``xml``


def _changed_strings(old: Sequence[str], new: Sequence[str]) -> set[int]:
    """Indices of shared strings that name another text now (or exist only on one side)."""
    changed = {i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b}
    changed.update(range(min(len(old), len(new)), max(len(old), len(new))))
    return changed


def _names_changed_string(row: bytes, changed: set[int]) -> bool:
    return _SHARED.search(row) is not None and any(
        int(m.group(1)) in changed for m in _VALUE.finditer(row)
    )


def _resolved(row: bytes, strings: Sequence[str]) -> list[object]:
    """``row`` with each shared-string cell's index replaced by the text it names: two
    rows alike so read alike (Excel renumbers its strings when it saves)."""
    pieces: list[object] = []
    last = 0
    for cell in _CELL.finditer(row):
        value = _VALUE.search(cell.group(2) or b"") if _SHARED.search(cell.group(1)) else None
        if value is None:
            continue
        index = int(value.group(1))
        text = strings[index] if index < len(strings) else None
        pieces += [row[last : cell.start()], cell.group(1), text]
        last = cell.end()
    pieces.append(row[last:])
    return pieces


def _alike(
    old: bytes | None,
    new: bytes,
    changed: set[int],
    old_strings: Sequence[str],
    new_strings: Sequence[str],
) -> bool:
    """Whether row ``new`` reads as row ``old`` did (None: there was no such row)."""
    if old is None:
        return False
    if old == new and not (changed and _names_changed_string(new, changed)):
        return True
    return bool(changed) and _resolved(old, old_strings) == _resolved(new, new_strings)


def plan(
    old: bytes,
    new: bytes,
    old_strings: Sequence[str] = (),
    new_strings: Sequence[str] = (),
) -> Plan | None:
    """What to read of sheet XML ``new`` given that ``old`` was read before (with the
    workbook's shared strings then and now); None when the whole sheet must be read."""
    changed_strings = _changed_strings(old_strings, new_strings)
    if not changed_strings:
        found = _between(old, new)
        if found is not None:
            return found
    before, after = split(old), split(new)
    if before is None or after is None:
        return None
    # The header row (row 1) decides every column: changed, everything is read.
    old_header = before.rows[0] if before.rows[0][0] == 1 else None
    new_header = after.rows[0] if after.rows[0][0] == 1 else None
    if (old_header is None) != (new_header is None) or (
        new_header is not None
        and not _alike(old_header[1], new_header[1], changed_strings, old_strings, new_strings)
    ):
        return None
    previous = dict(before.rows)
    pieces = [after.head, *([new_header[1]] if new_header else [])]
    kept: set[int] = set()
    for number, row in after.rows[1 if new_header else 0 :]:
        if _alike(previous.get(number), row, changed_strings, old_strings, new_strings):
            kept.add(number)
        else:
            pieces.append(row)
    pieces.append(after.tail)
    dropped = {number for number, _ in before.rows if number not in kept and number != 1}
    return Plan(b"".join(pieces), dropped, len(pieces) - 2 - bool(new_header))


def _rows_of(xml: bytes) -> tuple[int, int] | None:
    """Where the rows of sheet XML ``xml`` are: (after ``<sheetData>``, at ``</sheetData>``);
    None for ``<sheetData/>`` (no rows) or no (unprefixed) sheetData."""
    begin = xml.find(_DATA)
    opened = xml.find(b">", begin) if begin >= 0 else -1
    end = xml.find(_DATA_END, opened) if opened >= 0 else -1
    if opened < 0 or xml[opened - 1 : opened] == b"/" or end < 0:
        return None
    return opened + 1, end


_STEP = 4096  # bytes compared at a time (one memcmp) before byte by byte


def _common_prefix(a: bytes, b: bytes) -> int:
    n, i = min(len(a), len(b)), 0
    while i < n and a[i : i + _STEP] == b[i : i + _STEP]:
        i += _STEP
    end = min(i + _STEP, n)
    while i < end and a[i] == b[i]:
        i += 1
    return min(i, n)


def _common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """How many bytes ``a`` and ``b`` end with alike, at most ``limit``."""
    la, lb, i = len(a), len(b), 0
    while i < limit:
        step = min(_STEP, limit - i)
        if a[la - i - step : la - i] != b[lb - i - step : lb - i]:
            break
        i += step
    end = min(i + _STEP, limit)
    while i < end and a[la - i - 1] == b[lb - i - 1]:
        i += 1
    return i


def _number_at(rows: bytes, at: int, above: bool = False) -> float:
    """The number of the row starting at ``at`` in ``rows``; none there (``at`` is -1 or
    the end): below or above every number, as ``above`` says."""
    if at < 0 or at >= len(rows):
        return float("inf") if above else 0
    number = _row_number(rows, at)
    return number if number is not None else (float("-inf") if above else float("inf"))


def _first_row(rows: bytes) -> tuple[int, bytes] | None:
    """The number and bytes of the first row in ``rows`` (a sheet's rows)."""
    first = _ROW.search(rows)
    if first is None:
        return None
    second = _ROW.search(rows, first.end())
    row = rows[first.start() : second.start() if second else len(rows)]
    number = _row_number(row, 0)
    return (number, row) if number is not None else None


def _between(old: bytes, new: bytes) -> Plan | None:
    """The plan when the rows differ in one stretch (an edit, rows added or deleted
    together), found from the bytes the two sheets' rows begin and end with: only the
    rows of that stretch are cut out and compared. None when that does not hold."""
    old_at, new_at = _rows_of(old), _rows_of(new)
    if old_at is None or new_at is None:
        return None
    rows_old = old[old_at[0] : old_at[1]]
    rows_new = new[new_at[0] : new_at[1]]
    same = _common_prefix(rows_old, rows_new)
    # The stretch widened to whole rows: from the last row that starts within the same
    # beginning to the first that starts within the same end (a "<row" wholly inside
    # the common bytes begins a row in both: "<" in a value is written "&lt;").
    start = (
        same  # the rows before are the same: rows added
        if rows_new.startswith(b"<row", same)
        else max(rows_new.rfind(b"<row", 0, same), 0)
    )
    # The same end may reach back into the row where the same beginning ends (a row
    # inserted: "<row r=" alike on both sides), not before it.
    tail = _common_suffix(rows_old, rows_new, min(len(rows_old), len(rows_new)) - start)
    end = rows_new.find(b"<row", len(rows_new) - tail)
    end = len(rows_new) if end < 0 else end
    end_old = end - len(rows_new) + len(rows_old)
    if start > end_old:
        return None
    stretch_new = rows_new[start:end]
    stretch_old = rows_old[start:end_old]
    read = split(b"<sheetData>" + stretch_new + b"</sheetData>") if stretch_new.strip() else None
    gone = split(b"<sheetData>" + stretch_old + b"</sheetData>") if stretch_old.strip() else None
    if (read is None and stretch_new.strip()) or (gone is None and stretch_old.strip()):
        return None  # not whole rows (a "<row" that was not a row): compared row by row
    rows = read.rows if read is not None else []
    dropped = {n for n, _ in gone.rows} if gone is not None else set()
    if 1 in dropped or any(n == 1 for n, _ in rows):
        return None  # the header row changed
    numbers = [n for n, _ in rows] + list(dropped)
    if numbers and not (
        _number_at(rows_new, rows_new.rfind(b"<row", 0, start)) < min(numbers)
        and max(numbers) < _number_at(rows_new, end, above=True)
    ):
        return None  # numbers that do not rise through the sheet: read as they stand
    # Rows around the stretch keep their numbers: those before it are numbered below
    # its rows, those after above (numbers rise through a sheet).
    first = _first_row(rows_new)
    header = first[1] if first is not None and first[0] == 1 else b""
    xml = b"".join([new[: new_at[0]], header, *(row for _, row in rows), new[new_at[1] :]])
    return Plan(xml, dropped, len(rows))
