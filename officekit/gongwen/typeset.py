"""Plain text (or a messy .docx) → 公文 .docx: read, clean, find the structure, write.

Output names: one speech → OUT, by default the input with the .docx suffix (a .docx input
gives "<stem>-排版.docx" beside it); several speeches → OUT is a folder, by default
"<stem>/" beside the input, holding "01-<title>.docx", "02-<title>.docx"… The input is
never overwritten. Files are written atomically (temporary file, then rename).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document as DocumentObject

from officekit import names
from officekit.errors import OfficekitError, OutputError
from officekit.gongwen import clean, formatter, layout, oxml, source, spec, structure
from officekit.gongwen.clean import Change, Note
from officekit.gongwen.structure import Block, Speech

# Roles without a style of their own are set as body text.
STYLE_OF = {"h4": "body", "closing": "body"}
# Typeface kind of a run-in heading's first run; h3/h4 are 仿宋 like the body.
RUN_IN_FACE = {"h1": "黑体", "h2": "楷体", "h3": "仿宋", "h4": "仿宋"}


@dataclass
class TypesetResult:
    """What typeset wrote and what it did to the text on the way."""

    outputs: list[Path] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    speeches: list[Speech] = field(default_factory=list)


def prepare(raw: list[str]) -> TypesetResult:
    """Clean and structure the lines of a draft; nothing is written (``outputs`` empty)."""
    tidied = clean.tidy(raw)
    result = TypesetResult(changes=list(tidied.changes))
    groups, split_changes = structure.split_speeches(tidied.lines)
    result.changes.extend(split_changes)
    for group in groups:
        kept, repeats = clean.drop_repeats(group)
        result.changes.extend(repeats)
        speech = structure.classify(kept)
        result.speeches.append(speech)
        result.warnings.extend(clean.notes_on(tidied.notes, kept))
        result.warnings.extend(clean.placeholder_notes(kept))
        result.warnings.extend(clean.date_notes(kept))
        result.warnings.extend(speech.notes)
    result.changes.sort(key=lambda c: c.line)
    result.warnings.sort(key=lambda n: n.line)
    return result


def typeset(
    src: Path, out: Path | None = None, *, profile: str = spec.DEFAULT_FONT_PROFILE
) -> TypesetResult:
    """Typeset the draft ``src`` (.txt or .docx) as 公文 .docx file(s); see module docs."""
    if profile not in spec.FONT_PROFILES:
        raise OfficekitError(
            f"字体方案 {profile} 不存在，请选择 {'、'.join(spec.FONT_PROFILES)} 之一。"
        )
    src = Path(src)
    formatter.refuse_template(src)  # a template is formatted, not typeset as a draft
    result = prepare(source.read_lines(src))
    speeches = [s for s in result.speeches if s.blocks]
    if not speeches:
        raise OutputError(f"文件 {src.name} 中没有可排版的文字，请检查文件内容后重试。")
    if len(speeches) == 1:
        targets = [_single_target(src, out)]
    else:
        folder = _folder_target(src, out)
        unique = names.UniqueNames()
        targets = [
            folder / (unique.take(f"{n:02d}-{names.safe_segment(s.title or '讲话')}") + ".docx")
            for n, s in enumerate(speeches, start=1)
        ]
    for speech, target in zip(speeches, targets, strict=True):
        _refuse_input(src, target)
        save_atomic(render(speech, profile), target)
        result.outputs.append(target)
    return result


def _single_target(src: Path, out: Path | None) -> Path:
    if out is None:
        if src.suffix.lower() == ".docx":
            return src.with_name(f"{src.stem}-排版.docx")
        return src.with_suffix(".docx")
    out = Path(out)
    if out.is_dir():  # a folder: the default name, inside it
        return out / _single_target(src, None).name
    return out


def _folder_target(src: Path, out: Path | None) -> Path:
    if out is None:
        return src.with_name(src.stem)
    out = Path(out)
    # "合集.docx" given for a collection: the speeches go to the folder "合集/".
    folder = out.with_suffix("") if out.suffix.lower() == ".docx" else out
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} 已存在且不是文件夹，多篇讲话需要输出到文件夹，请换一个名字。")
    return folder


def _refuse_input(src: Path, target: Path) -> None:
    if target.resolve() == src.resolve():
        raise OutputError(f"输出文件 {target.name} 与输入文件相同，请指定另一个输出文件名。")


# ---- writing ------------------------------------------------------------------------------


def render(speech: Speech, profile: str = spec.DEFAULT_FONT_PROFILE) -> DocumentObject:
    """One speech as a 公文 document (python-docx, not yet saved)."""
    doc = layout.new_document(profile)
    previous: str | None = None
    for block in speech.blocks:
        role = block.role
        if previous in ("title", "byline") and role not in ("title", "byline"):
            layout.add_paragraph(doc, "body")  # one blank line below the title block
        if role == "attach_label" and previous is not None:
            layout.add_page_break(doc)  # annexes start a new page
        if role == "attach_note" and previous not in (None, "attach_note"):
            layout.add_paragraph(doc, "body")  # 附件说明: one blank line below the body
        if block.run_in:
            _run_in(doc, block, profile)
        else:
            style = STYLE_OF.get(role, role)
            if role == "attach_note" and previous == "attach_note":
                style = "attach_note_more"
            layout.add_paragraph(doc, style, block.heading or block.text)
        previous = role
    props = doc.core_properties
    props.title = speech.title
    props.author = "officekit"
    props.last_modified_by = "officekit"
    return doc


def _run_in(doc: DocumentObject, block: Block, profile: str) -> None:
    """Heading and body text in one body paragraph; the heading run takes the heading's
    typeface (黑体 for level 1, 楷体 for level 2), set on eastAsia and ascii alike."""
    paragraph = layout.add_paragraph(doc, "body")
    heading = paragraph.add_run(block.heading)
    oxml.set_fonts(heading._r.get_or_add_rPr(), layout.font_name(RUN_IN_FACE[block.role], profile))
    paragraph.add_run(block.text)


def save_atomic(doc: DocumentObject, path: Path) -> None:
    """Save to a temporary file in the target folder, then rename over ``path``: a failed
    write leaves any previous file intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".~", suffix=".docx", dir=path.parent)
    os.close(handle)
    try:
        doc.save(temporary)
        os.replace(temporary, path)
    except PermissionError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(
            f"无法写入 {path.name}，文件可能正在 Word 或 WPS 中打开，请关闭后重试。"
        ) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
