"""The paragraph styles of the 公文 layout: for each role, its style id (ASCII, stable for
code), its name (Chinese, what a clerk sees in Word's style pane) and how it is set.

Kept apart from :mod:`officekit.gongwen.layout`, which writes them with python-docx: the
checker reads them too, and a build that only checks need not import python-docx.
"""

from __future__ import annotations

from dataclasses import dataclass

from officekit.gongwen import spec


@dataclass(frozen=True)
class ParagraphStyle:
    """How one role's paragraphs are set. Lengths in twips."""

    style_id: str
    name: str
    role: str  # key of spec.ROLES: typeface kind and size
    justify: str = "both"
    first_line: int = 0
    left: int = 0
    right: int = 0
    hanging: int = 0
    before: int = 0
    after: int = 0
    keep_next: bool = False
    snap_to_grid: bool = True
    outline_level: int | None = None
    line: int | None = None  # None: the 22-lines pitch


def chars(n: float, role: str = "body") -> int:
    """Width of ``n`` characters of a role's size, in twips (2 characters = 2 × 16 pt)."""
    return round(n * spec.SIZE_NAMES_PT[spec.ROLES[role].size] * spec.TWIPS_PER_PT)


PITCH = int(spec.LINE_PITCH_TWIPS.value)

STYLES: dict[str, ParagraphStyle] = {
    "body": ParagraphStyle("Normal", "Normal", "body", first_line=chars(2)),
    "title": ParagraphStyle(
        "GwTitle", "公文标题", "title", justify="center", keep_next=True, snap_to_grid=False
    ),
    "byline": ParagraphStyle("GwByline", "讲话署名", "byline", justify="center", keep_next=True),
    "greeting": ParagraphStyle("GwGreeting", "主送称谓", "greeting", justify="left"),
    "h1": ParagraphStyle(
        "GwHeading1", "一级标题", "h1", first_line=chars(2), keep_next=True, outline_level=0
    ),
    "h2": ParagraphStyle(
        "GwHeading2", "二级标题", "h2", first_line=chars(2), keep_next=True, outline_level=1
    ),
    "h3": ParagraphStyle("GwHeading3", "三级标题", "h3", first_line=chars(2), outline_level=2),
    # "附件：1. …": the label starts 2 characters in; "1." sits after the 3-character label
    # and later lines ("2. …") align under it.
    "attach_note": ParagraphStyle(
        "GwAttachNote", "附件说明", "attach_note", left=chars(5), hanging=chars(3)
    ),
    "attach_note_more": ParagraphStyle(
        "GwAttachNoteMore", "附件说明续行", "attach_note", left=chars(5), hanging=0
    ),
    "attach_label": ParagraphStyle("GwAttachLabel", "附件标识", "attach_label", justify="left"),
    # Label on line 1, title on line 3: one blank line before the title, one after.
    "attach_title": ParagraphStyle(
        "GwAttachTitle",
        "附件标题",
        "attach_title",
        justify="center",
        before=PITCH,
        after=PITCH,
        keep_next=True,
        snap_to_grid=False,
    ),
    "party": ParagraphStyle("GwParty", "甲乙方", "body", justify="left"),
    "signature": ParagraphStyle("GwSignature", "落款", "signature", justify="left"),
    "table": ParagraphStyle(
        "GwTable", "表格文字", "table", justify="center", snap_to_grid=False, line=360
    ),
    "table_head": ParagraphStyle(
        "GwTableHead", "表格标题行", "table_head", justify="center", snap_to_grid=False, line=360
    ),
    "table_note": ParagraphStyle("GwTableNote", "表注", "table", snap_to_grid=False, line=360),
    "page_number": ParagraphStyle(
        "GwPageNumber", "页码", "page_number", justify="right", snap_to_grid=False, line=280
    ),
    # A 1 pt paragraph that can hold a section break or follow a closing table without
    # ever taking a line of its own.
    "tiny": ParagraphStyle("GwTiny", "分节符段落", "body", snap_to_grid=False, line=20),
}
