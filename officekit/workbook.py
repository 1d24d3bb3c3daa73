"""Read an .xlsx into typed tables.

Loading runs named steps (open, read variables, read tables, check types, check
references, check totals); a failure raises :class:`WorkbookError` with one Chinese
sentence naming the file, sheet, row and column and saying what to type instead.
Cells stream from the sheet XML (officekit.xlsx); openpyxl, imported only when needed,
writes the marked copy of a workbook and reads formulas for messages.
"""

from __future__ import annotations

import dataclasses
import difflib
import heapq
import io
import itertools
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from officekit import files, sheetdiff, sheetshape, xlsx
from officekit.checks import group_warnings
from officekit.convert import error_value, typed
from officekit.errors import WorkbookError
from officekit.gcpause import paused
from officekit.job import ColumnRule, Job, TableRule
from officekit.numfmt import is_percent_format
from officekit.prefetch import Prefetch, can_fork
from officekit.sheetcache import SheetCache
from officekit.sheetshape import DATA, NOTE, TOTAL, Head, Shape, Tail, Total
from officekit.tables import Reference, Relations, Row, Table
from officekit.values import ILLEGAL_XML, Cell

KEY_HEADER = "项目"
VALUE_HEADER = "内容"


@dataclass
class Issue:
    """One broken rule in the workbook, located to a cell."""

    sheet: str
    row: int
    column: int
    header: str
    message: str  # the part after the place, e.g. "应填数字，现在是“九十一”"
    hint: str  # what to do

    @property
    def cell(self) -> str:
        return f"{xlsx.column_letter(self.column)}{self.row}"


@dataclass
class Workbook:
    """Everything a job reads from its workbook."""

    path: Path
    variables: dict[str, Cell]
    tables: dict[str, Table]
    relations: Relations
    warnings: list[str] = field(default_factory=list)
    # sheet name → its sheet-cache key ("" without a cache): what the rows were read from
    keys: dict[str, str] = field(default_factory=dict)


def _place(path: Path, sheet: str, row: int, column: int, header: str) -> str:
    return f"工作簿 {path.name} 的「{sheet}」表第 {row} 行「{header}」列（{xlsx.column_letter(column)}{row}）"


def describe(path: Path, issues: list[Issue], note: str = "") -> str:
    """One sentence for the first issue, with the count of the others and ``note``."""
    first = issues[0]
    extra = []
    if len(issues) > 1:
        extra.append(f"另有 {len(issues) - 1} 处问题")
    if note:
        extra.append(note)
    tail = f"（{'，'.join(extra)}）" if extra else ""
    return f"{_place(path, first.sheet, first.row, first.column, first.header)}{first.message}，{first.hint}{tail}。"


def _fail(path: Path, issues: list[Issue]) -> WorkbookError:
    error = WorkbookError(describe(path, issues), sheet=issues[0].sheet, cell=issues[0].cell)
    error.issues = issues  # type: ignore[attr-defined]
    return error


def _clean_text(value: str) -> str:
    return value.strip().strip("\u3000").strip()


# zlib.error: a member whose compressed bytes are damaged (zipfile does not wrap it)
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ParseError,
    ValueError,
    IndexError,
    OSError,
)


def _unreadable(path: Path, sheet: str = "") -> WorkbookError:
    if sheet:  # the package opened; one sheet's XML is damaged
        return WorkbookError(
            f"工作簿 {path.name} 的「{sheet}」表已损坏，无法读取；请在 Excel 中打开工作簿，"
            "检查这张表后“另存为 Excel 工作簿(.xlsx)”，再重新生成。",
            sheet=sheet,
        )
    return WorkbookError(
        f"工作簿 {path.name} 无法打开（不是有效的 .xlsx 文件）；请在 Excel 中“另存为 Excel 工作簿(.xlsx)”后重试。"
    )


def _open(path: Path) -> xlsx.Book:
    if not path.exists():
        old_format = path.with_suffix(".xls")
        if old_format.exists():
            raise WorkbookError(
                f"找不到工作簿 {path.name}，但有旧格式的 {old_format.name}；请在 Excel 中把它"
                f"“另存为 Excel 工作簿(.xlsx)”，文件名为 {path.name}，然后重新生成。"
            )
        raise WorkbookError(f"找不到工作簿 {path}；请检查 officekit.toml 中的 workbook 路径。")
    # Not every member decompressed to check it: each part read (a sheet, or its bytes
    # hashed for the sheet cache) is read to its end, where zipfile checks the CRC, and
    # a damaged sheet is then named (_stream, SheetCache.key).
    files.inspect(path, files.WORKBOOK, WorkbookError, verify=False)
    try:
        return xlsx.Book(path)
    except PermissionError as exc:
        raise WorkbookError(
            f"工作簿 {path.name} 正被其他程序占用，请在 Excel 中关闭它后重试。"
        ) from exc
    except _UNREADABLE as exc:
        raise _unreadable(path) from exc


def _sheet(book: xlsx.Book, name: str) -> xlsx.Sheet:
    """The named sheet with all its rows read (for the small key/value sheet)."""
    sheet = next(s for s in book.sheets if s.title == name)
    sheet.rows = list(_stream(book, sheet))
    return sheet


def _data_columns(rule: TableRule | None) -> set[str] | None:
    """Columns whose values the job reads by rule; None: every column counts."""
    if rule is None:
        return None
    names = set(rule.columns) | set(rule.references) | set(rule.allowed) | set(rule.percent_columns)
    names |= {c for group in rule.unique for c in group}
    if rule.key:
        names.add(rule.key)
    return names


def _header_row(sheet: xlsx.Sheet) -> list[Any]:
    for number, values, _ in sheet.rows:
        return values if number == 1 else []
    return []


def _merged_issues(sheet: xlsx.Sheet, data_columns: set[str] | None = None) -> list[Issue]:
    """Merged cells look filled to a clerk but hold a value in one row only.

    Merges in the title block, bands and names merged down over a two-row header, and in
    totals and note rows are how such sheets are kept: allowed. Merges that touch only
    note columns (not in ``data_columns``) are harmless: allowed.
    """
    issues = []
    if not sheet.merged:
        return issues
    layout: tuple[Shape, dict[int, str]] | None = sheet.layout
    if layout is None:  # the header was not read: the first row, as it stands
        names = {i + 1: v for i, v in enumerate(_header_row(sheet)) if v is not None}
        last, totals, notes_from = 1, set(), None
    else:
        shape, names = layout
        last, totals = shape.header[-1], {t.row for t in shape.totals}
        notes_from = shape.notes[0][0] if shape.notes else None

    def header_of(column: int) -> Any:
        return names.get(column)

    for merged in sorted(sheet.merged, key=lambda m: (m.min_row, m.min_col)):
        if merged.max_row < last or (merged.max_row == last and merged.min_col == merged.max_col):
            continue  # a title, a band, a name merged down: the header's rows
        if (notes_from is not None and merged.min_row >= notes_from) or (
            merged.min_row == merged.max_row and merged.min_row in totals
        ):
            continue  # a note line, a 合计 label over two columns
        headers = [header_of(c) for c in range(merged.min_col, merged.max_col + 1)]
        if (
            data_columns is not None
            and merged.min_row > last
            and not any(h is not None and _clean_text(str(h)) in data_columns for h in headers)
        ):
            continue
        header = header_of(merged.min_col)
        issues.append(
            Issue(
                sheet.title,
                merged.min_row,
                merged.min_col,
                _clean_text(str(header)) if header is not None else "表头",
                f"起是合并单元格（{merged.coord}），只有第一格有内容",
                "请取消合并（开始 → 合并后居中），并在每一行都填写",
            )
        )
    return issues


Rows = Iterator[tuple[int, list[Any], list[str]]]


def _cleaned(rows: Rows) -> Rows:
    """The non-blank rows, texts cleaned and blank ones empty (one pass: ten thousand rows)."""
    for r, values, formats in rows:
        values = [
            (_clean_text(_decode_escapes(v)) or None) if isinstance(v, str) else v for v in values
        ]
        if any(v is not None for v in values):
            yield r, values, formats


def _read_sheet(source: xlsx.Sheet | Rows, wanted: Iterable[str] = ()) -> tuple[Head, Rows]:
    """The header (found among the first rows by the ``wanted`` column names:
    officekit.sheetshape) and the rows after it (row number, values, formats) as they
    stream: a read sheet's rows, or an iterator of them."""
    rows = iter(source.rows) if isinstance(source, xlsx.Sheet) else source
    return sheetshape.read_head(_cleaned(rows), list(dict.fromkeys(wanted)))


def _header_at(head: Head) -> int:
    """The row named in messages about the header: its last row (the names)."""
    return head.rows[-1] if head.rows else 1


def _stream(book: xlsx.Book, sheet: xlsx.Sheet, xml: bytes | None = None) -> Rows:
    """The rows of ``sheet`` straight from the file (or from ``xml``, some of them;
    damaged XML is the file's fault, said so); its first row is kept on the sheet for
    messages about merged cells (whose ranges come after the rows in the file)."""
    try:
        for row in book.iter_rows(sheet, xml):
            if row[0] == 1:
                sheet.rows = [row]
            yield row
    except _UNREADABLE as exc:
        raise _unreadable(book.path, sheet.title) from exc


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _closest(name: str, candidates: list[str], noun: str) -> str:
    """ "，是不是改成了「任务分工表」" when a candidate is close to ``name``."""
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.5)
    found = found or [c for c in candidates if name in c or c in name][:1]
    return f"（是不是改成了「{found[0]}」{noun}？）" if found else ""


def _hidden_rows(sheet: xlsx.Sheet, table: Table) -> list[int]:
    """Data rows of ``table`` that are hidden in Excel."""
    hidden = sheet.hidden_rows
    return [n for n in table.numbers if n in hidden] if hidden else []


def _decode_escapes(value: str) -> str:
    """Undo Excel's ``_xHHHH_`` escapes (how .xlsx stores control characters; ECMA-376)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value) if "_x" in value else value


def _sanitize(value: Any, path: Path, where: tuple[str, int, int, str], warnings: list[str]) -> Any:
    """``value`` without characters XML forbids; ``where`` is (sheet, row, column, header)."""
    if isinstance(value, str) and ILLEGAL_XML.search(value):
        warnings.append(
            f"{_place(path, *where)}含有不可见的控制字符（多半是从别处粘贴来的），已删除。"
        )
        return ILLEGAL_XML.sub("", value)
    return value


def _read_variables(
    path: Path, sheet: xlsx.Sheet, rules: dict[str, ColumnRule], warnings: list[str]
) -> tuple[dict[str, Cell], list[Issue]]:
    head, rows = _read_sheet(sheet, (KEY_HEADER, VALUE_HEADER))
    names = {c.name: c.number for c in head.columns}
    sheet.layout = (Shape(head.rows or (1,), head.title), {c.number: c.name for c in head.columns})
    for needed in (KEY_HEADER, VALUE_HEADER):
        if needed not in names:
            raise WorkbookError(
                f"工作簿 {path.name} 的「{sheet.title}」表第 {_header_at(head)} 行找不到「{needed}」列；"
                f"请保持表头为“{KEY_HEADER} | {VALUE_HEADER}”。"
            )
    key_col, value_col = names[KEY_HEADER], names[VALUE_HEADER]
    variables: dict[str, Cell] = {}
    issues: list[Issue] = []
    for r, values, formats in rows:
        key = values[key_col - 1] if key_col <= len(values) else None
        if key is None:
            continue
        if sheetshape.is_note(key):  # 注：… or 填表人：… below the items
            continue
        key = str(key)
        if not key.isidentifier():
            issues.append(
                Issue(
                    sheet.title,
                    r,
                    key_col,
                    KEY_HEADER,
                    f"的项目名“{key}”含有空格或符号，模板里无法引用",
                    "请改为只含汉字、字母、数字和下划线的名称",
                )
            )
            continue
        if key in variables:
            issues.append(
                Issue(
                    sheet.title,
                    r,
                    key_col,
                    KEY_HEADER,
                    f"的项目名“{key}”与上面的行重复",
                    "请删除或改名其中一行",
                )
            )
            continue
        value = values[value_col - 1] if value_col <= len(values) else None
        fmt = formats[value_col - 1] if value_col <= len(formats) else "General"
        value = _sanitize(value, path, (sheet.title, r, value_col, VALUE_HEADER), warnings)
        place = (sheet.title, value_col, r)
        rule = rules.get(key)
        if rule is None:
            variables[key] = Cell(value, fmt, place)
            continue
        if value is None:
            if rule.required:
                issues.append(
                    Issue(
                        sheet.title,
                        r,
                        value_col,
                        VALUE_HEADER,
                        f"（{key}）不能为空",
                        "请填写后重新生成",
                    )
                )
            variables[key] = Cell(None, fmt, place)
            continue
        cell, problem, hint = typed(value, fmt, rule)
        if problem:
            issues.append(
                Issue(sheet.title, r, value_col, VALUE_HEADER, f"（{key}）{problem}", hint)
            )
            variables[key] = Cell(value, fmt, place)
            continue
        assert cell is not None
        cell.place = place
        variables[key] = cell
    for key, rule in rules.items():
        # A renamed item shows up first as its own row's problem; report that one first.
        if key not in variables and rule.required and not issues:
            raise WorkbookError(
                f"工作簿 {path.name} 的「{sheet.title}」表缺少项目“{key}”；请在「{KEY_HEADER}」列加一行“{key}”，"
                f"并在「{VALUE_HEADER}」列填写它的值。"
            )
    return variables, issues


def _wanted(rule: TableRule | None) -> list[str]:
    """The columns a rule names, which the header must hold."""
    if rule is None:
        return []
    return list(dict.fromkeys([*rule.columns, *rule.references, *([rule.key] if rule.key else [])]))


def _checked_header(path: Path, sheet: xlsx.Sheet, rule: TableRule | None, head: Head) -> Table:
    """An empty table with the header's columns, once no name repeats and every column
    the rule names is there (the messages give the header cells as the clerk sees them)."""
    at = _header_at(head)
    seen: dict[str, int] = {}
    shown: dict[str, str] = {}
    for column in head.columns:
        if column.name in seen:
            raise WorkbookError(
                f"工作簿 {path.name} 的「{sheet.title}」表第 {at} 行有两个「{column.shown}」列"
                f"（{xlsx.column_letter(seen[column.name])}{at} 和 "
                f"{xlsx.column_letter(column.number)}{at}），请改成不同的列名。"
            )
        seen[column.name] = column.number
        shown[column.name] = column.shown
    for name in _wanted(rule):
        if name not in seen:
            existing = [shown[n] for n in seen]
            raise WorkbookError(
                f"工作簿 {path.name} 的「{sheet.title}」表第 {at} 行找不到「{name}」列"
                f"{_closest(name, existing, '列')}（现有：{'、'.join(existing) or '无'}）；"
                "请把表头改回原来的名称，不要改动或删除表头。"
            )
    table = Table(sheet.title, [c.name for c in head.columns])
    table.positions = seen  # column name → Excel column number (blank headers skipped)
    return table


def _typed_rows(
    path: Path, sheet: xlsx.Sheet, rule: TableRule | None, warnings: list[str], rows_in: Rows
) -> tuple[Table, list[Issue]]:
    """The sheet's rows (``rows_in``, as they stream) typed by ``rule`` into a table (no
    key yet), and the problems of single cells. Rows above the header, totals rows and
    note lines are not data: they go into the table's :class:`Shape`."""
    head, rows = _read_sheet(rows_in, _wanted(rule))
    names = {c.number: c.name for c in head.columns}
    sheet.layout = (Shape(head.rows or (1,), head.title), names)  # for merged-cell messages
    table = _checked_header(path, sheet, rule, head)
    issues: list[Issue] = []
    # (column, its header as the clerk sees it, for messages; its rule; the table's name)
    columns = [
        (c.number, c.shown, rule.columns.get(c.name) if rule else None, c.name)
        for c in head.columns
    ]
    first_column = head.columns[0].number if head.columns else 1
    tail = Tail(first_column, _header_at(head))
    totals: list[tuple[Total, int]] = []  # and the number of data rows above each
    notes: list[tuple[int, str]] = []
    loose = 0
    for r, values, formats in rows:
        kind, first = tail.kind(r, values)
        if kind != DATA:
            if kind == TOTAL:
                cells = {
                    n: (values[c - 1], formats[c - 1]) for c, _, _, n in columns if c <= len(values)
                }
                label = sheetshape.total_label(values[first - 1]) or "合计"
                totals.append((Total(r, label, cells), len(table)))
            elif kind == NOTE:
                notes.append((r, sheetshape.note_text(values)))
            else:
                issues.append(_stray(sheet.title, r, first, names, notes))
            continue
        if first > first_column:  # (a call per row only for rows starting further right)
            loose += tail.loose(first, values)
        # Values and formats go straight into the row's tuples; Cells are made only for
        # typed columns (a workbook of ten thousand units has hundreds of thousands).
        row_values: list[Any] = []
        row_formats: list[str] = []
        for col, name, column_rule, key in columns:
            value = values[col - 1] if col <= len(values) else None
            fmt = formats[col - 1] if col <= len(formats) else "General"
            value = _sanitize(value, path, (sheet.title, r, col, name), warnings)
            failed = error_value(value)
            if failed is not None:
                issues.append(Issue(sheet.title, r, col, name, failed[1], failed[2]))
            elif column_rule is None or value is None:
                if value is None and column_rule and column_rule.required:
                    issues.append(Issue(sheet.title, r, col, name, "不能为空", "请填写后重新生成"))
            else:
                cell, problem, hint = typed(value, fmt, column_rule)
                if problem:
                    issues.append(Issue(sheet.title, r, col, name, problem, hint))
                else:
                    assert cell is not None
                    value, fmt = cell.raw, cell.number_format
                    allowed = rule.allowed.get(key) if rule else None
                    if allowed and str(value) not in allowed:
                        issues.append(
                            Issue(sheet.title, r, col, name, f"的“{value}”不在可选值中",
                                  f"请从下拉列表中选择（{'、'.join(allowed)}）")
                        )  # fmt: skip
            row_values.append(value)
            row_formats.append(fmt or "General")
        table.add_values(r, row_values, row_formats)
    table.shape = Shape(
        head.rows or (1,),
        head.title,
        tuple(t for t, _ in totals),
        tuple(notes),
        {c.name: c.unit for c in head.columns if c.unit},
        {c.name: c.shown for c in head.columns if c.shown != c.name},
        sheetshape.skipped(head.columns),
        loose,
    )
    sheet.layout = (table.shape, names)
    warnings += sheetshape.totals_warnings(path.name, table, totals)
    return table, issues


def _stray(title: str, row: int, column: int, names: dict[int, str], notes: list) -> Issue:
    """A row that looks like data below the table's note lines (it would be lost)."""
    return Issue(
        title,
        row,
        column,
        names.get(column, "表尾"),
        f"在表格下方的说明文字（第 {notes[0][0]} 行起）之后，却像是一行数据，不会被读取",
        "如果它是数据，请把整行剪切到说明文字上面；如果不是，请把它写进说明文字或删除这一行",
    )


def _finish_table(
    path: Path,
    title: str,
    rule: TableRule | None,
    table: Table,
    issues: list[Issue],
    checked: bool = False,
) -> tuple[Table, list[Issue]]:
    """Checks across rows (repeats, percentages, the key) and the key index; ``checked``:
    the table passed them before (a sheet-cache entry), only the index is made."""
    seen = table.positions  # column name → Excel column number, in sheet order
    if checked and rule and rule.key and rule.key in seen:
        table.index_by(rule.key)
        return table, issues
    if rule and not checked:
        issues += _unique_issues(title, table, rule) + _percent_issues(title, table, rule)
    if not (rule and rule.key):
        # No key named: the first column is one when its values are all there and
        # unique (a set, not the rows repeating: a hundred thousand assignments).
        first = next(iter(seen), None)
        values = table.column(first) if first is not None else [None]
        if None not in values and len(set(values)) == len(values):
            table.index_by(first)  # type: ignore[arg-type]
        return table, issues
    key = rule.key
    col = seen.get(key)
    if col is None:
        raise WorkbookError(
            f"工作簿 {path.name} 的「{title}」表第 1 行找不到「{key}」列；请不要改动或删除表头。"
        )
    for row, first_number in _repeats(table, (key,)):
        issues.append(
            Issue(
                title,
                row.number,
                col,
                key,
                f"的“{row.cell(key)}”与第 {first_number} 行重复",
                "每行应不同，请删除重复行或改名",
            )
        )
    key_rule = rule.columns.get(key)
    if not (key_rule and key_rule.required):  # required columns reported empties above
        for row in table:
            if row.raw(key) is None:
                issues.append(Issue(title, row.number, col, key, "不能为空", "请填写后重新生成"))
    table.index_by(key)
    return table, issues


def _store_table(
    cache: SheetCache,
    key: str,
    table: Table,
    book: xlsx.Book,
    sheet: xlsx.Sheet,
    rule: TableRule | None,
) -> None:
    """What the sheet cache keeps of a typed table: plain values only, rows in batches
    made when the cache is written; and the sheet's XML, for the next build to read only
    the rows that changed."""
    cache.put(key, _head(table, sheet), table.dump)
    cache.remember(book, sheet, rule, key)


def _read_again(
    path: Path, book: xlsx.Book, sheet: xlsx.Sheet, rule: TableRule | None, cache: SheetCache
) -> tuple[Table, list[Issue], list[str]] | None:
    """A changed sheet read against its last reading in the sheet cache: only the rows
    whose XML differs (officekit.sheetdiff) are parsed and typed, the others are taken as
    they were read then. The table (before the checks across rows), the problems and
    warnings of the rows read; None when the whole sheet must be read (no last reading,
    a changed header, a problem only a whole reading reports well)."""
    previous = cache.previous(book, sheet, rule)
    if previous is None:
        return None
    entry, old_xml, old_strings_xml = previous
    cached = _cached_table(sheet.title, entry)
    if cached is None:
        return None
    old, old_hidden = cached
    if old.shape is None or not old.shape.plain:
        return None  # a title, totals or notes: what is data depends on the whole sheet
    if any(a >= b for a, b in itertools.pairwise(old.numbers)):
        return None  # the last reading's rows were not in the order of their numbers
    try:
        xml = book.zip.read(sheet.part)
        old_strings = (
            book.strings_from(io.BytesIO(old_strings_xml)) if old_strings_xml is not None else []
        )
    except _UNREADABLE:  # the whole reading names the damage
        return None
    plan = sheetdiff.plan(old_xml, xml, old_strings, book.strings)
    if plan is None:
        return None
    warnings: list[str] = []
    try:
        part, found = _typed_rows(path, sheet, rule, warnings, _stream(book, sheet, plan.xml))
    except WorkbookError:
        return None
    if (
        part.columns != old.columns
        or not (part.shape and part.shape.plain)
        or _merged_issues(sheet, _data_columns(rule))
    ):
        return None
    table = Table(sheet.title, list(old.columns))
    table.positions = dict(part.positions)
    table.shape = part.shape
    # The rows kept and the rows read, in the order of their numbers (both rise)
    kept = [(n, i, old) for i, n in enumerate(old.numbers) if n not in plan.dropped]
    read = [(n, i, part) for i, n in enumerate(part.numbers)]
    for number, i, source in heapq.merge(kept, read, key=lambda row: row[0]):
        table.add_values(number, *source.values_at(i))
    sheet.hidden_rows |= {n for n in old_hidden if n not in plan.dropped}
    sheet.rows = []
    return table, found, warnings


def _head(table: Table, sheet: xlsx.Sheet) -> tuple:
    shape = table.shape or Shape()
    return (list(table.columns), dict(table.positions), sorted(sheet.hidden_rows), shape.dump())


# Below this much sheet XML for the helper to read, forking it costs more than it saves.
AHEAD_BYTES = 256 * 1024
# The caller's own work while the workbook is read (its templates, the last build's
# manifest, the checker's import: some 40 ms here), counted as the sheet XML this process
# would read in that time.
OWN_WORK_BYTES = 384 * 1024


def _ahead(
    book: xlsx.Book, cold: list[tuple[xlsx.Sheet, TableRule | None]], jobs: int, own_work: bool
):
    """A forked helper reading the last of the ``cold`` sheets (not in the cache) while
    this process reads the first ones and does its ``own_work``, the two shares as even
    as whole sheets allow; None when not worth it."""
    if jobs < 2 or not cold or not can_fork():
        return None
    sizes = [book.zip.getinfo(sheet.part).file_size for sheet, _ in cold]
    own = sum(sizes) + (OWN_WORK_BYTES if own_work else 0)  # this process's share
    share, count = 0, 0  # the helper's
    for size in reversed(sizes):
        if max(share + size, own - size) >= max(share, own):
            break
        share, own, count = share + size, own - size, count + 1
    if not count or share < AHEAD_BYTES:
        return None
    return Prefetch(
        [(sheet.title, partial(_read_alone, book, sheet, rule)) for sheet, rule in cold[-count:]]
    )


def _read_alone(book: xlsx.Book, sheet: xlsx.Sheet, rule: TableRule | None) -> Iterator[Any]:
    """In the helper: the sheet as the cache stores it (head, then row batches), when it
    reads without a problem or a warning; anything else raises, and the build process
    reads the sheet itself to report it."""
    # Its own handle on the file, closed once the sheet is read: a forked process shares
    # the parent's file offset.
    with zipfile.ZipFile(book.path) as own:
        book.zip = own
        warnings: list[str] = []
        table, found = _typed_rows(book.path, sheet, rule, warnings, _stream(book, sheet))
    if found or warnings or _merged_issues(sheet, _data_columns(rule)):
        raise ValueError("read by the build process, which reports it")
    yield _head(table, sheet)
    yield from table.dump()


def _received(pieces: list[Any] | None) -> tuple | None:
    """A sheet from the helper, in the shape the cache stores: (head, the table's
    pieces)."""
    if not pieces:
        return None
    return pieces[0], pieces[1:]


def stored_table(cache: SheetCache, name: str, key: str) -> Table | None:
    """The table sheet ``name`` had when the cache stored it under ``key`` (as read, before
    the checks across rows), or None when the cache no longer holds it."""
    stored = cache.get(key)
    cached = _cached_table(name, stored) if stored is not None else None
    return cached[0] if cached is not None else None


def _cached_table(name: str, stored: tuple) -> tuple[Table, set[int]] | None:
    """The table a cache entry or the helper holds, and the sheet's hidden rows; None
    when it is damaged (the sheet is then read here)."""
    try:
        (columns, positions, hidden, shape), pieces = stored
        table = Table.restore(name, list(columns), pieces)
        table.positions = dict(positions)
        table.shape = Shape.restore(shape)
        return table, set(hidden)
    except (ValueError, TypeError, IndexError, KeyError, StopIteration):
        return None


def _unique_issues(sheet: str, table: Table, rule: TableRule) -> list[Issue]:
    """Rows repeating another row's values in a ``unique`` column group."""
    issues = []
    for group in rule.unique:
        if not all(c in table.positions for c in group):
            continue
        for row, first in _repeats(table, group):
            shown = "、".join(f"{c}“{row.raw(c)}”" for c in group)
            issues.append(
                Issue(sheet, row.number, table.positions[group[0]], group[0],
                      f"起这一行（{shown}）与第 {first} 行重复", "请删除重复的一行")
            )  # fmt: skip
    return issues


def _percent_issues(sheet: str, table: Table, rule: TableRule) -> list[Issue]:
    """Numbers where the row says "%" but the cell is not a percentage (96.2 for 96.2%)."""
    if not rule.percent_when:
        return []
    column, value = rule.percent_when
    issues = []
    for row in table:
        if str(row.raw(column)) != value:
            continue
        for name in rule.percent_columns:
            cell = row.cell(name)
            if (
                cell is None
                or not isinstance(cell.raw, (int, float))
                or is_percent_format(cell.number_format)
            ):
                continue
            issues.append(
                Issue(sheet, row.number, table.positions[name], name,
                      f"的“{cell.text}”不是百分数（这一行的「{column}」是“{value}”）",
                      f"请填成 {cell.raw:g}% 这样带百分号的数")
            )  # fmt: skip
    return issues


def _repeats(table: Table, columns: tuple[str, ...]) -> list[tuple[Row, int]]:
    """Rows whose values in ``columns`` repeat an earlier row's, with that row's number.

    Rows with an empty cell among ``columns`` are left to the required-cell check.
    """
    if len(columns) == 1:  # a key: compared by its values, not by a tuple per row
        found = _repeated(enumerate(table.column(columns[0])))
    else:
        # Rows grouped by the first column, the rest compared within each group: no
        # tuple held per row (a hundred thousand assignments).
        rest = [table.column(c) for c in columns[1:]]
        found = []
        for key, positions in table.groups(columns[0]):
            if key is not None:
                found += _repeated((i, tuple(column[i] for column in rest)) for i in positions)
        found.sort()
    return [(table[i], table[j].number) for i, j in found]


def _repeated(keyed: Iterable[tuple[int, Any]]) -> list[tuple[int, int]]:
    """(position, position of the first row with the same key) for each row whose key
    was met before; a key that is or holds None is skipped."""
    first: dict[Any, int] = {}
    found = []
    for i, key in keyed:
        if key is None or (isinstance(key, tuple) and None in key):
            continue
        if key in first:
            found.append((i, first[key]))
        else:
            first[key] = i
    return found


def _check_references(tables: dict[str, Table], job: Job) -> list[Issue]:
    issues = []
    for name, rule in job.tables.items():
        table = tables.get(name)
        if table is None:  # skipped for merged cells: already reported
            continue
        for column, target in rule.references.items():
            if target not in tables:
                continue
            col = table.positions[column]
            known = set(tables[target].keys())
            for number, value in zip(table.numbers, table.column(column), strict=True):
                if value is not None and value not in known:
                    key = tables[target].key
                    issues.append(
                        Issue(
                            name,
                            number,
                            col,
                            column,
                            f"的“{value}”在「{target}」表的「{key}」列中找不到",
                            f"请先在「{target}」表中添加它，或从下拉列表中选择已有的名称",
                        )
                    )
    return issues


def _explain_formulas(path: Path, issues: list[Issue]) -> None:
    """An "empty" cell may be a formula whose result was never computed: a file written
    by a program and not yet opened and saved in Excel. Say so instead of "不能为空"."""
    empties = [i for i in issues if i.message == "不能为空"]
    if not empties:
        return
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path)  # formulas, not values
    except Exception:  # the values load worked; this is only a better message
        return
    for issue in empties:
        value = wb[issue.sheet].cell(row=issue.row, column=issue.column).value
        if isinstance(value, str) and value.startswith("="):
            issue.message = f"是公式（{value}），但文件里没有它的计算结果"
            issue.hint = "请在 Excel 中打开工作簿、保存后再生成"
    wb.close()


def load(
    job: Job,
    cache: SheetCache | None = None,
    jobs: int = 1,
    meanwhile: Callable[[bool], None] | None = None,
) -> Workbook:
    """Open the job's workbook, read every sheet into typed tables and check the rules.

    With a ``cache``, sheets unchanged since it was filled are not read again. With
    ``jobs`` > 1 a forked helper reads the last large sheets meanwhile (:func:`_ahead`).
    ``meanwhile``, the caller's work that does not need the workbook, is called once the
    helper has started (with True), or before the sheets are read when there is none
    (False); not at all when the workbook cannot be opened or lacks a sheet the job
    names."""
    # Loading makes hundreds of thousands of small objects that all live on (collecting
    # meanwhile was a third of the load time at ten thousand units).
    with paused():
        return _load(job, cache or SheetCache(None), jobs, meanwhile)


def _load(
    job: Job, cache: SheetCache, jobs: int, meanwhile: Callable[[bool], None] | None
) -> Workbook:
    path = job.workbook
    wb = _open(path)
    warnings: list[str] = []
    if path.suffix.lower() == ".xlsm":
        warnings.append(f"工作簿 {path.name} 是启用宏的 .xlsm：只读取单元格里的值，宏不会运行。")
    opened = files.open_warning(path, files.WORKBOOK)
    if opened:
        warnings.append(opened)
    issues: list[Issue] = []
    helper: Prefetch | None = None
    try:
        names = [sheet.title for sheet in wb.sheets]  # chart sheets hold no data
        variables: dict[str, Cell] = {}
        if job.variables_sheet:
            if job.variables_sheet not in names:
                raise WorkbookError(
                    f"工作簿 {path.name} 缺少「{job.variables_sheet}」表"
                    f"{_closest(job.variables_sheet, names, '表')}（现有：{'、'.join(names)}）；"
                    "请把工作表名称改回原来的名称。"
                )
            sheet = _sheet(wb, job.variables_sheet)
            try:
                variables, found = _read_variables(path, sheet, job.variable_rules, warnings)
            except WorkbookError:
                merged = _merged_issues(sheet, {KEY_HEADER, VALUE_HEADER})
                if merged:
                    raise _fail(path, merged) from None
                raise
            merged = _merged_issues(sheet, {KEY_HEADER, VALUE_HEADER})
            if merged:
                raise _fail(path, merged)
            issues += found
        for name in job.tables:
            if name not in names:
                raise WorkbookError(
                    f"工作簿 {path.name} 缺少「{name}」表{_closest(name, names, '表')}"
                    f"（现有：{'、'.join(names)}）；请把工作表名称改回原来的名称。"
                )
        declared = {*job.tables, job.variables_sheet}
        for sheet in wb.sheets:
            if sheet.state != "visible" and sheet.title in declared:
                warnings.append(
                    f"工作簿 {path.name} 的「{sheet.title}」表是隐藏的，仍按正常数据读取；"
                    "如果其中的数据已不需要，请删除它们。"
                )
        tables: dict[str, Table] = {}
        wanted = [
            (sheet, job.tables.get(sheet.title))
            for sheet in wb.sheets
            if sheet.title != job.variables_sheet
            and sheet.title not in job.ignore_sheets
            # a hidden helper sheet (drop-down lists and the like) is not data
            and (sheet.state == "visible" or sheet.title in declared)
        ]
        # Keys hash every sheet's XML: with nothing cached (a first build, --force) that
        # is done after the helper has started, not before.
        cold = (
            wanted
            if cache.empty()
            else [
                (s, r)
                for s, r in wanted
                # a changed sheet read against its last reading is left to this process
                if not cache.has(cache.key(wb, s, r)) and not cache.comparable(wb, s, r)
            ]
        )
        helper = _ahead(wb, cold, jobs, own_work=meanwhile is not None)
        if meanwhile is not None:
            meanwhile(helper is not None)
        keys: dict[str, str] = {}
        for sheet, rule in wanted:
            name = sheet.title
            key = keys[name] = cache.key(wb, sheet, rule)
            stored = cache.get(key)
            fresh = stored is None and helper is not None
            if fresh:
                stored = _received(helper.take(name))
            cached = _cached_table(name, stored) if stored is not None else None
            again = None
            if cached is None and key:
                again = _read_again(path, wb, sheet, rule, cache)
            if cached is not None:
                table, sheet.hidden_rows = cached
                if fresh and key:
                    _store_table(cache, key, table, wb, sheet, rule)
                elif key:  # the entry a later change of the sheet is compared with
                    cache.remember(wb, sheet, rule, key)
                # From the cache: a build published with it, so it passed these checks
                # (with this rule: it is part of the key); only the key index is made.
                table, found = _finish_table(path, name, rule, table, [], checked=not fresh)
            elif again is not None:  # its changed rows read, the others as they were
                table, found, noted = again
                warnings += noted
                if not found and not noted:
                    _store_table(cache, key, table, wb, sheet, rule)
                table, found = _finish_table(path, name, rule, table, found)
            else:
                # Rows are typed as they stream from the file, never all held raw. Merged
                # ranges follow the rows in the file: a sheet with merged data cells is
                # reported as such (and its table dropped), even when its header broke
                # first.
                rows = _stream(wb, sheet)
                before = len(warnings)
                try:
                    table, found = _typed_rows(path, sheet, rule, warnings, rows)
                except WorkbookError:
                    for _ in rows:
                        pass
                    merged = _merged_issues(sheet, _data_columns(rule))
                    if not merged:
                        raise
                    issues += merged
                    continue
                merged = _merged_issues(sheet, _data_columns(rule))
                sheet.rows = []
                if merged:
                    issues += merged
                    continue
                if key and not found and len(warnings) == before:
                    _store_table(cache, key, table, wb, sheet, rule)
                table, found = _finish_table(path, name, rule, table, found)
            tables[name] = table
            issues += found
            hidden = _hidden_rows(sheet, table)
            if hidden:
                shown = "、".join(str(r) for r in hidden[:5]) + ("等" if len(hidden) > 5 else "")
                warnings.append(
                    f"工作簿 {path.name} 的「{name}」表第 {shown} 行是隐藏的，仍按正常数据生成；"
                    "不需要的行请删除，不要只隐藏。"
                )
    finally:
        if helper is not None:
            helper.close()
        wb.close()
    for name in variables:
        if name in tables:
            raise WorkbookError(
                f"工作簿 {path.name} 的「{job.variables_sheet}」表中项目名“{name}”与工作表同名，"
                "模板无法区分；请改名其中之一。"
            )
    # References are checked even when other cells are wrong: the clerk sees every
    # problem in one run (a cell that failed its type is compared as typed).
    issues += _check_references(tables, job)
    if issues:
        _explain_formulas(path, issues)
        raise _fail(path, issues)
    relations = Relations(
        tables=tables,
        references=[
            Reference(source, column, target)
            for source, rule in job.tables.items()
            for column, target in rule.references.items()
        ],
    )
    for table in tables.values():
        table.relations = relations
    relations.index()
    warnings += group_warnings(tables, job, path)
    return Workbook(
        path=path,
        variables=variables,
        tables=tables,
        relations=relations,
        warnings=warnings,
        keys=keys,
    )


# ---- validation without building -------------------------------------------------------


@dataclass
class Validation:
    """Every problem of a workbook (``issues`` located to cells, or one ``error`` about its
    structure), its warnings, and what each problem cell holds now."""

    path: Path
    issues: list[Issue] = field(default_factory=list)
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    values: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, cell) → shown
    # How each table was read (header, title, data, totals, note rows), one line a sheet
    readings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues and not self.error


def validate(job: Job, path: Path | None = None) -> Validation:
    """Check ``path`` (default: the job's workbook) by the job's rules, as ``build`` does."""
    if path is not None:
        job = dataclasses.replace(job, workbook=Path(path))
    result = Validation(job.workbook)
    try:
        book = load(job)
    except WorkbookError as exc:
        issues = getattr(exc, "issues", None)
        if not issues:
            result.error = exc.message
            return result
        result.issues = list(issues)
        result.values = _shown_values(job.workbook, result.issues)
        return result
    result.warnings = book.warnings
    result.readings = [
        sheetshape.describe(name, table.shape or Shape(), table.numbers)
        for name, table in book.tables.items()
    ]
    result.readings += _excel_tables(job.workbook, list(book.tables))
    return result


def _excel_tables(path: Path, names: list[str]) -> list[str]:
    """A line for each range formatted as an Excel table in a sheet read as a table."""
    try:
        with xlsx.Book(path) as book:
            found = [(s.title, book.excel_tables(s)) for s in book.sheets if s.title in names]
    except _UNREADABLE:  # the load worked; this is only a report
        return []
    return [
        f"「{title}」表的 {ref} 套用了表格格式（Excel 表格「{name}」），按普通单元格读取。"
        for title, tables in found
        for name, ref in tables
    ]


def _shown_values(path: Path, issues: list[Issue]) -> dict[tuple[str, str], str]:
    """What each problem cell holds (formulas as written), for the clerk to recognise."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path)
    except Exception:  # the data load worked; this is only the "now" column
        return {}
    shown: dict[tuple[str, str], str] = {}
    for issue in issues:
        value = wb[issue.sheet][issue.cell].value
        shown[(issue.sheet, issue.cell)] = "" if value is None else str(value)
    wb.close()
    return shown


# ---- marking problems in a copy of the workbook -------------------------------------
# The clerk sees the bad cells in Excel itself: a copy of the workbook is written next to
# the outputs with each problem cell filled red and a comment saying what is wrong; the
# clerk's own workbook is never modified.

MARKED_COLOR = "FFFF9999"
MARKED_SUFFIX = "-问题标注.xlsx"


def marked_path(workbook: Path, folder: Path) -> Path:
    return folder / f"{workbook.stem}{MARKED_SUFFIX}"


def mark_issues(
    workbook: Path, issues: list[Issue], folder: Path, target: Path | None = None
) -> Path:
    """Write ``<workbook>-问题标注.xlsx`` into ``folder`` (or to ``target``); returns its path.

    Each problem cell is filled red and carries a comment saying what is wrong.
    """
    from openpyxl import load_workbook
    from openpyxl.cell.cell import MergedCell
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    fill = PatternFill(fill_type="solid", start_color=MARKED_COLOR, end_color=MARKED_COLOR)
    wb = load_workbook(workbook)
    for issue in issues:
        cell = wb[issue.sheet].cell(row=issue.row, column=issue.column)
        if isinstance(cell, MergedCell):  # only a range's first cell can carry a comment
            continue
        cell.fill = fill
        comment = Comment(f"{issue.header}{issue.message}，{issue.hint}。", "officekit")
        comment.width, comment.height = 300, 120
        cell.comment = comment
    first = issues[0]
    wb.active = wb.sheetnames.index(first.sheet)
    wb[first.sheet].sheet_view.selection[0].activeCell = first.cell
    wb[first.sheet].sheet_view.selection[0].sqref = first.cell
    target = target or marked_path(workbook, folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    wb.save(tmp)
    os.replace(tmp, target)
    return target
