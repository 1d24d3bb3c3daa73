"""What a Word mail-merge field may name, and the engine expression each name becomes.

A field «单位名称» names a column of the document's row or a 基本信息 item, matched
exactly, then ignoring spaces (and Word's underscores for them), full-width forms and
case. A table row (or a paragraph) whose fields name columns of a table related to the
row (单位 → 考核指标), or of any table, is repeated for each of that table's rows, as
docx-mailmerge's ``merge_rows`` and Word's directory merge do. Only names are used here,
never values: the result is part of the compiled template, made once per build and kept
by :mod:`officekit.templatecache`.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Names of the row position a repeated row prints (docx-mailmerge's 序号, Word's MERGESEQ)
# when the repeated table has no such column.
POSITION_NAMES = ("序号",)
LOOP = "合并行"
_JINJA_WORDS = {"true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is"}


@dataclass(frozen=True)
class Names:
    """The names a workbook gives one document (see the module docstring)."""

    items: tuple[str, ...] = ()  # the 基本信息 items
    items_sheet: str = "基本信息"
    row: str | None = None  # the per-row document's name for its row (toml ``as``)
    table: str | None = None  # the table it is made from (toml ``each``)
    columns: tuple[str, ...] = ()  # that table's columns
    single: tuple[tuple[str, tuple[str, ...]], ...] = ()  # tables one row refers to
    many: tuple[tuple[str, tuple[str, ...]], ...] = ()  # tables whose rows refer to it
    tables: tuple[tuple[str, tuple[str, ...]], ...] = ()  # every table and its columns


def names_for(each: str | None, as_name: str | None, book: object, items_sheet: str) -> Names:
    """The :class:`Names` of a document made from ``book`` (a :class:`Workbook`)."""
    tables = {name: tuple(t.columns) for name, t in book.tables.items()}  # type: ignore[attr-defined]
    items = tuple(book.variables)  # type: ignore[attr-defined]
    if each is None or each not in tables:
        return Names(items, items_sheet, tables=tuple(tables.items()))
    relations = getattr(book, "relations", None)
    references = relations.references if relations is not None else []
    single = [(r.target, tables[r.target]) for r in references if r.source == each]
    many = [(r.source, tables[r.source]) for r in references if r.target == each]
    return Names(
        items,
        items_sheet,
        as_name or "行",
        each,
        tables[each],
        tuple(dict(single).items()),
        tuple(dict(many).items()),
        tuple(tables.items()),
    )


def normal(name: str) -> str:
    """``name`` as compared the second time: full-width forms folded, no spaces or
    underscores (Word writes a header's spaces as underscores), case ignored."""
    folded = unicodedata.normalize("NFKC", name)
    return re.sub(r"[\s_]+", "", folded).casefold()


def find(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``name`` means: the same, else the same once :func:`normal`."""
    candidates = list(candidates)
    if name in candidates:
        return name
    wanted = normal(name)
    return next((c for c in candidates if normal(c) == wanted), None)


def literal(text: str) -> str:
    """A Jinja string literal of ``text`` holding no character that XML escapes, that
    office suites turn into curly quotes, or that could close a tag."""
    safe = "".join(f"\\x{ord(c):02x}" if c in "\"'\\{}%#<>&" or ord(c) < 32 else c for c in text)
    return f'"{safe}"'


def is_name(name: str) -> bool:
    """Whether Jinja reads ``name`` as a variable."""
    return name.isidentifier() and not keyword.iskeyword(name) and name not in _JINJA_WORDS


def _subscript(owner: str, name: str) -> str:
    return f"{owner}[{literal(name)}]"


def document_expression(name: str, names: Names | None) -> str | None:
    """The expression for field ``name`` outside a repeated row, or None when the
    workbook has no such name. Without ``names`` (a template compiled before its
    workbook is read) the name is taken as written."""
    if names is None:
        return name if is_name(name) else f"{literal(name)}|合并域取值"
    if names.row is not None and (found := find(name, names.columns)):
        return found if is_name(found) else _subscript(names.row, found)
    if found := find(name, names.items):
        return found
    if names.row is not None:
        for table, columns in names.single:
            if found := find(name, columns):
                return _subscript(_subscript(names.row, table), found)
        if find(name, ["编号"]):
            return "编号"
    return None


def repeat_source(
    wanted: list[str], names: Names | None
) -> tuple[str, tuple[str, ...], str] | None:
    """What a container whose fields ``wanted`` the document lacks repeats over: (the
    expression of its rows, their columns, the table's name), or None."""
    if names is None or not wanted:
        return None
    candidates: list[tuple[str, tuple[str, ...], str]] = []
    if names.row is not None:
        candidates += [(_subscript(names.row, t), cols, t) for t, cols in names.many]
    candidates += [
        (t if is_name(t) else "", cols, t) for t, cols in names.tables if t != names.table
    ]
    best, best_count = None, 0
    for source in candidates:
        if not source[0]:
            continue
        count = sum(1 for n in wanted if find(n, source[1]) or n in POSITION_NAMES)
        if count > best_count and any(find(n, source[1]) for n in wanted):
            best, best_count = source, count
        if count == len(wanted):
            break
    return best


def row_expression(name: str, columns: tuple[str, ...], loop: str = LOOP) -> str | None:
    """The expression for field ``name`` inside a row repeated over rows of ``columns``."""
    if found := find(name, columns):
        return _subscript(loop, found)
    if name in POSITION_NAMES:
        return "loop.index"
    return None


def all_names(names: Names) -> list[str]:
    """Every name a field could have meant (for “最接近的有”)."""
    found = list(names.columns) + list(names.items)
    for _, columns in names.single + names.many:
        found += columns
    return sorted(set(found))


def describe(name: str, names: Names) -> str | None:
    """Where field ``name`` takes its value from, for ``officekit fields``; None when the
    workbook has no such name."""
    if names.row is not None and (found := find(name, names.columns)):
        return f"合并域：「{names.table}」表当前行的「{found}」列"
    if found := find(name, names.items):
        return f"合并域：「{names.items_sheet}」表的项目「{found}」"
    for table, columns in names.single:
        if found := find(name, columns):
            return f"合并域：当前行对应的「{table}」表的「{found}」列"
    for table, columns in names.many + names.tables:
        if (found := find(name, columns)) and table != names.table:
            return f"合并域：「{table}」表的「{found}」列（所在行按该表逐行重复）"
    if name in POSITION_NAMES:
        return "合并域：重复的表格行的序号（1、2、3…）"
    return None
