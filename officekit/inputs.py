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

DEPTH = 3  # at most 3: the memo keeps the depth in two bits
# Digests of (row, depth) kept at most: the rows a letter shares (its task, the task's
# other assignments) belong to letters near it in the sheet.
MEMO = 10_000


def _value(value: Any) -> str:
    if isinstance(value, Cell):
        return f"{value.raw!r}|{value.number_format}"
    return repr(value)


class Digests:
    """Digests of tables and row neighbourhoods, each computed once per build (per worker
    process: each fills its own memo for the letters it renders)."""

    def __init__(self, relations: Relations | None, base: str) -> None:
        self.relations = relations
        self.base = base  # template bytes, options, officekit version
        self._tables: dict[str, str] = {}
        self._heads: dict[str, bytes] = {}
        # table → (row position × 4 + depth) → 16-byte digest of the row and of all it
        # reaches in ``depth`` steps: a task and its assignments are described once for
        # all its units (int keys: no row object or tuple kept per entry).
        self._memo: dict[int, dict[int, bytes]] = {}
        self._size = 0
        # name → (value, its text): the workbook's top-level values are the same objects
        # in every letter (the entry keeps its value alive, so ``is`` cannot be fooled
        # by a reused id)
        self._values: dict[str, tuple[Any, bytes]] = {}

    def _head(self, table: Table) -> bytes:
        head = self._heads.get(table.name)
        if head is None:  # the columns, by position: a renamed column changes every row
            head = self._heads[table.name] = repr((table.name, list(table._index))).encode(
                "utf-8", "surrogatepass"
            )
        return head

    def reach(self, row: Row, depth: int = DEPTH) -> bytes:
        """Digest of ``row`` and of every row it reaches through references in ``depth``
        steps, as a tree: the row, then what each related row reaches in one step less.

        Computed once per (row, depth): ten thousand units have a hundred thousand rows,
        and the units of one task all reach that task and its assignments.
        """
        return self._reach(row.table, row.position, depth)

    def _reach(self, table: Table, position: int, depth: int) -> bytes:
        memo = self._memo.get(id(table))
        if memo is None:
            memo = self._memo[id(table)] = {}
        key = position << 2 | depth
        found = memo.get(key)
        if found is not None:
            return found
        if depth == 0:
            text = self._head(table) + table.row_text(position).encode("utf-8", "surrogatepass")
        else:
            parts = [self._reach(table, position, 0)]
            if self.relations is not None:
                reach = self._reach
                for other, positions in self.relations.linked(table, position):
                    parts += [reach(other, j, depth - 1) for j in positions]
            text = b"".join(parts)
        found = hashlib.blake2b(text, digest_size=16).digest()
        self._size += 1
        if self._size > MEMO:  # bounded: letters share rows with their neighbours
            for entries in self._memo.values():
                entries.clear()
            self._size = 1
        memo[key] = found
        return found

    def table(self, table: Table) -> str:
        if table.name not in self._tables:
            h = hashlib.sha256(self._head(table))
            if table.shape is not None:  # its title, totals and notes reach templates too
                h.update(repr(table.shape.dump()).encode("utf-8", "surrogatepass"))
            for position in range(len(table)):
                h.update(table.row_text(position).encode("utf-8", "surrogatepass"))
            self._tables[table.name] = h.hexdigest()
        return self._tables[table.name]

    def shared(
        self, variables: dict[str, Any], used: set[str], own: set[str], keys: dict[str, str]
    ) -> str | None:
        """Digest of what every letter of a per-row document reads alike: the template
        and options, how rows link (each table's key and the references: a changed rule
        can relink rows whose values did not change), and the top-level ``variables`` it
        uses but ``own`` (the names each letter has for itself), a table by its sheet's
        cache key in ``keys``. A name a row's column may hide is counted too: that only
        makes the digest change more often. None when a used table has no key."""
        h = hashlib.sha256(self.base.encode("utf-8"))
        if self.relations is not None:
            links = (
                sorted((name, table.key or "") for name, table in self.relations.tables.items()),
                [(r.source, r.column, r.target) for r in self.relations.references],
            )
            h.update(repr(links).encode("utf-8", "surrogatepass"))
        for key in sorted(used - own):
            if key not in variables:
                continue
            value = variables[key]
            if isinstance(value, Table):
                sheet = keys.get(value.name)
                if not sheet:
                    return None
                text = "table " + sheet
            else:
                text = _value(value)
            h.update(f"\0{key}={text}".encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def document(self, variables: dict[str, Any], used: set[str], name: str) -> str:
        """Digest of one document: ``used`` are the template's top-level names."""
        h = hashlib.sha256(self.base.encode("utf-8"))
        h.update(name.encode("utf-8", "surrogatepass"))
        for key in sorted(used):
            if key not in variables:
                continue
            value = variables[key]
            if isinstance(value, Row):
                h.update(f"\0{key}=".encode("utf-8", "surrogatepass") + self.reach(value))
                continue
            cached = self._values.get(key)
            if cached is None or cached[0] is not value:
                if isinstance(value, Table):
                    text = self.table(value).encode()
                else:
                    text = _value(value).encode("utf-8", "surrogatepass")
                cached = self._values[key] = (
                    value,
                    f"\0{key}=".encode("utf-8", "surrogatepass") + text,
                )
            h.update(cached[1])
        return h.hexdigest()


def template_base(template_bytes: bytes, *options: object) -> str:
    """The part of every digest that comes from the template and the build options."""
    from officekit import __version__

    h = hashlib.sha256(template_bytes)
    h.update(repr((__version__, *options)).encode("utf-8"))
    return h.hexdigest()
