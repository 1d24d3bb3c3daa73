"""Typed tables as templates see them.

A :class:`Table` is a list of :class:`Row` and, when its key column is unique, also a
mapping by that column (``统计数据["破获毒品刑事案件"].本年数``). A row's columns are
attributes (``行.单位名称``); declared references add related rows both ways
(``分工.工作任务`` → the task row, ``单位.任务分工`` → that unit's assignment rows).

A table keeps its values by column (one list per column, the Excel row numbers in an
array) and a :class:`Row` is a small view made when a row is asked for: ten thousand
units are a hundred thousand rows, and an object and a tuple per row were most of a
large build's memory.
"""

from __future__ import annotations

import difflib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, overload

from officekit.errors import TemplateError
from officekit.sheetshape import Shape
from officekit.values import Cell, unwrap


def closest(name: str, candidates: list[str]) -> str:
    """“最接近的有：a、b” for a message, or an empty string."""
    matches = difflib.get_close_matches(name, candidates, n=3, cutoff=0.3)
    return f"最接近的有：{'、'.join(matches)}" if matches else ""


class Reference(NamedTuple):
    """Column ``column`` of table ``source`` holds keys of table ``target``."""

    source: str
    column: str
    target: str


# The rows of one table holding each key of another: key → start << _BITS | count into
# one array of row positions (a dict of arrays took 64 bytes a key more, ten thousand
# units have tens of thousands of keys)
_BITS = 24
_Back = tuple[dict[Any, int], array]
# How a table's rows reach their neighbours: (forward, column position, other table,
# and for a reference back, the other table's rows by this row's key)
_Step = tuple[bool, "int | None", "Table", "_Back | None"]


def _positions(back: _Back, key: Any) -> array | tuple[()]:
    packed = back[0].get(key)
    if packed is None:
        return ()
    start = packed >> _BITS
    return back[1][start : start + (packed & ((1 << _BITS) - 1))]


@dataclass
class Relations:
    """Every table of a workbook and the references between them."""

    tables: dict[str, Table] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    # (source, target) → key → positions of the source rows holding it (arrays: ten
    # thousand units make tens of thousands of these)
    _reverse: dict[tuple[str, str], _Back] = field(default_factory=dict)
    _plans: dict[str, list[_Step]] = field(default_factory=dict)

    def index(self) -> None:
        """Build reverse lookups once, so ``单位.任务分工`` is a dict hit, not a scan; and
        make each text in a reference column the very string of the key it names (each
        sheet is read on its own: ten thousand units' names would otherwise be held once
        per sheet naming them)."""
        self._share_keys()
        self._reverse.clear()
        self._plans.clear()
        columns: dict[tuple[str, str], list[str]] = {}
        for ref in self.references:  # two columns may refer to the same table: both count
            columns.setdefault((ref.source, ref.target), []).append(ref.column)
        for (source, target), names in columns.items():
            self._reverse[(source, target)] = _group(self.tables[source], names)

    def _share_keys(self) -> None:
        for ref in self.references:
            target, source = self.tables[ref.target], self.tables[ref.source]
            i = source._index.get(ref.column)
            if target.key is None or i is None:
                continue
            # Each key text by itself (only texts: 1 and 1.0 are equal, not alike)
            own = {k: k for k in target._data[target._index[target.key]] if k.__class__ is str}
            column = source._data[i]
            column[:] = [own.get(v, v) if v.__class__ is str else v for v in column]

    def related(self, row: Row, name: str) -> Any:
        """Rows related to ``row`` through a reference named by table ``name``."""
        table = row.table
        for ref in self.references:
            if ref.source == table.name and ref.target == name:
                return self.tables[name].get(row.raw(ref.column))
            if ref.target == table.name and ref.source == name:
                key = row.raw(table.key) if table.key else None
                source = self.tables[name]
                back = self._reverse.get((name, table.name))
                return [Row(source, i) for i in _positions(back, key)] if back else []
        raise KeyError(name)

    def _plan(self, table: Table) -> list[_Step]:
        plan: list[_Step] = []
        for ref in self.references:
            if ref.source == table.name:
                plan.append((True, table._index.get(ref.column), self.tables[ref.target], None))
            if ref.target == table.name:
                back = self._reverse.get((ref.source, table.name), ({}, array("l")))
                key = table._index.get(table.key) if table.key else None
                plan.append((False, key, self.tables[ref.source], back))
        self._plans[table.name] = plan
        return plan

    def linked(self, table: Table, position: int) -> list[tuple[Table, Sequence[int]]]:
        """Every row one reference away from row ``position`` of ``table``, either way, in
        sheet order, as (table, row positions): what ``related`` gives for each of
        ``relation_names``, in one pass and without a view per row (digests walk a
        hundred thousand rows this way)."""
        plan = self._plans.get(table.name) or self._plan(table)
        found: list[tuple[Table, Sequence[int]]] = []
        for forward, i, other, back in plan:
            value = table._data[i][position] if i is not None else None
            if value is _MISSING:
                value = None
            if forward:
                j = other._by_key.get(value)
                if j is not None:
                    found.append((other, (j,)))
            else:
                found.append((other, _positions(back, value)))
        return found

    def relation_names(self, table: str) -> list[str]:
        names = [r.target for r in self.references if r.source == table]
        return names + [r.source for r in self.references if r.target == table]


def _group(table: Table, names: list[str]) -> _Back:
    """The table's row positions grouped by their value in the columns ``names`` (a row
    once under each value it holds), in sheet order. Counted first, then placed: no list
    or int object per row (ten thousand units are a hundred thousand rows)."""
    columns = [table.column(name) for name in names]
    if len(columns) == 1:
        keys: list[Any] = columns[0]
        counts = Counter(keys)
    else:  # two columns referring to the same table; a key held in both counts once
        per_row = [tuple(dict.fromkeys(values)) for values in zip(*columns, strict=True)]
        counts = Counter(key for row_keys in per_row for key in row_keys)
    cursor: dict[Any, int] = {}
    spans: dict[Any, int] = {}
    start = 0
    for key, count in counts.items():
        cursor[key] = start
        spans[key] = start << _BITS | count
        start += count
    order = array("l", [0]) * start
    if len(columns) == 1:
        for i, key in enumerate(keys):
            order[cursor[key]] = i
            cursor[key] += 1
    else:
        for i, row_keys in enumerate(per_row):
            for key in row_keys:
                order[cursor[key]] = i
                cursor[key] += 1
    return spans, order


class _Missing:
    """A column the row was made without (its repr is the same in every process: a
    row's text is part of digests compared across builds)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"

    def __reduce__(self) -> str:
        return "_MISSING"  # unpickled as the one marker (a copy would not be "is" it)


_MISSING = _Missing()


class Row:
    """One worksheet row, a view into its table: columns by name, plus related rows.

    :class:`Cell` objects are made when they are asked for: a workbook of ten thousand
    units has hundreds of thousands of cells, and a letter reads a few dozen of them.
    Two views of the same row are equal (and hash alike).
    """

    __slots__ = ("table", "_i")

    def __init__(self, table: Table, position: int) -> None:
        self.table = table
        self._i = position  # its position in the table

    @property
    def position(self) -> int:
        """Where the row is in its table (0 for the first row)."""
        return self._i

    @property
    def number(self) -> int:
        """The Excel row number, for messages."""
        return self.table._numbers[self._i]

    def cell(self, name: str) -> Cell | None:
        """The cell in column ``name``, or None when the row has no such column."""
        table = self.table
        i = table._index.get(name)
        if i is None:
            return None
        return table._cell(self._i, i, table.positions.get(name))

    def raw(self, name: str) -> Any:
        """The raw value in column ``name`` (None when empty or absent), without a Cell."""
        i = self.table._index.get(name)
        if i is None:
            return None
        raw = self.table._data[i][self._i]
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
        table, r = self.table, self._i
        for name, i in table._index.items():
            value = table._data[i][r]
            if value is not _MISSING:
                yield name, value, table._format(r, i)

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
        unit = self.table.unit() if name == UNIT_COLUMN else None
        if unit is not None:
            return Cell(unit, "General", "")
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
        return i is not None and self.table._data[i][self._i] is not _MISSING

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Row) and other.table is self.table and other._i == self._i

    def __hash__(self) -> int:
        return hash((id(self.table), self._i))

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


# Names a template reads on a table for what its sheet holds around the rows:
# ``{{ 统计数据.标题 }}``, ``{{ 统计数据.合计.本年数 }}``; a row keyed so is found first.
SHEET_PARTS = ("标题", "表头说明", "表尾说明", "合计", "列单位")
UNIT_COLUMN = "计量单位"

# Values per piece of a dumped column (see Table.dump)
DUMP_ROWS = 4096


class Table:
    """Rows of one sheet; a mapping by its key column when that column is unique."""

    def __init__(self, name: str, columns: list[str], key: str | None = None) -> None:
        self.name = name
        self.columns = columns
        self.key = key
        self.relations: Relations | None = None
        self.positions: dict[str, int] = {}  # column name → Excel column number
        self._by_key: dict[Any, int] = {}  # key → row position
        self._index: dict[str, int] = {name: i for i, name in enumerate(columns)}
        self._data: list[list[Any]] = [[] for _ in columns]  # one list per column
        self._numbers = array("l")  # Excel row numbers
        self._row_formats: list[tuple[str, ...]] = []  # per row, shared by rows alike
        self._formats: dict[tuple[str, ...], tuple[str, ...]] = {}
        # How the sheet was laid out around the rows (title, totals, notes, units)
        self.shape: Shape | None = None

    def row_text(self, position: int) -> str:
        """Row ``position``'s number, values and formats as one string, for digests."""
        values = tuple([column[position] for column in self._data])
        return repr((self._numbers[position], values, self._row_formats[position]))

    def _format(self, row: int, column: int) -> str:
        formats = self._row_formats[row]
        return formats[column] if column < len(formats) else "General"

    def _shared(self, formats: tuple[str, ...]) -> tuple[str, ...]:
        return self._formats.setdefault(formats, formats)

    def add(self, number: int, cells: dict[str, Cell]) -> Row:
        """A row from cells by column name; a column not seen before is added (the
        earlier rows do not have it)."""
        for name in cells:
            if name not in self._index:
                self._index[name] = len(self._index)
                self._data.append([_MISSING] * len(self))
        values: list[Any] = [_MISSING] * len(self._index)
        formats = ["General"] * len(self._index)
        for name, cell in cells.items():
            values[self._index[name]] = cell.raw
            formats[self._index[name]] = cell.number_format
        return self.add_values(number, values, formats)

    def add_values(self, number: int, values: list[Any], formats: Sequence[str]) -> Row:
        """A row from values and formats in the order of ``columns`` (the workbook
        reader's way: no Cell objects in between)."""
        if len(values) != len(self._data):
            raise ValueError(f"{self.name}: {len(values)} values for {len(self._data)} columns")
        for column, value in zip(self._data, values, strict=True):
            column.append(value)
        self._numbers.append(number)
        self._row_formats.append(self._shared(tuple(formats)))
        return Row(self, len(self._numbers) - 1)

    def values_at(self, position: int) -> tuple[list[Any], tuple[str, ...]]:
        """Row ``position``'s values and number formats, as :meth:`add_values` takes them."""
        return [column[position] for column in self._data], self._row_formats[position]

    def dump(self) -> Iterator[Any]:
        """The rows as plain pieces (bytes, lists, tuples, values) for a cache or another
        process: the row numbers, the number formats (each distinct tuple once), then
        one list per column. :meth:`restore` takes them back without copying a row."""
        yield self._numbers.tobytes()
        distinct: dict[tuple[str, ...], int] = {}
        chosen = array("l", [distinct.setdefault(f, len(distinct)) for f in self._row_formats])
        yield list(distinct), chosen.tobytes()
        # Each column in pieces of DUMP_ROWS values: a pickler's memo (a text met on many
        # rows is written once) then holds a few thousand entries, not a hundred thousand.
        for i, column in enumerate(self._data):
            for start in range(0, len(column), DUMP_ROWS):
                yield i, column[start : start + DUMP_ROWS]

    @classmethod
    def restore(cls, name: str, columns: list[str], pieces: Iterable[Any]) -> Table:
        """A table (no key yet) from what :meth:`dump` gave, on this machine."""
        table = cls(name, columns)
        pieces = iter(pieces)
        table._numbers.frombytes(next(pieces))
        distinct, chosen = next(pieces)
        formats = [table._shared(tuple(f)) for f in distinct]
        table._row_formats = [formats[i] for i in array("l", chosen)]
        for i, values in pieces:
            if not 0 <= i < len(table._data):
                raise ValueError(f"{name}: stored columns do not match")
            table._data[i].extend(values)
        if any(len(column) != len(table._numbers) for column in table._data):
            raise ValueError(f"{name}: stored columns do not match")
        return table

    @property
    def numbers(self) -> array:
        """The Excel row numbers, row by row (read only)."""
        return self._numbers

    @property
    def rows(self) -> list[Row]:
        return [Row(self, i) for i in range(len(self._numbers))]

    def index_by(self, column: str) -> None:
        """Make ``column`` the key; the caller has checked it is unique."""
        self.key = column
        self._by_key = {value: i for i, value in enumerate(self.column(column))}

    def cells(self, name: str) -> list[Cell | None] | None:
        """``row.cell(name)`` of every row, made without a Row each (a build's file names
        read a column of ten thousand); None when the table has no such column."""
        i = self._index.get(name)
        if i is None:
            return None
        column = self.positions.get(name)
        return [self._cell(n, i, column) for n in range(len(self))]

    def _cell(self, n: int, i: int, column: int | None) -> Cell | None:
        """Row ``n``'s cell in the column stored at ``i`` (Excel column ``column``, for
        messages), or None when empty."""
        raw = self._data[i][n]
        if raw is _MISSING:
            return None
        place = (self.name, column, self._numbers[n]) if column else ""
        return Cell(raw, self._format(n, i), place)

    def column(self, name: str) -> list[Any]:
        """The raw values of column ``name``, row by row (None when empty or absent): the
        checks of a whole table read columns, not rows. Read only: it may be the table's
        own list."""
        i = self._index.get(name)
        if i is None:
            return [None] * len(self)
        values = self._data[i]
        if _MISSING in values:
            return [None if v is _MISSING else v for v in values]
        return values

    def groups(self, name: str) -> Iterator[tuple[Any, Sequence[int]]]:
        """(value, positions of the rows holding it) for each value of column ``name``,
        the positions in sheet order."""
        spans, order = _group(self, [name])
        mask = (1 << _BITS) - 1
        for key, packed in spans.items():
            start = packed >> _BITS
            yield key, order[start : start + (packed & mask)]

    def get(self, key: Any) -> Row | None:
        i = self._by_key.get(unwrap(key))
        return None if i is None else Row(self, i)

    def keys(self) -> list[Any]:
        return list(self._by_key)

    def __len__(self) -> int:
        return len(self._numbers)

    def __iter__(self) -> Iterator[Row]:
        return (Row(self, i) for i in range(len(self._numbers)))

    def __bool__(self) -> bool:
        return len(self._numbers) > 0

    @overload
    def __getitem__(self, item: int) -> Row: ...
    @overload
    def __getitem__(self, item: slice) -> list[Row]: ...
    @overload
    def __getitem__(self, item: str) -> Row: ...

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, slice):
            return [Row(self, i) for i in range(*item.indices(len(self)))]
        if isinstance(item, int):
            position = item + len(self) if item < 0 else item
            if not 0 <= position < len(self):
                raise IndexError(item)
            return Row(self, position)
        item = unwrap(item)
        if self.key is None:
            raise TemplateError(
                f"「{self.name}」表的第一列有重复值，不能按“{item}”查找行；"
                f"请用 {{% for 行 in {self.name} %}} 逐行使用，或让第一列不重复。"
            )
        if item in self._by_key:
            return Row(self, self._by_key[item])
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
            return Row(self, self._by_key[name])
        if name in SHEET_PARTS and self.__dict__.get("shape") is not None:
            return self.sheet_part(name)
        raise AttributeError(name)

    def unit(self) -> str | None:
        """The one unit the sheet's headers give (缴获毒品（克）), when they give one and the
        sheet has no 计量单位 column: what ``行.计量单位`` reads then."""
        if UNIT_COLUMN in self._index or self.shape is None:
            return None
        units = set(self.shape.units.values())
        return units.pop() if len(units) == 1 else None

    def sheet_part(self, name: str) -> Any:
        """What the sheet holds around its rows, by the name templates use (SHEET_PARTS)."""
        shape = self.shape or Shape()
        if name == "标题":
            return shape.title[0][1] if shape.title else ""
        if name == "表头说明":
            return "\n".join(text for _, text in shape.title)
        if name == "表尾说明":
            return "\n".join(text for _, text in shape.notes)
        if name == "列单位":
            return dict(shape.units)
        total = shape.grand_total()
        if total is None:
            raise TemplateError(
                f"模板要用「{self.name}」表的合计行，但该表没有合计行；请在工作簿中数据下方"
                "加一行“合计”，或改正模板。"
            )
        cached = self.__dict__.get("_total")
        if cached is None or cached.number != total.row:
            holder = Table(self.name, list(self._index))
            holder.positions = self.positions
            values = [total.cells.get(n, (None, "General")) for n in self._index]
            cached = self._total = holder.add_values(
                total.row, [v for v, _ in values], [f or "General" for _, f in values]
            )
        return cached

    def __repr__(self) -> str:
        return f"Table({self.name}, {len(self)} rows)"
