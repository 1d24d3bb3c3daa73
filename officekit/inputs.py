"""What a document is made from, as a digest: a rebuild renders only what changed.

A document's digest covers the template (its bytes), the build options that change its
bytes, and the values it can read: the top-level variables its template uses (a whole
table when it uses a table) and, for a per-row document, its row and the rows related
to it through the workbook's references (单位 → 任务分工 → 工作任务, 单位 → 考核指标),
three steps deep, as the templates reach them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from officekit.tables import Relations, Row, Table
from officekit.values import Cell

DEPTH = 3
# Row digests kept at most: the rows a letter shares (its task, the task's other
# assignments) belong to letters near it in the sheet.
ROW_CACHE = 20_000


def _value(value: Any) -> str:
    if isinstance(value, Cell):
        return f"{value.raw!r}|{value.number_format}"
    return repr(value)


def _row_text(row: Row) -> str:
    cells = ";".join(f"{k}={raw!r}|{fmt}" for k, raw, fmt in row.items())
    return f"{row.table.name}#{row.number}:{cells}"


class Digests:
    """Digests of tables and row neighbourhoods, each computed once per build (per worker
    process: each fills its own cache for the letters it renders)."""

    def __init__(self, relations: Relations | None, base: str) -> None:
        self.relations = relations
        self.base = base  # template bytes, options, officekit version
        self._tables: dict[str, str] = {}
        # Rows shared by many letters (a task, its assignments) are described once, as a
        # 16-byte digest: ten thousand units have a hundred thousand rows.
        self._rows: dict[int, bytes] = {}

    def _digest(self, row: Row) -> bytes:
        key = id(row)
        found = self._rows.get(key)
        if found is None:
            if len(self._rows) >= ROW_CACHE:  # bounded: letters share rows with neighbours
                self._rows.clear()
            text = _row_text(row).encode("utf-8", "surrogatepass")
            found = self._rows[key] = hashlib.blake2b(text, digest_size=16).digest()
        return found

    def _related(self, row: Row) -> list[Row]:
        found: list[Row] = []
        if self.relations is not None:
            for name in self.relations.relation_names(row.table.name):
                related = self.relations.related(row, name)
                found += [
                    r
                    for r in (related if isinstance(related, list) else [related])
                    if isinstance(r, Row)
                ]
        return found

    def table(self, table: Table) -> str:
        if table.name not in self._tables:
            h = hashlib.sha256(table.name.encode("utf-8"))
            for row in table:
                h.update(_row_text(row).encode("utf-8", "surrogatepass"))
            self._tables[table.name] = h.hexdigest()
        return self._tables[table.name]

    def neighbourhood(self, row: Row) -> list[bytes]:
        """Digests of the row and of every row reachable from it through references,
        sorted."""
        seen: dict[int, Row] = {id(row): row}
        frontier = [row]
        for _ in range(DEPTH):
            found: list[Row] = []
            for current in frontier:
                for other in self._related(current):
                    if id(other) not in seen:
                        seen[id(other)] = other
                        found.append(other)
            frontier = found
        return sorted(self._digest(r) for r in seen.values())

    def document(self, variables: dict[str, Any], used: set[str], name: str) -> str:
        """Digest of one document: ``used`` are the template's top-level names."""
        h = hashlib.sha256(self.base.encode("utf-8"))
        h.update(name.encode("utf-8", "surrogatepass"))
        for key in sorted(used):
            if key not in variables:
                continue
            value = variables[key]
            h.update(f"\0{key}=".encode("utf-8", "surrogatepass"))
            if isinstance(value, Table):
                h.update(self.table(value).encode())
            elif isinstance(value, Row):
                for digest in self.neighbourhood(value):
                    h.update(digest)
            else:
                h.update(_value(value).encode("utf-8", "surrogatepass"))
        return h.hexdigest()


def template_base(template_bytes: bytes, *options: object) -> str:
    """The part of every digest that comes from the template and the build options."""
    from officekit import __version__

    h = hashlib.sha256(template_bytes)
    h.update(repr((__version__, *options)).encode("utf-8"))
    return h.hexdigest()
