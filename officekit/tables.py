"""Typed tables as templates see them.

A :class:`Table` is a list of :class:`Row` and, when its key column is unique, also a
mapping by that column (``统计数据["破获毒品刑事案件"].本年数``). A row's columns are
attributes (``行.单位名称``); declared references add related rows both ways
(``分工.工作任务`` → the task row, ``单位.任务分工`` → that unit's assignment rows).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, overload

from officekit.errors import TemplateError
from officekit.values import Cell, unwrap


def closest(name: str, candidates: list[str]) -> str:
    """“最接近的有：a、b” for a message, or an empty string."""
    matches = difflib.get_close_matches(name, candidates, n=3, cutoff=0.3)
    return f"最接近的有：{'、'.join(matches)}" if matches else ""


@dataclass(frozen=True)
class Reference:
    """Column ``column`` of table ``source`` holds keys of table ``target``."""

    source: str
    column: str
    target: str


@dataclass
class Relations:
    """Every table of a workbook and the references between them."""

    tables: dict[str, Table] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    # (source, target) → key → the source rows holding it (tuples: ten thousand units
    # make tens of thousands of these)
    _reverse: dict[tuple[str, str], dict[Any, tuple[Row, ...]]] = field(default_factory=dict)
    # table → how its rows reach their neighbours: (forward, column position, lookup)
    _plans: dict[str, list[tuple[bool, int | None, Any]]] = field(default_factory=dict)

    def index(self) -> None:
        """Build reverse lookups once, so ``单位.任务分工`` is a dict hit, not a scan."""
        self._reverse.clear()
        self._plans.clear()
        lists: dict[tuple[str, str], dict[Any, list[Row]]] = {}
        for ref in self.references:  # two columns may refer to the same table: both count
            found = lists.setdefault((ref.source, ref.target), {})
            source = self.tables[ref.source]
            for row, value in zip(source.rows, source.column(ref.column), strict=True):
                found.setdefault(value, []).append(row)
        for pair, found in lists.items():
            self._reverse[pair] = {k: tuple(v) for k, v in found.items()}

    def related(self, row: Row, name: str) -> Any:
        """Rows related to ``row`` through a reference named by table ``name``."""
        table = row.table
        for ref in self.references:
            if ref.source == table.name and ref.target == name:
                return self.tables[name].get(row.raw(ref.column))
            if ref.target == table.name and ref.source == name:
                key = row.raw(table.key) if table.key else None
                return list(self._reverse.get((name, table.name), {}).get(key, ()))
        raise KeyError(name)

    def _plan(self, table: Table) -> list[tuple[bool, int | None, Any]]:
        plan: list[tuple[bool, int | None, Any]] = []
        for ref in self.references:
            if ref.source == table.name:
                plan.append((True, table._index.get(ref.column), self.tables[ref.target]))
            if ref.target == table.name:
                back = self._reverse.get((ref.source, table.name), {})
                plan.append((False, table._index.get(table.key) if table.key else None, back))
        self._plans[table.name] = plan
        return plan

    def neighbours(self, row: Row) -> list[Row]:
        """Every row one reference away from ``row``, either way, in sheet order: what
        ``related`` gives for each of ``relation_names``, in one pass (digests walk a
        hundred thousand rows this way)."""
        table = row.table
        plan = self._plans.get(table.name) or self._plan(table)
        values = row._values
        found: list[Row] = []
        for forward, i, lookup in plan:
            value = values[i] if i is not None and i < len(values) else None
            if value is _MISSING:
                value = None
            if forward:
                other = lookup._by_key.get(value)
                if other is not None:
                    found.append(other)
            else:
                found += lookup.get(value, ())
        return found

    def relation_names(self, table: str) -> list[str]:
        names = [r.target for r in self.references if r.source == table]
        return names + [r.source for r in self.references if r.target == table]


class _Missing:
    """A column the row was made without (its repr is the same in every process: a
    row's text is part of digests compared across builds)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


class Row:
    """One worksheet row: columns by name, plus related rows.

    A row keeps its raw values and number formats in two tuples (the formats tuple shared
    by every row formatted alike) and makes :class:`Cell` objects when they are asked for:
    a workbook of ten thousand units has hundreds of thousands of cells, and a letter
    reads a few dozen of them.
    """

    __slots__ = ("table", "number", "_values", "_formats")

    def __init__(self, table: Table, number: int, cells: dict[str, Cell]) -> None:
        self.table = table
        self.number = number  # the Excel row number, for messages
        slots = table._slots(cells)
        values: list[Any] = [_MISSING] * len(slots)
        formats: list[str] = ["General"] * len(slots)
        for name, cell in cells.items():
            i = slots[name]
            values[i] = cell.raw
            formats[i] = cell.number_format
        self._values = tuple(values)
        self._formats = table._shared(tuple(formats))

    def cell(self, name: str) -> Cell | None:
        """The cell in column ``name``, or None when the row has no such column."""
        i = self.table._index.get(name)
        if i is None or i >= len(self._values):
            return None
        raw = self._values[i]
        if raw is _MISSING:
            return None
        column = self.table.positions.get(name)
        place = (self.table.name, column, self.number) if column else ""
        return Cell(raw, self._formats[i], place)

    def raw(self, name: str) -> Any:
        """The raw value in column ``name`` (None when empty or absent), without a Cell."""
        i = self.table._index.get(name)
        if i is None or i >= len(self._values):
            return None
        raw = self._values[i]
        return None if raw is _MISSING else raw

    @property
    def cells(self) -> dict[str, Cell]:
        """Every column of the row as a Cell (a new dict each time)."""
        found = {}
        for name in self.table._index:
            cell = self.cell(name)
            if cell is not None:
                found[name] = cell
        return found

    def items(self) -> Iterator[tuple[str, Any, str]]:
        """(column, raw value, number format) for every column, without making Cells."""
        for name, i in self.table._index.items():
            if i < len(self._values) and self._values[i] is not _MISSING:
                yield name, self._values[i], self._formats[i]

    def text(self) -> str:
        """The row's number, values and formats as one string, for digests."""
        return repr((self.number, self._values, self._formats))

    @property
    def key(self) -> Cell | None:
        return self.cell(self.table.key) if self.table.key else None

    def __getitem__(self, name: str) -> Any:
        cell = self.cell(name)
        if cell is not None:
            return cell
        relations = self.table.relations
        if relations is not None:
            try:
                return relations.related(self, name)
            except KeyError:
                pass
        raise KeyError(name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __contains__(self, name: str) -> bool:
        i = self.table._index.get(name)
        return i is not None and i < len(self._values) and self._values[i] is not _MISSING

    def keys(self) -> list[str]:
        return [name for name, _, _ in self.items()]

    def names(self) -> list[str]:
        """Columns and relation names usable on this row (for messages)."""
        relations = self.table.relations
        extra = relations.relation_names(self.table.name) if relations else []
        return self.keys() + extra

    def __repr__(self) -> str:
        return f"Row({self.table.name}!{self.number})"

    def __str__(self) -> str:
        return str(self.key) if self.key is not None else repr(self)


class Table:
    """Rows of one sheet; a mapping by its key column when that column is unique."""

    def __init__(self, name: str, columns: list[str], key: str | None = None) -> None:
        self.name = name
        self.columns = columns
        self.key = key
        self.rows: list[Row] = []
        self.relations: Relations | None = None
        self.positions: dict[str, int] = {}  # column name → Excel column number
        self._by_key: dict[Any, Row] = {}
        self._index: dict[str, int] = {name: i for i, name in enumerate(columns)}
        self._formats: dict[tuple[str, ...], tuple[str, ...]] = {}

    def _slots(self, cells: dict[str, Cell]) -> dict[str, int]:
        """Column → position in a row's tuples, growing for columns not seen before."""
        for name in cells:
            if name not in self._index:
                self._index[name] = len(self._index)
        return self._index

    def _shared(self, formats: tuple[str, ...]) -> tuple[str, ...]:
        return self._formats.setdefault(formats, formats)

    def add(self, number: int, cells: dict[str, Cell]) -> Row:
        row = Row(self, number, cells)
        self.rows.append(row)
        return row

    def add_values(self, number: int, values: list[Any], formats: list[str]) -> Row:
        """A row from values and formats in the order of ``columns`` (the workbook
        reader's way: no Cell objects in between)."""
        row = Row.__new__(Row)
        row.table, row.number = self, number
        row._values = tuple(values)
        row._formats = self._shared(tuple(formats))
        self.rows.append(row)
        return row

    def index_by(self, column: str) -> None:
        """Make ``column`` the key; the caller has checked it is unique."""
        self.key = column
        self._by_key = dict(zip(self.column(column), self.rows, strict=True))

    def column(self, name: str) -> list[Any]:
        """The raw values of column ``name``, row by row (None when empty or absent): the
        checks of a whole table read columns, not rows."""
        i = self._index.get(name)
        if i is None:
            return [None] * len(self.rows)
        try:
            values = [row._values[i] for row in self.rows]
        except IndexError:  # a row made before the column was seen
            return [row.raw(name) for row in self.rows]
        if _MISSING in values:
            return [None if v is _MISSING else v for v in values]
        return values

    def get(self, key: Any) -> Row | None:
        return self._by_key.get(unwrap(key))

    def keys(self) -> list[Any]:
        return list(self._by_key)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    @overload
    def __getitem__(self, item: int) -> Row: ...
    @overload
    def __getitem__(self, item: slice) -> list[Row]: ...
    @overload
    def __getitem__(self, item: str) -> Row: ...

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, (int, slice)):
            return self.rows[item]
        item = unwrap(item)
        if self.key is None:
            raise TemplateError(
                f"「{self.name}」表的第一列有重复值，不能按“{item}”查找行；"
                f"请用 {{% for 行 in {self.name} %}} 逐行使用，或让第一列不重复。"
            )
        if item in self._by_key:
            return self._by_key[item]
        hint = closest(str(item), [str(k) for k in self._by_key])
        raise TemplateError(
            f"模板要用「{self.name}」表中“{item}”这一行，但该表「{self.key}」列没有它"
            f"{'（' + hint + '）' if hint else ''}；请在工作簿中补上这一行，或改正模板中的名称。"
        )

    def __getattr__(self, name: str) -> Any:
        # ``统计数据.破获毒品刑事案件`` finds a row; anything else is an AttributeError so
        # code that probes attributes is not surprised (Jinja then tries ``[name]``, whose
        # error names the table and the closest keys).
        if not name.startswith("_") and name in self.__dict__.get("_by_key", {}):
            return self._by_key[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"Table({self.name}, {len(self.rows)} rows)"
