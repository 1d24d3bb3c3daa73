"""officekit.sheetdiff: which rows of a changed sheet must be read again.

The rule every plan must keep, on bytes: a row of the last reading that is kept is in the
new sheet with the same bytes and is not read again; every other row of the new sheet
(but the header) is read. Checked on hand-made cases and on random edits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from officekit import sheetdiff

HEAD = (
    b'<?xml version="1.0"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><dimension ref="A1:B{n}"/><sheetViews><sheetView>'
    b'<selection activeCell="{cell}"/></sheetView></sheetViews><sheetData>'
)
TAIL = b'</sheetData><mergeCells count="0"/></worksheet>'


def _row(number: int, values: list[str], shared: list[int] | None = None) -> bytes:
    cells = []
    for column, value in enumerate(values):
        ref = f"{chr(65 + column)}{number}"
        if shared is not None:
            cells.append(f'<c r="{ref}" t="s"><v>{shared[column]}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'.encode()


def _head(rows: int, cell: str = "A1") -> bytes:
    return HEAD.replace(b"{n}", str(rows).encode()).replace(b"{cell}", cell.encode())


def _sheet(rows: list[list[str]], cell: str = "A1") -> bytes:
    """A sheet of a header row and ``rows``, numbered from 2."""
    body = [_row(1, ["名称", "内容"])] + [_row(n, r) for n, r in enumerate(rows, start=2)]
    return _head(len(rows) + 1, cell) + b"".join(body) + TAIL


def _shared_sheet(rows: list[list[int]]) -> bytes:
    """A sheet whose rows (the header first) name shared strings by these indices."""
    body = [_row(n, ["", ""], shared=indices) for n, indices in enumerate(rows, start=1)]
    return _head(len(rows)) + b"".join(body) + TAIL


def _holds(
    old: bytes, new: bytes, plan: sheetdiff.Plan, strings: tuple = (), new_strings: tuple = ()
) -> None:
    """The rule in the module docstring, for ``plan`` of ``old`` → ``new`` (with shared
    strings: the same texts, not the same bytes)."""
    before = dict(sheetdiff.split(old).rows)
    after = dict(sheetdiff.split(new).rows)
    read = dict(sheetdiff.split(plan.xml).rows)
    assert read.pop(1, None) == after.get(1)  # the header row comes along, as it is
    assert plan.read == len(read)
    for number, row in before.items():
        if number != 1 and number not in plan.dropped:
            if strings or new_strings:
                now = sheetdiff._resolved(after[number], new_strings)
                assert now == sheetdiff._resolved(row, strings)
            else:
                assert after.get(number) == row
            assert number not in read
    for number, row in after.items():
        if number == 1:
            continue
        if number in read:
            assert read[number] == row
        else:
            assert number in before and number not in plan.dropped


def test_split_cuts_a_sheet_at_its_rows() -> None:
    xml = _sheet([["县公安局", "目标一"], ["县法院", "目标二"]])
    split = sheetdiff.split(xml)
    assert split is not None
    assert [n for n, _ in split.rows] == [1, 2, 3]
    assert split.head + b"".join(r for _, r in split.rows) + split.tail == xml
    assert split.rows[2][1].startswith(b'<row r="3">')


def test_split_gives_up_on_what_it_does_not_know() -> None:
    plain = _sheet([["县公安局", "目标一"]])
    assert sheetdiff.split(plain.replace(b"<sheetData>", b"<x:sheetData>")) is None
    assert sheetdiff.split(plain.replace(b' r="2"', b"")) is None  # a row without its number
    assert sheetdiff.split(plain.replace(b'<row r="2">', b'<row r="1">')) is None  # not rising
    assert sheetdiff.split(plain.replace(b"<sheetData>", b"<sheetData><!-- x -->")) is None


def test_one_edited_row_is_the_only_row_read() -> None:
    rows = [[f"单位{i}", f"目标{i}"] for i in range(200)]
    old = _sheet(rows)
    rows[57][1] = "目标（已调整）"
    new = _sheet(rows, cell="B59")  # Excel also moved the selection: the head differs
    plan = sheetdiff.plan(old, new)
    assert plan is not None
    assert plan.dropped == {59} and plan.read == 1
    assert "目标（已调整）".encode() in plan.xml and b"<mergeCells" in plan.xml
    _holds(old, new, plan)


def test_rows_inserted_deleted_and_appended() -> None:
    rows = [[f"单位{i}", f"目标{i}"] for i in range(30)]
    old = _sheet(rows)
    for changed in (
        rows[:10] + [["新单位", "新目标"]] + rows[10:],  # inserted: the rows after renumbered
        rows[:10] + rows[11:],  # deleted
        [*rows, ["新单位", "新目标"]],  # appended (the dimension changes too)
        rows[:-1],  # the last removed
    ):
        new = _sheet(changed)
        plan = sheetdiff.plan(old, new)
        assert plan is not None
        _holds(old, new, plan)


def test_a_changed_header_reads_the_whole_sheet() -> None:
    old = _sheet([["县公安局", "目标一"]])
    new = old.replace("内容".encode(), "工作目标".encode())
    assert sheetdiff.plan(old, new) is None


def test_rows_naming_shared_strings_that_changed_are_read() -> None:
    """Excel rewrites its shared strings on save: a row whose bytes are the same may name
    another text now (an index that moved), and a row whose indices moved may name the
    same texts; a row is read again when its texts changed, whatever its bytes."""
    old = _shared_sheet([[0, 1], [2, 3], [4, 5], [6, 7]])
    strings = ["名称", "内容", "甲", "目标甲", "乙", "目标乙", "丙", "目标丙"]
    # Row 2's goal edited: Excel drops 目标甲 and appends the new text at the end, and the
    # texts after the old one move up by one; row 2 now names index 7.
    new_strings = ["名称", "内容", "甲", "乙", "目标乙", "丙", "目标丙", "目标甲（调整）"]
    new = _shared_sheet([[0, 1], [2, 7], [3, 4], [5, 6]])
    plan = sheetdiff.plan(old, new, strings, new_strings)
    assert plan is not None
    # Rows 3 and 4 name other indices now, but the same texts: kept.
    assert plan.dropped == {2} and plan.read == 1
    # Same bytes, but the indices name other texts now (3: 乙, not 目标甲): read again.
    same_bytes = sheetdiff.plan(old, old, strings, new_strings)
    assert same_bytes is not None and same_bytes.dropped == {2, 3, 4}
    # Nothing moved: nothing read.
    untouched = sheetdiff.plan(old, old, strings, strings)
    assert untouched is not None and untouched.dropped <= {4}
    _holds(old, new, plan, tuple(strings), tuple(new_strings))


_values = st.text(alphabet="甲乙丙丁0123456789<&>", min_size=0, max_size=6).map(
    lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
)
_table = st.lists(st.lists(_values, min_size=2, max_size=2), min_size=0, max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    old_rows=_table,
    edits=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 20), _table.map(lambda t: t[:1])), max_size=4
    ),
)
def test_any_edit_keeps_the_rule(old_rows: list[list[str]], edits: list) -> None:
    rows = [list(r) for r in old_rows]
    for kind, where, new in edits:
        at = where % (len(rows) + 1)
        if kind == 0 and new:  # insert
            rows.insert(at, new[0])
        elif kind == 1 and at < len(rows):  # delete
            del rows[at]
        elif kind == 2 and at < len(rows) and new:  # edit
            rows[at] = new[0]
        elif kind == 3 and new:  # append
            rows.append(new[0])
    old, new = _sheet(old_rows), _sheet(rows, cell="B3")
    plan = sheetdiff.plan(old, new)
    assert plan is not None
    _holds(old, new, plan)
