"""Tables + job → one variables dict per document (pure: no files are read here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


def document_contexts(spec: DocumentSpec, workbook: Workbook) -> list[DocumentContext]:
    """One context for a single document, or one per row of ``spec.each``.

    A per-row document sees the row under ``spec.as_name`` (``单位``), the row's columns
    at top level (``单位名称``) and ``编号``, its zero-padded position.
    """
    base = base_variables(workbook)
    if spec.each is None:
        return [DocumentContext(base, None, 1)]
    table = workbook.tables[spec.each]
    count = len(table)
    return [
        DocumentContext(base, table, index, count, spec.as_name or "行")
        for index in range(1, count + 1)
    ]
