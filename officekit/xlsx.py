"""A streaming reader for .xlsx cell values: what a build needs, and nothing else.

openpyxl is a full object model for reading and writing workbooks; a build only needs
each cell's value (as Excel last computed it) and its number format, row by row. Reading
those straight from the sheet XML as it streams is several times faster,
holds one row at a time, and avoids importing openpyxl (and numpy, when it is installed)
on every build. openpyxl stays for what it is good at: writing the marked copy of a
workbook and reading formulas for messages.

Values follow openpyxl's ``data_only`` reading (tests/test_xlsx.py compares the two on
every kind of cell), with one deliberate difference: the Chinese-locale built-in number
formats (ids 27–36 and 50–58, e.g. 31 = ``yyyy"年"m"月"d"日"``), which Chinese Excel and
WPS write without defining them, are read as the dates they are; openpyxl reads them as
General and the date becomes a serial number like 46084.

The parser is the standard library's expat-based ElementTree (its elements are plain C
objects, faster to walk than lxml's proxies). It loads nothing from outside the file,
and files.inspect refuses parts that declare a DTD or entities before this module runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple
from xml.etree import ElementTree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Strict Open XML (Excel's "Strict Open XML Spreadsheet" save option) uses other names.
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"

# ECMA-376 Part 1, 18.8.30: formats every reader knows by number, plus the zh-CN ones
# (ids 27–36 and 50–58) that Chinese Excel and WPS use for dates and times.
BUILTIN_FORMATS: dict[int, str] = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}
ZH_CN_FORMATS: dict[int, str] = {
    27: 'yyyy"年"m"月"',
    28: 'm"月"d"日"',
    29: 'm"月"d"日"',
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    34: 'AM/PMh"时"mm"分"',
    35: 'AM/PMh"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"',
    51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"',
    54: 'm"月"d"日"',
    55: 'AM/PMh"时"mm"分"',
    56: 'AM/PMh"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}

# A format shows a date or time when its first section, without quoted text and bracketed
# colours/locales (but keeping [h] [mm] [ss] elapsed time), has an unescaped d m h y or s.
_LITERALS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_ELAPSED = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)

WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)
_CHUNK = 1 << 16  # bytes of sheet XML fed to the parser at a time


def stores_date(fmt: str) -> bool:
    """Whether a number under ``fmt`` is read as a date: openpyxl's rule, which reading
    follows cell for cell. (How the value is then shown is numfmt's business:
    :func:`officekit.numfmt.is_date_format` answers a different question.)"""
    return _DATE_LETTER.search(_LITERALS.sub("", fmt.split(";")[0])) is not None


def stores_elapsed(fmt: str) -> bool:
    """Whether a number under ``fmt`` is read as elapsed time ([h]:mm), as openpyxl does."""
    return _ELAPSED.search(fmt.split(";")[0]) is not None


def column_letter(column: int) -> str:
    """1 → A, 28 → AB."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch.upper()) - 64
    return number


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")


def split_ref(ref: str) -> tuple[int, int]:
    """ "B12" → (row 12, column 2)."""
    found = _REF.match(ref)
    if not found:
        raise ValueError(ref)
    return int(found.group(2)), column_number(found.group(1))


class Range(NamedTuple):
    """A merged range, e.g. B2:B5."""

    coord: str
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @classmethod
    def parse(cls, coord: str) -> Range:
        first, _, last = coord.partition(":")
        r1, c1 = split_ref(first)
        r2, c2 = split_ref(last or first)
        return cls(coord, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


@dataclass
class Sheet:
    """One worksheet: its rows (row number, values, formats by column from A) and what
    read-only openpyxl does not tell (merged ranges, hidden rows)."""

    title: str
    state: str  # visible, hidden, veryHidden
    part: str  # zip member
    rows: list[tuple[int, list[Any], list[str]]] = field(default_factory=list)
    merged: list[Range] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    # How the reader took it (officekit.workbook: the header's shape and names by column)
    layout: Any = None


def _from_excel(value: float, epoch: dt.datetime, elapsed: bool) -> Any:
    """A serial day number as openpyxl gives it: timedelta for elapsed-time formats, a
    time below 1, else a datetime (with Excel's 1900-02-29 for serials below 60)."""
    if elapsed:
        td = dt.timedelta(days=value)
        if td.microseconds:
            td = dt.timedelta(
                seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3)
            )
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + diff


def _iso(text: str) -> Any:
    """A t="d" cell (ISO 8601 text), as openpyxl reads it."""
    text = text.strip()
    try:
        if "T" in text or " " in text:
            return dt.datetime.fromisoformat(text.replace("Z", ""))
        if ":" in text:
            return dt.time.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return text


def _number(text: str) -> int | float | str:
    try:
        if "." in text or "E" in text or "e" in text:
            return float(text)
        return int(text)
    except ValueError:  # not a number after all: keep what the file says
        return text


class Book:
    """An open .xlsx: its worksheets in order, styles and shared strings read once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path)
        try:
            self._read_workbook()
        except BaseException:
            self.zip.close()
            raise

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- package ------------------------------------------------------------------------

    def _xml(self, name: str) -> ElementTree.Element:
        return ElementTree.fromstring(self.zip.read(name))

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, member name) for ``part``."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        if rels not in self.zip.NameToInfo:
            return {}
        found = {}
        for rel in self._xml(rels):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            member = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            found[rel.get("Id", "")] = (rel.get("Type", ""), member)
        return found

    def _read_workbook(self) -> None:
        main = next(
            (m for t, m in self._rels("").values() if t.endswith("/officeDocument")),
            "xl/workbook.xml",
        )
        root = self._xml(main)
        ns = STRICT if root.tag == f"{{{STRICT}}}workbook" else MAIN
        rel_ns = STRICT_REL if ns == STRICT else REL
        self.ns = ns
        pr = root.find(f"{{{ns}}}workbookPr")
        date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        self.epoch = MAC_EPOCH if date1904 else WINDOWS_EPOCH
        rels = self._rels(main)
        self.sheets: list[Sheet] = []
        for sheet in root.iter(f"{{{ns}}}sheet"):
            kind, member = rels.get(sheet.get(f"{{{rel_ns}}}id", ""), ("", ""))
            if not kind.endswith("/worksheet") or member not in self.zip.NameToInfo:
                continue  # chart sheets and dialog sheets hold no cells
            self.sheets.append(Sheet(sheet.get("name", ""), sheet.get("state", "visible"), member))
        styles = next((m for t, m in rels.values() if t.endswith("/styles")), None)
        self._read_styles(styles)
        strings = next((m for t, m in rels.values() if t.endswith("/sharedStrings")), None)
        self.strings: list[str] = self._read_strings(strings) if strings else []
        self.styles_part, self.strings_part = styles, strings

    def _read_styles(self, member: str | None) -> None:
        """Number format of each cell style, and which styles show dates or elapsed time."""
        self.formats: list[str] = ["General"]
        self.date_styles: set[int] = set()
        self.elapsed_styles: set[int] = set()
        if member is None or member not in self.zip.NameToInfo:
            return
        root = self._xml(member)
        ns = self.ns
        custom = {}
        for fmt in root.iterfind(f"{{{ns}}}numFmts/{{{ns}}}numFmt"):
            try:
                custom[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "General")
            except ValueError:
                continue
        xfs = root.find(f"{{{ns}}}cellXfs")
        self.formats = []
        for index, xf in enumerate(xfs if xfs is not None else []):
            try:
                number = int(xf.get("numFmtId", "0"))
            except ValueError:
                number = 0
            fmt = custom.get(number) or BUILTIN_FORMATS.get(number) or ZH_CN_FORMATS.get(number)
            fmt = fmt or "General"
            self.formats.append(fmt)
            if stores_date(fmt):
                self.date_styles.add(index)
            if stores_elapsed(fmt):
                self.elapsed_styles.add(index)
        self.formats = self.formats or ["General"]

    def _read_strings(self, member: str) -> list[str]:
        if member not in self.zip.NameToInfo:
            return []
        with self.zip.open(member) as stream:
            return self.strings_from(stream)

    def strings_from(self, stream: IO[bytes]) -> list[str]:
        """The shared strings of a sharedStrings part read from ``stream`` (this workbook's,
        or the one a sheet cache kept from its last build)."""
        ns = self.ns
        t, r = f"{{{ns}}}t", f"{{{ns}}}r"
        strings: list[str] = []
        tag = f"{{{ns}}}si"
        for _, si in ElementTree.iterparse(stream, events=("end",)):
            if si.tag == tag:
                strings.append(_text(si, t, r))
                si.clear()
        return strings

    def excel_tables(self, sheet: Sheet) -> list[tuple[str, str]]:
        """(name, range) of each Excel table on ``sheet`` (套用表格格式), for reports: the
        cells are read as any others."""
        found = []
        for kind, member in self._rels(sheet.part).values():
            if kind.endswith("/table") and member in self.zip.NameToInfo:
                root = self._xml(member)
                found.append((root.get("displayName") or root.get("name", ""), root.get("ref", "")))
        return found

    # -- cells --------------------------------------------------------------------------

    def read(self, sheet: Sheet) -> Sheet:
        """Fill ``sheet`` with its rows, merged ranges and hidden rows (one pass)."""
        sheet.rows = list(self.iter_rows(sheet))
        return sheet

    def iter_rows(
        self, sheet: Sheet, xml: bytes | None = None
    ) -> Iterator[tuple[int, list[Any], list[str]]]:
        """The rows of ``sheet`` as they stream from the file (or from ``xml``, some of its
        rows: officekit.sheetdiff): (row number, values, number formats), by column
        from A. Merged ranges and hidden rows are recorded on ``sheet`` as they are met
        (merged ranges follow the rows in the file)."""
        sheet.merged, sheet.hidden_rows = [], set()
        ns = self.ns
        row_tag, cell_tag, merge_tag = f"{{{ns}}}row", f"{{{ns}}}c", f"{{{ns}}}mergeCell"
        data_tag, v_tag, is_tag = f"{{{ns}}}sheetData", f"{{{ns}}}v", f"{{{ns}}}is"
        t, r = f"{{{ns}}}t", f"{{{ns}}}r"
        strings, formats, epoch = self.strings, self.formats, self.epoch
        dates, elapsed = self.date_styles, self.elapsed_styles
        columns: dict[str, int] = {}
        # Repeated texts (a unit's name on each of its rows) are kept once.
        pool: dict[str, str] = {}
        row_number = 0
        data = None
        parser = ElementTree.XMLPullParser(("start", "end"))
        with io.BytesIO(xml) if xml is not None else self.zip.open(sheet.part) as stream:
            while chunk := stream.read(_CHUNK):
                parser.feed(chunk)
                for event, element in parser.read_events():
                    tag = element.tag
                    if event == "start":
                        if tag == data_tag:
                            data = element
                        continue
                    if tag == merge_tag:
                        with contextlib.suppress(ValueError):
                            sheet.merged.append(Range.parse(element.get("ref", "")))
                        continue
                    if tag != row_tag:
                        continue
                    number = element.get("r")
                    row_number = int(number) if number else row_number + 1
                    if element.get("hidden") in ("1", "true"):
                        sheet.hidden_rows.add(row_number)
                    values: list[Any] = []
                    styles: list[str] = []
                    column = 0
                    for c in element:
                        if c.tag != cell_tag:
                            continue
                        ref = c.get("r")
                        if ref:
                            letters = ref.rstrip("0123456789")
                            known = columns.get(letters)
                            if known is None:
                                known = columns[letters] = column_number(letters)
                            column = known
                        else:
                            column += 1
                        kind = c.get("t", "n")
                        style = c.get("s")
                        index = int(style) if style else 0
                        value: Any = None
                        if kind == "inlineStr":
                            inline = c.find(is_tag)
                            if inline is not None:
                                # One <t>, the common shape, read here; runs in _text
                                if len(inline) == 1 and inline[0].tag == t:
                                    value = inline[0].text or ""
                                else:
                                    value = _text(inline, t, r)
                        else:
                            v = c.find(v_tag)
                            text = v.text if v is not None else None
                            if text:
                                if kind == "n":
                                    value = _number(text)
                                    if index in dates and not isinstance(value, str):
                                        try:
                                            value = _from_excel(value, epoch, index in elapsed)
                                        except (OverflowError, ValueError):
                                            value = "#VALUE!"
                                elif kind == "s":
                                    value = strings[int(text)]
                                elif kind == "b":
                                    value = bool(int(text))
                                elif kind == "d":
                                    value = _iso(text)
                                else:  # str (a formula's text result), e (an error)
                                    value = text
                        if value.__class__ is str:
                            value = pool.setdefault(value, value)
                        fmt = formats[index] if index < len(formats) else "General"
                        if column > len(values):
                            missing = column - 1 - len(values)
                            if missing:
                                values += [None] * missing
                                styles += ["General"] * missing
                            values.append(value)
                            styles.append(fmt)
                        else:  # a cell given twice: the later one wins, as in openpyxl
                            values[column - 1] = value
                            styles[column - 1] = fmt
                    if data is not None:  # the row is read: let it go
                        data.remove(element)
                    yield row_number, values, styles
            parser.close()


def _text(element: ElementTree.Element, t: str, r: str) -> str:
    """The text of a shared or inline string: its <t>, or its runs' <t>; phonetic guides
    (<rPh>, furigana) are not part of the text."""
    parts = []
    for child in element:
        if child.tag == t:
            parts.append(child.text or "")
        elif child.tag == r:
            for sub in child:
                if sub.tag == t:
                    parts.append(sub.text or "")
    return "".join(parts)
