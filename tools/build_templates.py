"""Build the shipped Word templates word_templates/讲话稿.docx and 责任书.docx.

The text lives in tools/template_content.py; this script gives each paragraph its 公文
style (officekit.gongwen.layout) and builds the tables. The output is reproducible: fixed
document properties and zip timestamps, so a rebuild of unchanged sources gives the same
bytes (tests/test_templates.py checks the committed files against a rebuild).

Run: python tools/build_templates.py
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from docx.document import Document as DocumentObject  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from template_content import LETTER, SPEECH  # noqa: E402

from officekit.gongwen import layout, oxml, spec  # noqa: E402

FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)
TEXT_WIDTH = spec.mm_to_twips(spec.TEXT_WIDTH_MM.value)

# Roles whose paragraphs use the style of another role.
ROLE_STYLE = {"closing": "body", "blank": "body", "tag": "body"}


def _stats_table(doc: DocumentObject) -> None:
    """Annex 1: one row per indicator, figures as Excel shows them."""
    # 指标名称 holds nine characters a line (小四): "抓获毒品犯罪嫌疑人" on one line, the
    # longer names on two lines of which the last never holds a single character.
    widths = [2400, 900, 1000, 1000, 1700, 900]
    widths.append(TEXT_WIDTH - sum(widths))
    rows = [
        [
            "指标名称",
            "单位",
            "{{ 统计年度 }}年",
            "{{ 统计年度 - 1 }}年",
            "较上年",
            "任务数",
            "完成率",
        ],
        ["{%tr for 行 in 统计数据 %}", "", "", "", "", "", ""],
        [
            "{{ 行.指标名称 }}",
            "{{ 行.计量单位 }}",
            "{{ 行.本年数 }}",
            "{{ 行.上年数 }}",
            '{% if 行.计量单位 == "%" %}{{ 行.本年数|增减(行.上年数) }}'
            "{% else %}{{ 行.本年数|同比(行.上年数, 单位=行.计量单位) }}{% endif %}",
            "{% if 行.任务数 %}{{ 行.任务数 }}{% else %}—{% endif %}",
            # A rate against a target rate is met or not; a ratio of two rates means nothing.
            "{% if not 行.任务数 %}—"
            '{% elif 行.计量单位 == "%" %}{% if 行.本年数 >= 行.任务数 %}达标{% else %}未达标{% endif %}'
            "{% else %}{{ 行.本年数|完成率(行.任务数) }}{% endif %}",
        ],
        ["{%tr endfor %}", "", "", "", "", "", ""],
    ]
    table = layout.add_table(
        doc, widths, rows, align=["left", "center", "right", "right", "center", "right", "right"]
    )
    # Rows keep with the next, so the note below never ends up alone on a page.
    for cell in table.rows[2].cells:
        oxml.set_on_off(cell.paragraphs[0]._p.get_or_add_pPr(), "w:keepNext", True)


def _assessment_table(doc: DocumentObject) -> None:
    """Letter: this unit's indicators with points, and the total."""
    # 评分标准 wide enough that no criterion of the shipped workbook leaves one character
    # ("分") alone on its last line; officekit check reports any that does.
    widths = [700, 3100, 900]
    widths.append(TEXT_WIDTH - sum(widths))
    rows = [
        ["序号", "考核内容", "分值", "评分标准"],
        ["{%tr for 指标 in 单位.考核指标 %}", "", "", ""],
        ["{{ loop.index }}", "{{ 指标.考核内容 }}", "{{ 指标.分值 }}", "{{ 指标.评分标准 }}"],
        ["{%tr endfor %}", "", "", ""],
        ["合计", "", '{{ 单位.考核指标|sum(attribute="分值") }}', ""],
    ]
    layout.add_table(doc, widths, rows, align=["center", "both", "center", "both"])


def _signature(
    doc: DocumentObject, party_b: str = "{{ 单位名称 }}", date: str = "{{ 签订日期 }}"
) -> None:
    """Two borderless columns: 甲方 / 乙方, signatures, room for seals, date.

    Every row is kept with the next and no row splits, so the block never breaks across
    pages; the paragraphs before it are kept with it too (see _keep_with_signature).
    """
    half = TEXT_WIDTH // 2
    rows = [
        ["甲方（盖章）：", "乙方（盖章）："],
        ["{{ 甲方 }}", party_b],
        ["负责人（签字）：", "负责人（签字）："],
        ["", ""],
        [date, date],
    ]
    table = layout.add_table(
        doc, [half, TEXT_WIDTH - half], rows, header_rows=0, borders=False, role="signature"
    )
    for r, row in enumerate(table.rows):
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                ppr = paragraph._p.get_or_add_pPr()
                oxml.set_on_off(ppr, "w:keepNext", r < len(rows) - 1)
                oxml.set_justification(ppr, "left")


def _keep_with_signature(doc: DocumentObject) -> None:
    """The last body paragraph and the blank line stay on the signature's page."""
    for paragraph in doc.paragraphs[-2:]:
        oxml.set_on_off(paragraph._p.get_or_add_pPr(), "w:keepNext", True)


def build(
    content: list[tuple[str, str]],
    title: str,
    tables: dict[str, Callable[[DocumentObject], None]] | None = None,
) -> DocumentObject:
    """The template of ``content``; ``tables`` adds roles that build a table (the example
    jobs' scripts bring their own)."""
    tables = tables or {}
    doc = layout.new_document(spec.DEFAULT_FONT_PROFILE)
    page_break = False
    previous = ""
    for role, text in content:
        if role == "page_break":
            page_break = True
            continue
        if previous in ("title", "byline") and role not in ("title", "byline", "tag"):
            layout.add_paragraph(doc, "body")  # one blank line below the title block
        if role in tables:
            oxml.set_on_off(doc.paragraphs[-1]._p.get_or_add_pPr(), "w:keepNext", True)
            tables[role](doc)
        elif role == "stats_table":
            _stats_table(doc)
        elif role == "assessment_table":
            # "甲方按照下表……" stays on the page where the table starts.
            oxml.set_on_off(doc.paragraphs[-1]._p.get_or_add_pPr(), "w:keepNext", True)
            _assessment_table(doc)
        elif role in ("signature", "signature_sample"):
            _keep_with_signature(doc)
            if role == "signature":
                _signature(doc)
            else:  # the speech's sample letter: 乙方 and the date are filled in by hand
                _signature(doc, party_b="", date="年　月　日")
            # Word needs a paragraph after a closing table; keep it 1 pt high.
            layout.add_paragraph(doc, "tiny")
        else:
            style = ROLE_STYLE.get(role, role)
            if role == "attach_note" and previous == "attach_note":
                style = "attach_note_more"
            paragraph = layout.add_paragraph(doc, style, text)
            if page_break:
                oxml.set_on_off(paragraph._p.get_or_add_pPr(), "w:pageBreakBefore", True)
                page_break = False
        if role != "tag":
            previous = role
    props = doc.core_properties
    props.title = title
    props.author = "officekit"
    props.last_modified_by = "officekit"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    props.comments = "officekit 公文模板（tools/build_templates.py 生成）"
    _check_no_theme_fonts(doc)
    return doc


def _check_no_theme_fonts(doc: DocumentObject) -> None:
    for element in (doc.element, doc.styles.element):
        for fonts in element.iter(qn("w:rFonts")):
            assert not any(k.endswith("Theme") or k.endswith("theme") for k in fonts.attrib), fonts


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>officekit</Application><DocSecurity>0</DocSecurity></Properties>"
)


def _font_table() -> str:
    """Only the faces the templates use, marked GB2312 (charset 86) so that Word picks a
    Chinese substitute when one is missing; python-docx's default lists Japanese fonts."""
    names = sorted({n for profile in spec.FONT_PROFILES.values() for n in profile.values()})
    fonts = "".join(
        f'<w:font w:name="{n}"><w:charset w:val="86"/><w:family w:val="auto"/>'
        '<w:pitch w:val="variable"/></w:font>'
        for n in names
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:fonts xmlns:w="{oxml.W_NS}">{fonts}</w:fonts>'
    )


def _clean_package(name: str, data: bytes) -> bytes | None:
    """Drop python-docx's default-template leftovers; None removes the part."""
    if name == "docProps/thumbnail.jpeg":
        return None
    if name == "docProps/app.xml":
        return APP_XML.encode("utf-8")
    if name == "word/fontTable.xml":
        return _font_table().encode("utf-8")
    text = data.decode("utf-8") if name.endswith((".xml", ".rels")) else None
    if name == "_rels/.rels" and text is not None:
        text = re.sub(r'<Relationship [^>]*Target="docProps/thumbnail.jpeg"/>', "", text)
        return text.encode("utf-8")
    if name == "word/settings.xml" and text is not None:
        return text.replace('w:eastAsia="ja-JP"', 'w:eastAsia="zh-CN"').encode("utf-8")
    return data


def save_reproducible(doc: DocumentObject, path: Path) -> None:
    """Save with fixed zip timestamps and entry order so rebuilds are byte-identical."""
    buffer = io.BytesIO()
    doc.save(buffer)
    buffer.seek(0)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = _clean_package(info.filename, src.read(info.filename))
            if data is None:
                continue
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)


TEMPLATES = {
    "讲话稿.docx": (SPEECH, "在全县禁毒工作会议上的讲话（模板）"),
    "责任书.docx": (LETTER, "禁毒工作目标责任书（模板）"),
}


def build_all(folder: Path) -> list[Path]:
    written = []
    for name, (content, title) in TEMPLATES.items():
        path = folder / name
        save_reproducible(build(content, title), path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build_all(ROOT / "word_templates"):
        print(path.relative_to(ROOT))
