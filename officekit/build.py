"""One build: job → workbook → contexts → rendered .docx → combined print files → PDF.

Everything is written into a staging folder inside the output folder first and moved
into place only when rendering succeeded, so a failed build leaves the previous outputs
intact. A file that cannot be replaced (held open by Word) is reported by name while the
other documents are still updated.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from officekit import context, export, files, workbook
from officekit.combine import combine_documents
from officekit.errors import (
    ExportError,
    JobError,
    OfficekitError,
    OutputError,
    ProblemsError,
    TemplateError,
    WorkbookError,
)
from officekit.gongwen.check import Finding, Scope, check_docx, check_text
from officekit.job import Job
from officekit.names import UniqueNames, safe_relative
from officekit.render import CompiledTemplate, compile_template, make_environment, render_name

MANIFEST = ".officekit-manifest.json"
DOCUMENT_XML = "word/document.xml"

Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass
class Output:
    """One file the build produced."""

    document: str  # the job's document name (讲话稿, 目标责任书, …)
    path: Path  # final location
    kind: str  # "docx" or "pdf"
    pages: int | None = None


@dataclass
class BuildResult:
    job: Job
    outputs: list[Output] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # files that could not be replaced
    pdf_note: str = ""
    pdf_failure: str = ""  # LibreOffice was there but the conversion failed
    removed: list[Path] = field(default_factory=list)  # outputs of the last build now gone
    # GB/T 9704 findings on the documents written: (file name, finding).
    format_findings: list[tuple[str, Finding]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _noop(what: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class Options:
    """Command-line overrides of the job file; None keeps the job's setting."""

    pdf: str | None = None  # "print", "all" or "none"
    duplex: bool | None = None
    copies: int | None = None
    preview: bool = False


def build(
    job: Job,
    *,
    pdf: str | None = None,
    progress: Progress = _noop,
    options: Options | None = None,
) -> BuildResult:
    """Run the whole build for ``job``; ``pdf`` and ``options`` override the job file."""
    options = options or Options()
    if pdf is not None:
        options = dataclasses.replace(options, pdf=pdf)
    try:
        return _build(job, options, progress=progress)
    except OSError as exc:
        where = exc.filename or job.output
        raise OutputError(
            f"无法写入 {where}（{exc.strerror or exc}）；请检查输出文件夹是否可写、磁盘是否已满，之前生成的文件未受影响。"
        ) from exc


def _build(job: Job, options: Options, *, progress: Progress) -> BuildResult:
    pdf_mode = options.pdf or job.pdf
    copies = options.copies or job.copies
    job.output.mkdir(parents=True, exist_ok=True)
    env = make_environment()
    # Templates and workbook are checked before anything is rendered, and every problem
    # found is reported together: a clerk fixes them all in one round.
    problems: list[OfficekitError] = []
    compiled: dict[Path, CompiledTemplate] = {}
    for template_path in dict.fromkeys(d.template for d in job.documents):
        try:
            compiled[template_path] = compile_template(template_path, env, job.font_profile)
        except TemplateError as exc:
            problems.append(exc)
    progress("读取工作簿", 0, 1)
    try:
        book = _load_workbook(job)
    except WorkbookError as exc:
        problems.insert(0, exc)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ProblemsError(problems)
    result = BuildResult(job=job, warnings=list(book.warnings))
    for template_path in compiled:
        opened = files.open_warning(template_path, files.TEMPLATE)
        if opened:
            result.warnings.append(opened)
    staging = Path(tempfile.mkdtemp(prefix=".officekit-", dir=job.output))
    try:
        staged: list[tuple[Output, Path]] = []  # (output, staged file)
        duplex = False  # some combined file starts its documents on right-hand pages
        padded: set[Path] = set()  # combined files whose every document has even pages
        print_files: list[Path] = []
        full_checks: list[tuple[str, Path, Scope]] = []  # (name, staged file, scope)
        names = UniqueNames()
        for spec in job.documents:
            if spec.each and spec.each not in book.tables:
                raise JobError(
                    f"任务文件 {job.source} 中文档“{spec.name}”按「{spec.each}」表逐行生成，"
                    f"但工作簿没有这张表（现有：{'、'.join(book.tables)}）；请改正 each。"
                )
            template = compiled[spec.template]
            name_of = render_name(env, spec.output)
            contexts = context.document_contexts(spec, book)
            if not contexts:
                result.warnings.append(
                    f"「{spec.each}」表没有数据，没有生成任何“{spec.name}”；请在工作簿中填写后重新生成。"
                )
            rendered_bodies: list[bytes] = []
            last_parts: dict[str, bytes] = {}
            for done, ctx in enumerate(contexts, start=1):
                progress(f"生成{spec.name}", done - 1, len(contexts))
                parts = template.render(ctx.variables)
                relative = names.take(name_of(ctx.variables)) + ".docx"
                target = staging / relative
                template.write(parts, target, title=Path(relative).stem)
                output = Output(spec.name, job.output / relative, "docx")
                staged.append((output, target))
                # The first document of a template is checked in full; the others differ
                # only in their words (same styles, sections, footers).
                if done == 1:
                    full_checks.append((output.path.name, target, "full"))
                else:
                    result.format_findings += [
                        (output.path.name, f) for f in check_text(parts[DOCUMENT_XML])
                    ]
                if spec.each is None:
                    print_files.append(target)
                rendered_bodies.append(parts[DOCUMENT_XML])
                last_parts = parts
            progress(f"生成{spec.name}", len(contexts), len(contexts))
            if len(contexts) > 1:  # the first letter's layout findings hold for all of them
                name, path, scope = full_checks[-1]
                full_checks[-1] = (f"{name} 等 {len(contexts)} 份（同一模板）", path, scope)
            if spec.combined and rendered_bodies:
                relative = names.take(safe_relative(spec.combined)) + ".docx"
                target = staging / relative
                parts = dict(last_parts)
                odd = job.combined_start(spec, options.duplex) == "odd"
                duplex = duplex or odd
                if odd:
                    padded.add(target.with_suffix(".pdf"))
                # 一式两份: each letter twice in a row, so the print room can split the pile.
                bodies = [body for body in rendered_bodies for _ in range(copies)]
                parts[DOCUMENT_XML] = combine_documents(bodies, "oddPage" if odd else "nextPage")
                template.write(parts, target, title=Path(relative).stem)
                staged.append(
                    (Output(spec.name + "（汇总）", job.output / relative, "docx"), target)
                )
                full_checks.append((Path(relative).name, target, "sections"))
                print_files.append(target)
            elif spec.each is not None and not spec.combined:
                print_files += [t for o, t in staged if o.document == spec.name]
        _check_format(full_checks, result, progress)
        documents = [t for _, t in staged]
        if pdf_mode != "none":
            to_convert = print_files if pdf_mode == "print" else documents
            documents_of = {t: o.document for o, t in staged}
            pdfs = _pdfs(job, to_convert, staging, result, progress, duplex, padded)
            staged += [
                (dataclasses.replace(o, document=documents_of[t.with_suffix(".docx")]), t)
                for o, t in pdfs
            ]
        if options.preview:
            made = {t.with_suffix(".docx"): t for o, t in staged if o.kind == "pdf"}
            staged += _previews(job, documents, staging, result, progress, made)
        progress("写入输出文件夹", 0, len(staged))
        _publish(job, staged, result)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _check_format(
    files: list[tuple[str, Path, Scope]], result: BuildResult, progress: Progress
) -> None:
    """Run the GB/T 9704 checker on the staged files that need the package checked: the
    first document of each template in full, combined files for their sections and page
    numbering. (Every other document had its words checked as it was rendered.)"""
    for done, (name, path, scope) in enumerate(files, start=1):
        progress("检查公文格式", done - 1, len(files))
        report = check_docx(path, scope=scope)
        result.format_findings += [(name, finding) for finding in report.findings]
    progress("检查公文格式", len(files), len(files))


def _load_workbook(job: Job) -> workbook.Workbook:
    """Load the workbook; on broken rules also write a copy with the bad cells in red."""
    marked = workbook.marked_path(job.workbook, job.output)
    try:
        book = workbook.load(job)
    except WorkbookError as exc:
        issues = getattr(exc, "issues", None)
        if not issues:
            raise
        try:
            path = workbook.mark_issues(job.workbook, issues, job.output)
        except OSError:
            raise exc from None
        note = f"已在 {path.relative_to(job.folder) if path.is_relative_to(job.folder) else path} 中用红色标出"
        if len(issues) > 1:
            note += "；运行 officekit validate 可列出全部问题"
        error = WorkbookError(
            workbook.describe(job.workbook, issues, note), sheet=exc.sheet, cell=exc.cell
        )
        error.issues = issues  # type: ignore[attr-defined]
        raise error from None
    try:
        marked.unlink(missing_ok=True)  # problems fixed: the old marked copy would mislead
    except OSError:
        book.warnings.append(
            f"{marked} 是上次标出问题的工作簿副本，问题已改好，但它正被打开，未能删除；请关闭后手动删除。"
        )
    return book


def _pdfs(
    job: Job,
    files: list[Path],
    staging: Path,
    result: BuildResult,
    progress: Progress,
    duplex: bool,
    padded: set[Path],
) -> list[tuple[Output, Path]]:
    """A PDF beside each of ``files``: one pool of LibreOffice workers for all of them.

    LibreOffice starts each document of a duplex combined file on a right-hand page; the
    last one gets its blank back page here, so every document has an even page count.
    """
    soffice = export.find_soffice()
    if soffice is None:
        result.pdf_note = export.INSTALL_HINT
        return []
    progress("转换 PDF", 0, len(files))
    work = staging / ".libreoffice"
    work.mkdir(exist_ok=True)
    pairs = [
        (
            _odd_sections_as_next(f, work) if f.with_suffix(".pdf") in padded else f,
            f.with_suffix(".pdf"),
        )
        for f in files
    ]
    try:
        pdfs, fonts = export.convert_pairs(
            pairs, export.Target.pdf(duplex), profile=job.font_profile, soffice=soffice
        )
    except ExportError as exc:
        result.pdf_failure = exc.message
        return []
    result.pdf_note = fonts.note()
    for pdf in pdfs:
        if pdf in padded:
            export.pad_to_even(pdf)
    progress("转换 PDF", len(files), len(files))
    return [
        (Output("PDF", job.output / pdf.relative_to(staging), "pdf", export.page_count(pdf)), pdf)
        for pdf in pdfs
    ]


def _odd_sections_as_next(docx: Path, work: Path) -> Path:
    """The copy of a duplex combined file that LibreOffice converts.

    LibreOffice draws the first page of every "odd page" section about 3.5 mm lower than
    the same page elsewhere (its import gives that page style extra space at the top), so
    the last line pokes out of the text block. A "next page" section whose numbering
    restarts at 1 gets the same blank left page from LibreOffice (page 1 must be a right
    page) without the shift. Word needs "odd page" to do that, so only this copy changes.
    """
    copy = work / f"{len(list(work.iterdir())):05d}.docx"
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == DOCUMENT_XML:
                data = data.replace(b'<w:type w:val="oddPage"/>', b'<w:type w:val="nextPage"/>')
            dst.writestr(item.filename, data)
    return copy


PREVIEW_FOLDER = "预览"


def _previews(
    job: Job,
    files: list[Path],
    staging: Path,
    result: BuildResult,
    progress: Progress,
    pdfs: dict[Path, Path],
) -> list[tuple[Output, Path]]:
    """A PNG of each document's first page under ``预览/``, mirroring the output folders."""
    soffice = export.find_soffice()
    if soffice is None:
        result.warnings.append("没有生成预览图：" + export.INSTALL_HINT)
        return []
    progress("生成预览图", 0, len(files))
    pairs = [
        (f, staging / PREVIEW_FOLDER / f.relative_to(staging).with_suffix(".png")) for f in files
    ]
    work = staging / ".preview-pdf"
    work.mkdir()
    try:
        pngs = export.previews(pairs, work, profile=job.font_profile, pdfs=pdfs, soffice=soffice)
    except ExportError as exc:
        result.warnings.append(f"预览图未能生成：{exc.message}")
        return []
    progress("生成预览图", len(files), len(files))
    return [(Output("预览图", job.output / p.relative_to(staging), "png"), p) for p in pngs]


def _publish(job: Job, staged: list[tuple[Output, Path]], result: BuildResult) -> None:
    """Move staged files into place; remove outputs of the previous build that are gone."""
    manifest = job.output / MANIFEST
    previous: list[str] = []
    if manifest.exists():
        try:
            previous = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = []
    written: list[str] = []
    for output, source in staged:
        output.path.parent.mkdir(parents=True, exist_ok=True)
        relative = output.path.relative_to(job.output).as_posix()
        try:
            os.replace(source, output.path)
        except PermissionError:
            result.failures.append(
                f"{output.path} 正被其他程序（多半是 Word 或 WPS）打开，未能更新；请关闭它后重新生成。"
            )
            written.append(relative)
            continue
        written.append(relative)
        result.outputs.append(output)
    for relative in previous:
        if relative not in written:
            stale = job.output / relative
            try:
                if stale.exists():
                    stale.unlink()
                    result.removed.append(stale)
            except OSError:
                result.warnings.append(f"{stale} 是上次生成、本次已不再需要的文件，但未能删除。")
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(json.dumps(written, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, manifest)
