"""Columns a template reads from rows, checked against the workbook's tables.

``{% for 指标 in 单位.考核指标 %}{{ 指标.考核指票 }}`` names a column that 考核指标 lacks;
the build would stop at the first letter that reaches it. Here the template's Jinja tree
is walked with what each name stands for — a row of a table, or the rows of one — so the
mistake is found before any letter, with the closest column name.

What a name stands for: a table (``统计数据``, its rows), a per-row document's current row
(``单位``), a loop variable over rows, a row found by key (``统计数据["…"]``), a related
row or rows (``分工.工作任务``, ``单位.任务分工``), through row-keeping filters (selectattr,
sort, first…). Anything else (a value made in the template) is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from jinja2 import nodes

from officekit.tables import UNIT_COLUMN, Relations, Row, closest

# Row attributes Jinja reaches besides its columns (the sandbox allows public ones).
_ROW_ATTRIBUTES = {name for name in dir(Row) if not name.startswith("_")}
_KEEP_ROWS = {"selectattr", "rejectattr", "sort", "list", "reverse", "unique"}
_ONE_ROW = {"first", "last", "random"}


class Kind(NamedTuple):
    table: str
    many: bool  # the rows of the table (a list), or one row


class Unknown(NamedTuple):
    """``expression`` reads ``attribute`` of a row of ``table``, which has no such column."""

    expression: str
    table: str
    hint: str


def unknown_columns(
    trees: list[nodes.Template], relations: Relations, rows: dict[str, str]
) -> list[Unknown]:
    """Every ``行.列`` in ``trees`` whose column the row's table lacks. ``rows``: names
    that stand for one row of a table (the per-row document's ``as``)."""
    found: dict[str, Unknown] = {}
    bound = {name: Kind(table, False) for name, table in rows.items()}
    bound |= {name: Kind(name, True) for name in relations.tables if name not in bound}
    for tree in trees:  # a name the template sets itself is its own, wherever it is set
        for assign in tree.find_all((nodes.Assign, nodes.AssignBlock)):
            for name in _names(assign.target):
                bound.pop(name, None)
    for tree in trees:
        for problem in _walk(tree, bound, relations):
            found.setdefault(problem.expression, problem)
    return list(found.values())


def _walk(node: nodes.Node, bound: dict[str, Kind], relations: Relations) -> Iterator[Unknown]:
    if isinstance(node, nodes.For):
        yield from _walk(node.iter, bound, relations)
        inner = dict(bound)
        kind = _kind(node.iter, bound, relations)
        for name in _names(node.target):
            inner.pop(name, None)
        if kind is not None and kind.many and isinstance(node.target, nodes.Name):
            inner[node.target.name] = Kind(kind.table, False)
        for child in [*node.body, *([node.test] if node.test else [])]:
            yield from _walk(child, inner, relations)
        for child in node.else_:
            yield from _walk(child, bound, relations)
        return
    if isinstance(node, nodes.Getattr):
        problem = _check(node, bound, relations)
        if problem is not None:
            yield problem
    for child in node.iter_child_nodes():
        yield from _walk(child, bound, relations)


def _names(target: nodes.Node) -> list[str]:
    if isinstance(target, nodes.Name):
        return [target.name]
    return [n.name for n in target.find_all(nodes.Name)]


def _check(node: nodes.Getattr, bound: dict[str, Kind], relations: Relations) -> Unknown | None:
    kind = _kind(node.node, bound, relations)
    if kind is None or kind.many:
        return None
    table = relations.tables.get(kind.table)
    if table is None:
        return None
    known = [*table.columns, *relations.relation_names(kind.table)]
    if node.attr in known or node.attr in _ROW_ATTRIBUTES:
        return None
    if node.attr == UNIT_COLUMN and table.unit() is not None:
        return None  # the unit the sheet's header gives (缴获毒品（克）)
    hint = closest(node.attr, known)
    return Unknown(f"{_spell(node.node)}.{node.attr}", kind.table, hint)


def _kind(node: nodes.Node, bound: dict[str, Kind], relations: Relations) -> Kind | None:
    """What ``node`` stands for, when it is rows of a table or one row of one."""
    if isinstance(node, nodes.Name):
        return bound.get(node.name)
    if isinstance(node, nodes.Getattr):
        owner = _kind(node.node, bound, relations)
        if owner is None or owner.many:
            return None
        return _related(owner.table, node.attr, relations)
    if isinstance(node, nodes.Getitem):
        owner = _kind(node.node, bound, relations)
        if owner is None:
            return None
        if owner.many and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            return Kind(owner.table, False)  # a row by its key
        if not owner.many and isinstance(node.arg, nodes.Const):
            return _related(owner.table, str(node.arg.value), relations)
        return None
    if isinstance(node, nodes.Filter) and node.node is not None:
        owner = _kind(node.node, bound, relations)
        if owner is None or not owner.many:
            return None
        if node.name in _KEEP_ROWS:
            return owner
        if node.name in _ONE_ROW:
            return Kind(owner.table, False)
    return None


def _related(table: str, name: str, relations: Relations) -> Kind | None:
    for ref in relations.references:
        if ref.source == table and ref.target == name:
            return Kind(name, False)
        if ref.target == table and ref.source == name:
            return Kind(name, True)
    return None


def _spell(node: nodes.Node) -> str:
    """The expression as the author wrote it (names, attributes and constant keys)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_spell(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f'{_spell(node.node)}["{node.arg.value}"]'
    if isinstance(node, nodes.Filter) and node.node is not None:
        return f"{_spell(node.node)}|{node.name}"
    return "…"
