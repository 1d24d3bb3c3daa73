"""Which rows changed since the last build, and which letters they reach.

A rebuild after a clerk edits one unit's row need not digest every letter: the sheet
cache tells which sheets are byte for byte what the last build read, and for a sheet
that changed, the last build's table is still in the cache, so the two can be compared
row by row. A letter's digest covers its row and every row three references away
(:mod:`officekit.inputs`), so only letters within three steps of a changed row can have a
new digest; every other letter keeps the one the last build recorded.

This is a shortcut, never a second definition of "changed": whenever it cannot be sure
the links between rows are as they were (rows added or removed, a key or reference
column edited, a sheet added, renamed or not in the cache, a referenced table without a
key) it answers None and every letter is digested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from officekit.tables import Relations, Table

# The last build's table of a sheet, from the sheet cache by its key (None: not there).
Stored = Callable[[str, str], "Table | None"]


def changed_rows(
    tables: dict[str, Table],
    relations: Relations,
    keys: dict[str, str],
    before: dict[str, str],
    stored: Stored,
) -> dict[str, list[int]] | None:
    """Table name → positions of its rows that differ from the last build's (``before``:
    sheet name → cache key then; ``keys``: now). None when the shortcut cannot be
    trusted (see the module's note)."""
    if set(before) != set(tables) or not all(keys.get(name) for name in tables):
        return None
    for ref in relations.references:  # a link is followed both ways only through a key
        if tables[ref.target].key is None:
            return None
    changed: dict[str, list[int]] = {}
    for name, table in tables.items():
        if keys[name] == before[name]:
            continue  # the same sheet bytes, styles and strings: the same rows
        old = stored(name, before[name])
        if old is None or len(old) != len(table) or list(old._index) != list(table._index):
            return None
        linking = _linking_columns(table, relations)
        positions = _differing(old, table)
        for column in linking:
            i = table._index[column]
            new_values, old_values = table._data[i], old._data[i]
            if any(new_values[p] != old_values[p] for p in positions):
                return None
        changed[name] = positions
    return changed


def _differing(old: Table, new: Table) -> list[int]:
    """Positions of the rows whose text (number, values, formats) differs. Whole columns
    are compared first, values and their types (1 and 1.0 are equal but print apart):
    most columns of an edited sheet are as they were, and the rows of the others are
    compared one by one."""
    found: set[int] = set()
    if old._numbers != new._numbers or old._row_formats != new._row_formats:
        return [i for i in range(len(new)) if old.row_text(i) != new.row_text(i)]
    for before, now in zip(old._data, new._data, strict=True):
        if before == now and list(map(type, before)) == list(map(type, now)):
            continue
        found.update(
            i
            for i, (a, b) in enumerate(zip(before, now, strict=True))
            if a != b or a.__class__ is not b.__class__
        )
    return sorted(i for i in found if old.row_text(i) != new.row_text(i))


def _linking_columns(table: Table, relations: Relations) -> set[str]:
    """The columns that decide how the table's rows link to others: its key (and its
    first column, the key when no rule names one) and its reference columns."""
    columns = {c for c in (table.key, table.columns[0] if table.columns else None) if c}
    columns |= {ref.column for ref in relations.references if ref.source == table.name}
    return {c for c in columns if c in table._index}


def reached(
    relations: Relations,
    tables: dict[str, Table],
    changed: dict[str, list[int]],
    target: Table,
    depth: int,
) -> set[int]:
    """Positions of ``target``'s rows within ``depth`` references of a changed row (the
    changed rows of ``target`` itself included). Links run both ways, so these are the
    rows whose ``depth``-step neighbourhood holds a changed row."""
    seen: set[tuple[str, int]] = {(name, p) for name, rows in changed.items() for p in rows}
    frontier: Iterable[tuple[str, int]] = list(seen)
    for _ in range(depth):
        found: list[tuple[str, int]] = []
        for name, position in frontier:
            for other, positions in relations.linked(tables[name], position):
                for j in positions:
                    step = (other.name, j)
                    if step not in seen:
                        seen.add(step)
                        found.append(step)
        if not found:
            break
        frontier = found
    return {position for name, position in seen if name == target.name}
