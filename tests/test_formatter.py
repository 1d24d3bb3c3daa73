"""officekit.gongwen.formatter: any template comes out as 公文, a compliant one unchanged.

Templates are typed in code the way a clerk types them in Word (tests/clerk_job.py: a new
python-docx Document per template, Normal style, Table Grid tables); the shipped
templates must come out byte for byte the same.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import docx
import pytest
from clerk_job import letter, notice
from conftest import ROOT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from gbt9704 import W

from officekit.gongwen import roles
from officekit.gongwen.check import check_docx
from officekit.gongwen.formatter import format_docx, format_file
from officekit.gongwen.styles import StyleSheet
from officekit.gongwen.tablelayout import fitted

SHIPPED = sorted((ROOT / "word_templates").glob("*.docx"))


def _texts(data: bytes) -> list[str]:
    """The text of every paragraph, body and table cells, in order."""
    document = docx.Document(io.BytesIO(data))
    return [
        "".join(t.text or "" for t in p.iter(W + "t")) for p in document.element.body.iter(W + "p")
    ]


def _paragraph(data: bytes, startswith: str):  # noqa: ANN202
    document = docx.Document(io.BytesIO(data))
    return next(p for p in document.paragraphs if p.text.startswith(startswith))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_templates_come_out_byte_identical(path: Path) -> None:
    data = path.read_bytes()
    result = format_docx(data)
    assert result.changes == []
    assert result.data == data


@pytest.fixture(scope="module")
def clerk(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("clerk")
    notice(folder / "通知.docx")
    letter(folder / "责任书.docx")
    return {p.stem: p.read_bytes() for p in folder.glob("*.docx")}


@pytest.mark.parametrize("name", ["通知", "责任书"])
def test_clerk_template_is_formatted_and_passes_the_checker(
    clerk: dict[str, bytes], name: str, tmp_path: Path
) -> None:
    before = check_docx(_save(tmp_path / "before.docx", clerk[name]), allow_tags=True)
    assert len(before.errors) >= 8  # Letter paper, margins, lines, characters, numbers, fonts …
    result = format_docx(clerk[name])
    assert result.changed and result.data != clerk[name]
    report = check_docx(_save(tmp_path / "after.docx", result.data), allow_tags=True)
    assert report.errors == [], report.errors
    assert any("纸张 A4" in c for c in result.changes)
    assert any("— 1 —" in c for c in result.changes)


@pytest.mark.parametrize("name", ["通知", "责任书"])
def test_formatting_twice_changes_nothing_more(clerk: dict[str, bytes], name: str) -> None:
    once = format_docx(clerk[name]).data
    twice = format_docx(once)
    assert twice.changes == [] and twice.data == once


@pytest.mark.parametrize("name", ["通知", "责任书"])
def test_tags_and_text_are_never_altered(clerk: dict[str, bytes], name: str) -> None:
    assert _texts(format_docx(clerk[name]).data) == _texts(clerk[name])


def test_roles_become_styles(clerk: dict[str, bytes]) -> None:
    data = format_docx(clerk["通知"]).data
    assert _paragraph(data, "关于开展").style.name == "公文标题"
    assert _paragraph(data, "各乡镇").style.name == "主送称谓"
    assert _paragraph(data, "一、考核范围").style.name == "一级标题"
    assert _paragraph(data, "附件：").style.name == "附件说明"
    assert _paragraph(data, "附件").style.name in ("附件说明", "附件标识")
    assert _paragraph(data, "各单位考核指标").style.name == "附件标题"
    signature = _paragraph(data, "{{ 发文单位 }}")
    assert signature.style.name == "落款"
    assert signature.alignment == WD_ALIGN_PARAGRAPH.RIGHT  # the author's, kept


def test_run_in_heading_sets_its_first_sentence_in_kaiti(clerk: dict[str, bytes]) -> None:
    p = _paragraph(format_docx(clerk["通知"]).data, "（一）")
    assert p.style.name == "Normal"
    runs = [(r.text, r._r.find(f"{W}rPr/{W}rFonts")) for r in p.runs]
    assert runs[0][0] == "（一）加强组织领导。"
    assert runs[0][1].get(W + "eastAsia") == "楷体_GB2312"
    assert all(fonts is None for _, fonts in runs[1:])


def test_title_keeps_bold_loses_its_hand_set_size(clerk: dict[str, bytes]) -> None:
    title = _paragraph(format_docx(clerk["通知"]).data, "关于开展")
    assert title.runs[0].bold is True
    assert title.runs[0].font.size is None  # 二号 from the style, not the 18 pt typed


def test_tables_get_table_text_and_fit_the_block(clerk: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(format_docx(clerk["通知"]).data))
    for table in document.tables:
        grid = [int(c.get(W + "w")) for c in table._tbl.iter(W + "gridCol")]
        assert sum(grid) == 8844
        assert {p.style.name for p in table.rows[0].cells[0].paragraphs} == {"表格标题行"}
        body = {p.style.name for row in table.rows[1:] for c in row.cells for p in c.paragraphs}
        assert body == {"表格文字"}
    first = [int(c.get(W + "w")) for c in document.tables[0]._tbl.iter(W + "gridCol")]
    assert first[0] < first[1]  # 序号 narrow, names wide


def test_borderless_table_is_set_as_signature(clerk: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(format_docx(clerk["责任书"]).data))
    signature = document.tables[-1]
    assert {p.style.name for c in signature._cells for p in c.paragraphs} == {"落款"}


def _png() -> bytes:
    """A 2 × 2 white PNG, made here."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\0" + b"\xff\xff\xff" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_what_the_author_set_on_purpose_is_kept_the_rest_normalised(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("关于做好防汛工作的通知")
    body = doc.add_paragraph()
    red = body.add_run("请各单位高度重视。")
    red.font.color.rgb = RGBColor(0xFF, 0, 0)
    red.bold = True
    odd = body.add_run("防汛责任重于泰山。")
    odd.font.name = "Arial"
    odd._r.get_or_add_rPr().get_or_add_rFonts().set(W + "eastAsia", "宋体")
    odd.font.size = Pt(10.5)
    body.paragraph_format.line_spacing = 1.5
    centred = doc.add_paragraph("（此页无正文）")
    centred.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().add_run().add_picture(io.BytesIO(_png()), width=Mm(20))
    source = _save(tmp_path / "mixed.docx", b"")
    doc.save(source)
    data = format_docx(source.read_bytes()).data
    p = _paragraph(data, "请各单位")
    first, second = p.runs
    assert first.font.color.rgb == RGBColor(0xFF, 0, 0) and first.bold
    fonts = second._r.find(f"{W}rPr/{W}rFonts")
    assert fonts is None or fonts.get(W + "eastAsia") is None  # 宋体 in the body: gone
    assert fonts is None or fonts.get(W + "ascii") == "Arial"  # a Latin face: the author's
    assert second.font.size is None
    assert p.paragraph_format.line_spacing is None
    assert _paragraph(data, "（此页无正文）").alignment == WD_ALIGN_PARAGRAPH.CENTER
    formatted = docx.Document(io.BytesIO(data))
    assert formatted.inline_shapes[0].width == Mm(20)
    picture = next(p for p in formatted.paragraphs if p._p.find(f".//{W}drawing") is not None)
    spacing = picture._p.find(f"{W}pPr/{W}spacing")  # single: a fixed line would clip it
    assert spacing.get(W + "line") == "240" and spacing.get(W + "lineRule") == "auto"
    assert format_docx(data).data == data


def test_tag_only_paragraphs_have_no_role_and_do_not_take_the_title(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("{%p if 年度 %}")
    doc.add_paragraph("关于{{ 年度 }}年工作的通知")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("各单位：")
    path = tmp_path / "tags.docx"
    doc.save(path)
    document = docx.Document(path)
    paras = roles.classify(document.element.body, StyleSheet(document.styles.element))
    assert [p.role for p in paras] == ["tag", "title", "tag", "greeting"]


def test_fitted_widths() -> None:
    block = 8844
    assert fitted([9000, 3000], block, [0, 0]) == [6633, 2211]  # too wide: scaled
    assert sum(fitted([2160] * 4, block, [0] * 4)) == block  # Word's equal columns
    assert fitted([1000, 7844], block, [0, 0]) == [1000, 7844]  # the author's: kept
    # a column too narrow for its heading takes the room from the others
    widths = fitted([500, 8344], block, [1200, 2000])
    assert widths[0] >= 1200 and sum(widths) == block


def test_format_file_writes_beside_and_never_over_the_template(tmp_path: Path) -> None:
    source = tmp_path / "通知.docx"
    notice(source)
    target, result = format_file(source)
    assert target == tmp_path / "通知-公文格式.docx" and target.exists()
    assert source.read_bytes() != target.read_bytes() and result.changed
    from officekit.errors import OutputError

    with pytest.raises(OutputError, match="模板本身"):
        format_file(source, source)


def _save(path: Path, data: bytes) -> Path:
    if data:
        path.write_bytes(data)
    return path


def test_cli_format_tells_what_it_changed_and_the_result_checks(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from officekit.cli import app

    source = tmp_path / "责任书.docx"
    letter(source)
    result = CliRunner().invoke(app, ["format", str(source), "-o", str(tmp_path / "排好.docx")])
    assert result.exit_code == 0, result.output
    assert (
        "改了" in result.output and "纸张 A4" in result.output and "「公文标题」" in result.output
    )
    assert "标签没有改动" in result.output
    again = CliRunner().invoke(app, ["format", str(tmp_path / "排好.docx")])
    assert again.exit_code == 0 and "已符合公文格式，没有改动" in again.output


def test_typeset_refuses_a_template_and_points_to_format(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from officekit.cli import app

    source = tmp_path / "通知.docx"
    notice(source)
    result = CliRunner().invoke(app, ["typeset", str(source)])
    assert result.exit_code == 1
    assert "模板标签" in result.output and "officekit format 通知.docx" in result.output
    assert not list(tmp_path.glob("通知-排版*"))  # nothing written


def test_a_title_with_a_lone_last_character_is_set_a_little_tighter(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("关于切实加强全县禁毒宣传教育工作的补充通知")  # 21: 20 a line in 二号
    doc.add_paragraph("各乡镇：")
    source = tmp_path / "t.docx"
    doc.save(source)
    plain = tmp_path / "plain.docx"
    result = format_docx(source.read_bytes())
    assert any("字距略微收紧" in c for c in result.changes)
    spacing = _paragraph(result.data, "关于").runs[0]._r.find(f"{W}rPr/{W}spacing")
    assert -44 <= int(spacing.get(W + "val")) < 0  # under a tenth of a character
    formatted = _save(tmp_path / "f.docx", result.data)
    assert not [f for f in check_docx(formatted).findings if f.rule == "标题回行"]
    # without the squeeze the checker reports the same title
    squeezed = docx.Document(formatted)
    rpr = squeezed.paragraphs[0].runs[0]._r.find(f"{W}rPr")
    rpr.remove(rpr.find(f"{W}spacing"))
    squeezed.save(plain)
    assert [f for f in check_docx(plain).findings if f.rule == "标题回行"]


def test_word_s_own_title_and_heading_styles_become_ours(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_heading("关于做好防汛工作的通知", 0)  # Word's 「标题」
    doc.add_paragraph("各单位：")
    doc.add_heading("一、总体要求", 1)  # Word's 「标题 1」
    doc.add_paragraph("全面落实防汛责任。")
    source = tmp_path / "h.docx"
    doc.save(source)
    data = format_docx(source.read_bytes()).data
    assert _paragraph(data, "关于做好").style.name == "公文标题"
    assert _paragraph(data, "一、总体要求").style.name == "一级标题"
    report = check_docx(_save(tmp_path / "after.docx", data))
    assert report.errors == [], report.errors


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_a_template_resaved_by_libreoffice_keeps_its_styles(
    path: Path, tmp_path: Path, soffice: Path
) -> None:
    """Writer renames every style id ("公文标题" becomes Style5) and writes a ruled table's
    borders on its cells: the formatter must still see each paragraph's style and table."""
    from conftest import resave

    resaved = resave(soffice, path, tmp_path, "docx:MS Word 2007 XML")
    result = format_docx(resaved.read_bytes())
    assert not [c for c in result.changes if "段" in c or "表格" in c], result.changes
    styles = {p.style.name for p in docx.Document(io.BytesIO(result.data)).paragraphs}
    assert {"公文标题", "一级标题", "甲乙方" if "责任书" in path.name else "附件标题"} <= styles
    report = check_docx(_save(tmp_path / "formatted.docx", result.data), allow_tags=True)
    assert report.errors == [], report.errors


def test_a_later_section_without_numbers_takes_the_first_section_s(tmp_path: Path) -> None:
    from docx.enum.section import WD_SECTION

    doc = docx.Document()
    doc.add_paragraph("关于做好防汛工作的通知")
    doc.add_paragraph("各单位：")
    doc.add_section(WD_SECTION.NEW_PAGE)
    doc.add_paragraph("附件")
    later = doc.sections[1].footer
    later.is_linked_to_previous = False
    later.paragraphs[0].text = "第二节的页脚"
    source = tmp_path / "s.docx"
    doc.save(source)
    data = format_docx(source.read_bytes()).data
    formatted = docx.Document(io.BytesIO(data))
    assert formatted.sections[1].footer.is_linked_to_previous
    report = check_docx(_save(tmp_path / "after.docx", data))
    assert not [f for f in report.findings if f.rule == "页码"], report.findings


def test_cli_format_of_a_file_that_is_no_docx_is_one_sentence(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from officekit.cli import app

    fake = tmp_path / "旧模板.docx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # an old .doc renamed
    result = CliRunner().invoke(app, ["format", str(fake)])
    assert result.exit_code == 7, result.output
    assert "旧模板.docx" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "旧模板-公文格式.docx").exists()


def test_a_merge_field_s_stand_in_text_does_not_widen_its_column(tmp_path: Path) -> None:
    from docx.oxml import parse_xml
    from docx.shared import Twips

    doc = docx.Document()
    doc.add_paragraph("关于做好防汛工作的通知")
    table = doc.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    for col, width in zip(table.columns, (700, 8144), strict=True):
        col.width = Twips(width)
    table.cell(0, 0).text, table.cell(0, 1).text = "序号", "内容"
    field = parse_xml(
        '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' w:instr=" MERGEFIELD 很长的合并域名称 "><w:r><w:t>«很长的合并域名称»</w:t></w:r></w:fldSimple>'
    )
    table.cell(1, 0).paragraphs[0]._p.append(field)
    source = tmp_path / "merge.docx"
    doc.save(source)
    formatted = docx.Document(io.BytesIO(format_docx(source.read_bytes()).data))
    grid = [int(c.get(W + "w")) for c in formatted.tables[0]._tbl.iter(W + "gridCol")]
    assert grid == [700, 8144]
