"""Plain text (or a messy .docx) → 公文 .docx: read, clean, find the structure, write.

Output names: one speech → OUT, by default the input with the .docx suffix (a .docx input
gives "<stem>-排版.docx" beside it). OUT may be a folder (existing, or written with a
trailing slash) or a file; ".docx" is added to a name without one, and another document
suffix (.pdf, .doc…) or an existing file of another kind is refused. Several speeches →
OUT is a folder (created when missing; "合集.docx" means the folder "合集"), by default
"<stem>/" beside the input, holding "01-<title>.docx", "02-<title>.docx"… named from each
speech's title, made safe for Windows, duplicates told apart. The input is never
overwritten. Files are written atomically (temporary file, then rename).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document as DocumentObject

from officekit import names
from officekit.errors import OfficekitError, OutputError
from officekit.gongwen import (
    clean,
    collection,
    furniture,
    layout,
    oxml,
    source,
    spec,
    structure,
    wraps,
)
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
    lines, joins = wraps.join_wraps(tidied.lines)
    lines, removed = furniture.remove(lines)
    groups, split_changes = collection.split_speeches(lines)
    result.changes.extend(joins + removed + split_changes)
    for group in groups:
        # The title first: a page that shows it twice keeps the one above the greeting.
        kept, front = structure.front_matter(group)
        kept, repeats = clean.drop_repeats(kept)
        result.changes.extend(front + repeats)
        speech, stops = structure.drop_heading_stops(structure.classify(kept))
        result.changes.extend(stops)
        result.speeches.append(speech)
        result.warnings.extend(clean.notes_on(tidied.notes, kept))
        result.warnings.extend(clean.placeholder_notes(kept))
        result.warnings.extend(clean.date_notes(kept))
        result.warnings.extend(speech.notes)
    result.changes.sort(key=lambda c: c.line)
    result.warnings.sort(key=lambda n: n.line)
    return result


def typeset(
    src: Path, out: Path | str | None = None, *, profile: str = spec.DEFAULT_FONT_PROFILE
) -> TypesetResult:
    """Typeset the draft ``src`` (.txt or .docx) as 公文 .docx file(s); see module docs.

    ``out`` may be given as a str so that a trailing slash ("输出/": a folder) is seen.
    """
    if profile not in spec.FONT_PROFILES:
        raise OfficekitError(
            f"字体方案 {profile} 不存在，请选择 {'、'.join(spec.FONT_PROFILES)} 之一。"
        )
    src = Path(src)
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
            folder / (unique.take(f"{n:02d}-{names.safe_segment(_name_of(s))}") + ".docx")
            for n, s in enumerate(speeches, start=1)
        ]
    for speech, target in zip(speeches, targets, strict=True):
        _refuse_input(src, target)
        save_atomic(render(speech, profile), target)
        result.outputs.append(target)
    return result


# Suffixes that name another kind of document: "-o 讲话.pdf" is a mistake, not a name.
# A Chinese name may hold a dot ("2026.3.5讲话"): only these count as a suffix.
OTHER_DOCUMENTS = frozenset(
    [
        ".doc",
        ".docm",
        ".dotx",
        ".dot",
        ".wps",
        ".wpt",
        ".odt",
        ".rtf",
        ".pdf",
        ".txt",
        ".md",
        ".htm",
        ".html",
        ".xls",
        ".xlsx",
        ".et",
        ".csv",
    ]
)


def _as_folder(out: Path | str) -> bool:
    """Written with a trailing slash ("输出/") or an existing folder."""
    return str(out).endswith(("/", "\\")) or Path(out).is_dir()


def _name_of(speech: Speech) -> str:
    title = speech.title
    return "讲话" if not title or title == structure.MISSING_TITLE else title


def _single_target(src: Path, out: Path | str | None) -> Path:
    """Where one speech goes: ``out`` as a folder (existing, or written "名字/") gets the
    default name; otherwise ``out`` is the file, ".docx" added when it has no suffix."""
    if out is None:
        if src.suffix.lower() == ".docx":
            return src.with_name(f"{src.stem}-排版.docx")
        return src.with_suffix(".docx")
    if _as_folder(out):
        return Path(out) / _single_target(src, None).name
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return path
    if suffix in OTHER_DOCUMENTS:
        raise OutputError(
            f"输出文件名 {path.name} 的扩展名是 {path.suffix}，typeset 只生成 Word 文档，"
            f"请改为 {path.with_suffix('.docx').name}，或给出一个文件夹。"
        )
    if path.exists():
        raise OutputError(
            f"{path} 已存在且不是 .docx 文档，为免覆盖别的文件，请换一个输出文件名"
            f"（如 {path.name}.docx）或文件夹。"
        )
    return path.with_name(path.name + ".docx")


def _folder_target(src: Path, out: Path | str | None) -> Path:
    if out is None:
        return src.with_name(src.stem)
    path = Path(out)
    suffix = path.suffix.lower()
    # "合集.docx" given for a collection: the speeches go to the folder "合集/".
    folder = path.with_suffix("") if suffix == ".docx" and not path.is_dir() else path
    if folder.exists() and not folder.is_dir():
        raise OutputError(
            f"{folder} 已存在且不是文件夹，草稿里有多篇讲话，要输出到一个文件夹，请换一个名字。"
        )
    if suffix in OTHER_DOCUMENTS and not folder.exists():
        raise OutputError(
            f"草稿里有多篇讲话，要输出到一个文件夹，{path.name} 像是一个文件名，"
            f"请给出文件夹名（如 {path.stem}）。"
        )
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


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def save_atomic(doc: DocumentObject, path: Path) -> None:
    """Save to a temporary file in the target folder, then rename over ``path``: a failed
    write leaves any previous file intact."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".~", suffix=".docx", dir=path.parent)
    except OSError as exc:
        raise OutputError(
            f"无法在 {path.parent} 中写入文件（{exc.strerror or exc}），"
            "请检查这个文件夹是否存在、是否可写，或换一个输出位置。"
        ) from exc
    os.close(handle)
    try:
        doc.save(temporary)
        # mkstemp makes the file private (0600); a document is as readable as any other.
        os.chmod(temporary, _file_mode())
        os.replace(temporary, path)
    except PermissionError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(
            f"无法写入 {path.name}，文件可能正在 Word 或 WPS 中打开，请关闭后重试。"
        ) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
