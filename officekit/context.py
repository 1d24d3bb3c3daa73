"""Tables + job → one variables dict per document (pure: no files are read here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from officekit.job import DocumentSpec
from officekit.tables import Row, Table
from officekit.workbook import Workbook


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """One document: the row it is made for (None for a single document) and its place.

    ``variables`` are built when asked for, not kept: ten thousand letters would otherwise
    hold ten thousand copies of the workbook's top-level names.
    """

    base: dict[str, Any] = field(repr=False)
    table: Table | None  # the table whose row ``index`` this is (None: a single document)
    index: int  # 1-based position among the documents of its spec
    count: int = 1
    as_name: str = "行"

    @property
    def row(self) -> Row | None:
        """The document's row (a view made when asked for: ten thousand letters)."""
        return None if self.table is None else self.table[self.index - 1]

    @property
    def variables(self) -> dict[str, Any]:
        row = self.row
        if row is None:
            return self.base
        variables = dict(self.base)
        variables.update(row.cells)
        variables[self.as_name] = row
        variables["编号"] = serial(self.index, self.count)
        return variables

    def __getitem__(self, name: str) -> Any:
        """``variables[name]`` without building them all (a letter's file name needs two)."""
        row = self.row
        if row is None:
            return self.base[name]
        if name == "编号":
            return serial(self.index, self.count)
        if name == self.as_name:
            return row
        cell = row.cell(name)
        return cell if cell is not None else self.base[name]


def base_variables(workbook: Workbook) -> dict[str, Any]:
    """Key/value items at top level, every other sheet as a table named by the sheet."""
    variables: dict[str, Any] = dict(workbook.variables)
    variables.update(workbook.tables)
    return variables


def serial(index: int, count: int) -> str:
    """Zero-padded document number: at least two digits, more when there are ≥100."""
    return str(index).zfill(max(2, len(str(count))))


class RowContexts(Sequence[DocumentContext]):
    """The contexts of a per-row document, each made when asked for: a build of ten
    thousand letters keeps none of them (they are the table's rows and their places)."""

    def __init__(self, base: dict[str, Any], table: Table, as_name: str) -> None:
        self.base, self.table, self.as_name = base, table, as_name

    def __len__(self) -> int:
        return len(self.table)

    @overload
    def __getitem__(self, i: int) -> DocumentContext: ...
    @overload
    def __getitem__(self, i: slice) -> list[DocumentContext]: ...

    def __getitem__(self, i: int | slice) -> DocumentContext | list[DocumentContext]:
        count = len(self.table)
        if isinstance(i, slice):
            return [self[n] for n in range(*i.indices(count))]
        position = i + count if i < 0 else i
        if not 0 <= position < count:
            raise IndexError(i)
        return DocumentContext(self.base, self.table, position + 1, count, self.as_name)

    def values(self, name: str) -> list[Any]:
        """``ctx[name]`` of every context, in order, without making them (a build's file
        names: ten thousand); KeyError when a context has no such name."""
        count = len(self.table)
        if name == "编号":
            return [serial(index, count) for index in range(1, count + 1)]
        if name == self.as_name:
            return list(self.table)
        cells = self.table.cells(name)
        if cells is None:
            return [self.base[name]] * count
        if any(cell is None for cell in cells):  # an empty cell: the workbook-wide value
            return [self.base[name] if cell is None else cell for cell in cells]
        return cells


def document_contexts(spec: DocumentSpec, workbook: Workbook) -> Sequence[DocumentContext]:
    """One context for a single document, or one per row of ``spec.each``.

    A per-row document sees the row under ``spec.as_name`` (``单位``), the row's columns
    at top level (``单位名称``) and ``编号``, its zero-padded position.
    """
    base = base_variables(workbook)
    if spec.each is None:
        return [DocumentContext(base, None, 1)]
    return RowContexts(base, workbook.tables[spec.each], spec.as_name or "行")
