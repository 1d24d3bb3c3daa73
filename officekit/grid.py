"""Table grids matched to their cells after a render.

A table's ``w:tblGrid`` says how many columns it has and how wide each is; Word and
LibreOffice lay a row out on that grid. ``{%tc for %}`` makes as many cells as the data
has, ``{% hm %}`` spans one cell over the loop's columns: the rendered rows then hold more
(or fewer) grid columns than the grid declares, and the table prints with cells pushed
outside or squeezed. After such a render each table's grid is given as many columns as
its widest row spans, the table keeping its total width (as docxtpl's ``fix_tables`` does).

Only templates that use these tags pay for it (``render.CompiledPart.mends``).
"""

from __future__ import annotations

from lxml import etree

from officekit.gongwen.schema import W_NS

_W = f"{{{W_NS}}}"


def fit(xml: str) -> str:
    """``xml`` (a rendered part) with every table's grid matched to its rows."""
    root = etree.fromstring(xml.encode("utf-8"))
    changed = False
    for table in root.iter(f"{_W}tbl"):
        changed |= _fit_table(table)
    if not changed:
        return xml
    declaration = xml[: xml.index("?>") + 2] if xml.startswith("<?xml") else ""
    return declaration + etree.tostring(root, encoding="unicode")


def spans(row: etree._Element) -> int:
    """Grid columns a row covers: each cell counts its ``w:gridSpan`` (1 without)."""
    total = 0
    for cell in row.findall(f"{_W}tc"):
        span = cell.find(f"{_W}tcPr/{_W}gridSpan")
        try:
            total += int(span.get(f"{_W}val")) if span is not None else 1
        except (TypeError, ValueError):
            total += 1
    return total


def _fit_table(table: etree._Element) -> bool:
    grid = table.find(f"{_W}tblGrid")
    rows = table.findall(f"{_W}tr")
    if grid is None or not rows:
        return False
    columns = grid.findall(f"{_W}gridCol")
    wanted = max(spans(row) for row in rows)
    if wanted == len(columns) or wanted == 0:
        return False
    widths = [_width(c) for c in columns]
    total = sum(widths)
    for column in columns:
        grid.remove(column)
    if wanted < len(columns):  # the kept columns share the width of the dropped ones
        kept = widths[:wanted]
        extra = (total - sum(kept)) // wanted
        new = [w + extra for w in kept]
    else:  # the same total width, in proportion to the old columns, the new ones average
        average = total / len(widths) if widths else 0
        scale = len(widths) / wanted if widths else 0
        new = [int(w * scale) for w in widths] + [int(average * scale)] * (wanted - len(widths))
    for width in new:
        etree.SubElement(grid, f"{_W}gridCol", {f"{_W}w": str(width)})
    return True


def _width(column: etree._Element) -> int:
    try:
        return int(float(column.get(f"{_W}w", "0")))
    except ValueError:
        return 0
