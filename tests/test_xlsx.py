"""officekit.xlsx reads what openpyxl reads (data_only), cell for cell.

The workbooks are written here as raw XML parts, so every form a real file can take is
covered: shared strings with rich-text runs and phonetic guides, inline strings, formula
results, errors, booleans, ISO dates, cells without coordinates, gaps, hidden rows,
merged ranges, the 1904 date system, a namespace prefix, a chart sheet.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from officekit import xlsx

CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WB_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<workbookPr{date1904}/>
<sheets><sheet name="数据" sheetId="1" r:id="rId1"/><sheet name="隐藏" sheetId="2" state="hidden" r:id="rId2"/></sheets>
</workbook>"""
# Styles: 0 General, 1 date (14), 2 custom 年月日, 3 percent, 4 elapsed [h]:mm,
# 5 time h:mm, 6 zh-CN built-in 31 (undefined in the file), 7 custom 0.0, 8 text @
STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
<numFmt numFmtId="165" formatCode="[h]:mm"/><numFmt numFmtId="166" formatCode="0.0"/></numFmts>
<fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="9"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="9"/>
<xf numFmtId="165"/><xf numFmtId="20"/><xf numFmtId="31"/><xf numFmtId="166"/><xf numFmtId="49"/></cellXfs>
</styleSheet>"""
SHARED = """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<si><t>单位名称</t></si>
<si><r><rPr><b/></rPr><t>县</t></r><r><t xml:space="preserve">公安局 </t></r></si>
<si><t>东京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>
<si><t>A &amp; B &lt;C&gt;</t></si>
</sst>"""
SHEET1 = """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<dimension ref="A1:H9"/>
<sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>数值</t></is></c><c r="D1" t="inlineStr"><is><r><t>日</t></r><r><t>期</t></r></is></c></row>
<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>42</v></c><c r="C2" s="7"><v>3.25</v></c><c r="D2" s="1"><v>46084</v></c><c r="E2" s="2"><v>46084.5</v></c></row>
<row r="3" hidden="1"><c r="A3" t="s"><v>2</v></c><c r="B3"><v>-1.5E3</v></c><c r="C3" s="3"><v>0.962</v></c><c r="D3" s="4"><v>1.25</v></c><c r="E3" s="5"><v>0.75</v></c></row>
<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4" t="b"><v>1</v></c><c r="C4" t="e"><v>#N/A</v></c><c r="D4" t="str"><f>A1&amp;"x"</f><v>单位名称x</v></c><c r="E4"><f>1+1</f><v>2</v></c></row>
<row r="6"><c t="inlineStr"><is><t>无坐标</t></is></c><c><v>7</v></c><c r="F6" s="8" t="inlineStr"><is><t>0012</t></is></c></row>
<row><c r="A7" t="d"><v>2026-03-05T00:00:00</v></c><c r="B7"/><c r="C7" s="1"><v></v></c></row>
<row r="8"><c r="A8" t="inlineStr"><is><t>第一行
第二行</t></is></c><c r="B8" s="1"><v>30</v></c><c r="C8" s="1"><v>0.5</v></c></row>
</sheetData>
<mergeCells count="1"><mergeCell ref="G2:H3"/></mergeCells>
</worksheet>"""
SHEET2 = """<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c><x:c r="B1" s="6"><x:v>46084</x:v></x:c></x:row></x:sheetData>
</x:worksheet>"""


def _write(path: Path, date1904: bool = False) -> Path:
    parts = {
        "[Content_Types].xml": CT,
        "_rels/.rels": ROOT_RELS,
        "xl/_rels/workbook.xml.rels": WB_RELS,
        "xl/workbook.xml": WORKBOOK.format(date1904=' date1904="1"' if date1904 else ""),
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": SHARED,
        "xl/worksheets/sheet1.xml": SHEET1,
        "xl/worksheets/sheet2.xml": SHEET2,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text.encode("utf-8"))
    return path


def _ours(path: Path) -> dict[str, dict[tuple[int, int], tuple[object, str]]]:
    with xlsx.Book(path) as book:
        found = {}
        for sheet in book.sheets:
            book.read(sheet)
            found[sheet.title] = {
                (r, c + 1): (v, f)
                for r, values, formats in sheet.rows
                for c, (v, f) in enumerate(zip(values, formats, strict=True))
                if v is not None
            }
        return found


def _openpyxl(path: Path) -> dict[str, dict[tuple[int, int], tuple[object, str]]]:
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    found = {}
    for ws in wb.worksheets:
        found[ws.title] = {
            (cell.row, cell.column): (cell.value, cell.number_format)
            for row in ws.iter_rows()
            for cell in row
            if getattr(cell, "value", None) is not None
        }
    wb.close()
    return found


@pytest.mark.parametrize("date1904", [False, True])
def test_values_and_formats_match_openpyxl(tmp_path: Path, date1904: bool) -> None:
    path = _write(tmp_path / "book.xlsx", date1904)
    ours, theirs = _ours(path), _openpyxl(path)
    assert ours.keys() == theirs.keys() == {"数据", "隐藏"}
    assert ours["数据"] == theirs["数据"]
    # The one deliberate difference: zh-CN built-in format 31 is a date.
    assert ours["隐藏"][(1, 1)] == theirs["隐藏"][(1, 1)] == ("前缀", "General")
    assert theirs["隐藏"][(1, 2)] == (46084, "General")
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    assert ours["隐藏"][(1, 2)] == (epoch + dt.timedelta(days=46084), 'yyyy"年"m"月"d"日"')


def test_the_values_themselves(tmp_path: Path) -> None:
    cells = _ours(_write(tmp_path / "book.xlsx"))["数据"]
    assert cells[(2, 1)][0] == "县公安局 "  # runs joined, spaces kept
    assert cells[(3, 1)][0] == "东京"  # the phonetic guide is not text
    assert cells[(4, 1)][0] == "A & B <C>"
    assert cells[(2, 4)] == (dt.datetime(2026, 3, 3), "mm-dd-yy")
    assert cells[(3, 2)][0] == -1500.0
    assert cells[(3, 4)][0] == dt.timedelta(hours=30)
    assert cells[(3, 5)][0] == dt.time(18, 0)
    assert cells[(4, 2)][0] is True and cells[(4, 3)][0] == "#N/A"
    assert cells[(4, 4)][0] == "单位名称x" and cells[(4, 5)][0] == 2
    assert cells[(6, 1)][0] == "无坐标" and cells[(6, 2)][0] == 7
    assert cells[(6, 6)] == ("0012", "@")
    assert cells[(7, 1)][0] == dt.datetime(2026, 3, 5)
    assert (7, 3) not in cells  # an empty <v> is an empty cell
    assert cells[(8, 1)][0] == "第一行\n第二行"
    assert cells[(8, 2)][0] == dt.datetime(1900, 1, 30)  # Excel's 1900 leap-year bug


def test_sheets_merges_and_hidden_rows(tmp_path: Path) -> None:
    with xlsx.Book(_write(tmp_path / "book.xlsx")) as book:
        assert [(s.title, s.state) for s in book.sheets] == [
            ("数据", "visible"),
            ("隐藏", "hidden"),
        ]
        sheet = book.read(book.sheets[0])
        assert [m.coord for m in sheet.merged] == ["G2:H3"]
        assert (sheet.merged[0].min_row, sheet.merged[0].max_col) == (2, 8)
        assert sheet.hidden_rows == {3}
        assert [r for r, _, _ in sheet.rows] == [1, 2, 3, 4, 6, 7, 8]


def test_a_workbook_saved_by_openpyxl_reads_the_same(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "统计"
    ws.append(["项目", "本年数", "上年数", "日期", "比例"])
    for i in range(50):
        ws.append([f"项目{i}", i * 3, i * 2.5, dt.date(2026, 1, 1 + i % 28), i / 100])
        ws.cell(row=ws.max_row, column=5).number_format = "0.0%"
        ws.cell(row=ws.max_row, column=4).number_format = "yyyy年m月d日"
    ws.merge_cells("G3:G5")
    ws.row_dimensions[7].hidden = True
    other = wb.create_sheet("空表")
    other["C3"] = "孤单"
    path = tmp_path / "saved.xlsx"
    wb.save(path)
    assert _ours(path) == _openpyxl(path)
    with xlsx.Book(path) as book:
        assert [s.title for s in book.sheets] == ["统计", "空表"]
        assert book.read(book.sheets[0]).hidden_rows == {7}


@pytest.mark.parametrize(
    ("fmt", "date", "elapsed"),
    [
        ("General", False, False),
        ("0.00%", False, False),
        ('yyyy"年"m"月"d"日"', True, False),
        ("[h]:mm:ss", True, True),
        ("[Red]0.0", False, False),
        ('0.0"ms"', False, False),
        ("mm:ss", True, False),
        ("[$-804]yyyy/m/d", True, False),
        ("_(* #,##0_)", False, False),
        ("d-mmm;@", True, False),
    ],
)
def test_date_format_detection_agrees_with_openpyxl(fmt: str, date: bool, elapsed: bool) -> None:
    from openpyxl.styles.numbers import is_date_format, is_timedelta_format

    assert xlsx.stores_date(fmt) is date is is_date_format(fmt)
    assert xlsx.stores_elapsed(fmt) is elapsed is is_timedelta_format(fmt)


def test_column_letters_round_trip() -> None:
    for number in (1, 26, 27, 52, 53, 702, 703, 16384):
        assert xlsx.column_number(xlsx.column_letter(number)) == number
    assert xlsx.column_letter(28) == "AB"
    assert xlsx.split_ref("$AB$12") == (12, 28)
