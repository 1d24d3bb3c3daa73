"""One build: job → workbook → contexts → rendered .docx → combined print files → PDF.

Everything is written into a staging folder inside the output folder first and moved
into place only when rendering succeeded, so a failed build leaves the previous outputs
intact. A file that cannot be replaced (held open by Word) is reported by name while the
other documents are still updated.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import itertools
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from officekit import changes, context, files, generate, inputs, mergefields, pictures, workbook
from officekit.errors import (
    ExportError,
    JobError,
    OfficekitError,
    OutputError,
    ProblemsError,
    TemplateError,
    WorkbookError,
)
from officekit.gcpause import paused
from officekit.job import DocumentSpec, Job
from officekit.names import UniqueNames, safe_relative
from officekit.render import (
    CompiledTemplate,
    NameRenderer,
    compile_template,
    make_environment,
    render_name,
)
from officekit.sheetcache import SheetCache

if TYPE_CHECKING:  # the checker itself is imported where it runs: mostly in the workers
    from officekit.gongwen.check import Finding, Scope
    from officekit.tables import Table

MANIFEST = ".officekit-manifest.json"
SOURCES = '"sources": '  # the manifest's last line: }, "sources": {…}}
# What the manifest records of an output: its input digest and its format findings (as
# dicts). Tuples, not dicts: ten thousand letters keep twenty thousand of these.
Entry = tuple[str, tuple[dict, ...]]
NO_ENTRY: Entry = ("", ())
# What a build's documents were made from (see _Run.sources): {"sheets": sheet → cache
# key, "shared": document → digest}; empty when not recorded.
Sources = dict[str, dict[str, str]]
DOCUMENT_XML = "word/document.xml"

Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass(slots=True)  # one per letter: ten thousand of them
class Output:
    """One file the build produced."""

    document: str  # the job's document name (讲话稿, 目标责任书, …)
    # The output folder and the file's path in it (and in the staging folder while
    # staged): ten thousand letters' Path objects would take 6 MB, so ``path`` is made
    # when asked for.
    folder: Path
    relative: str
    kind: str  # "docx", "pdf" or "png"
    pages: int | None = None
    unchanged: bool = False  # left in place: the same as the last build would write
    print_file: bool = False  # a file meant for printing (single document, combined volume)

    @property
    def path(self) -> Path:
        return self.folder / self.relative


@dataclass
class BuildResult:
    """What a build made, kept and removed, and what it has to say about it."""

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
    jobs: int | None = None  # worker processes; None: one per core
    force: bool = False  # render everything, even what has not changed
    volume: int | None = None  # letters per combined volume


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
    # No cyclic collection until what lives as long as the build (templates, workbook,
    # the modules imported meanwhile) is frozen (64 collections, 12 ms of a rebuild).
    with paused() as collecting:
        try:
            return _build(job, options, progress=progress, collect=collecting)
        except OSError as exc:
            where = exc.filename or job.output
            raise OutputError(
                f"无法写入 {where}（{exc.strerror or exc}）；请检查输出文件夹是否可写、磁盘是否已满，之前生成的文件未受影响。"
            ) from exc
        finally:
            generate.release_aside()  # a helper forked for checks that never came


def _build(job: Job, options: Options, *, progress: Progress, collect: bool = True) -> BuildResult:
    pdf_mode = options.pdf or job.pdf
    job.output.mkdir(parents=True, exist_ok=True)
    env = make_environment()
    # Templates and workbook are checked before anything is rendered, and every problem
    # found is reported together: a clerk fixes them all in one round.
    problems: list[OfficekitError] = []
    compiled: dict[Path, CompiledTemplate] = {}
    last: list[tuple[dict[str, Entry], Sources]] = []  # the last build's manifest

    def meanwhile(helped: bool) -> None:
        """What does not need the workbook, done while a forked helper reads its changed
        sheets (or before the sheets are read, when none does)."""
        for template_path in dict.fromkeys(d.template for d in job.documents):
            try:
                compiled[template_path] = compile_template(
                    template_path, env, job.font_profile, root=job.folder
                )
            except TemplateError as exc:
                problems.append(exc)
        last.append(_read_manifest(job.output, digests=not options.force))
        rebuild = not options.force and bool(last[0][0])  # a last build, no --force
        if rebuild and cache.missed and (options.jobs or generate.default_jobs()) > 1:
            # A rebuild after a sheet changed writes its few changed letters and their
            # volume here, and checks them aside: that helper gets ready meanwhile.
            generate.prepare_aside(
                [compiled[d.template] for d in job.documents if d.each and d.template in compiled]
            )
        if helped and rebuild:
            # Time to spare: the combiner and the word rules imported now rather than
            # after the sheets. Not in a build that writes everything: its workers do
            # that work, and this process would only hold them.
            import officekit.combine
            import officekit.gongwen.words  # noqa: F401

    progress("读取工作簿", 0, 1)
    cache = SheetCache(job.output, read=not options.force)
    bound: dict[str, CompiledTemplate] = {}  # document → its template read with the book's names
    try:
        book = _load_workbook(job, cache, options.jobs or generate.default_jobs(), meanwhile)
    except WorkbookError as exc:
        problems.insert(0, exc)
    else:  # mail-merge fields: what their names mean is the workbook's to say
        compile_with = partial(compile_template, env=env, profile=job.font_profile, root=job.folder)
        bound = mergefields.bind(
            job.documents, book, compiled, compile_with, job.variables_sheet, problems
        )
    if not last:  # the workbook failed before its sheets were read
        meanwhile(False)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ProblemsError(problems)
    # The workbook and templates live as long as the build: keep them out of the cyclic
    # collector's scans, and out of the pages forked workers would copy when it runs.
    gc.freeze()
    if collect:
        gc.enable()
    result = BuildResult(job=job, warnings=list(book.warnings))
    for template_path in compiled:
        opened = files.open_warning(template_path, files.TEMPLATE)
        if opened:
            result.warnings.append(opened)
    for template in bound.values():
        result.warnings += mergefields.notes(template)
    previous, sources = last[0]
    staging = Path(tempfile.mkdtemp(prefix=".officekit-", dir=job.output))
    try:
        run = _Run(job, options, result, staging, previous, progress, sources, cache)
        run.sources["sheets"] = dict(book.keys)
        for spec in job.documents:
            if spec.each and spec.each not in book.tables:
                raise JobError(
                    f"任务文件 {job.source} 中文档“{spec.name}”按「{spec.each}」表逐行生成，"
                    f"但工作簿没有这张表（现有：{'、'.join(book.tables)}）；请改正 each。"
                )
            run.document(spec, bound.get(spec.name) or compiled[spec.template], book, env)
        for path, found in _check_format(run.full_checks, result, progress):
            relative = path.relative_to(staging).as_posix()
            digest, findings = run.digests[relative]
            run.digests[relative] = (digest, (*findings, *(dataclasses.asdict(f) for f in found)))
        # The staged documents (made only when every one is converted or pictured: ten
        # thousand paths otherwise held for nothing).
        documents = (
            [run.source(o) for o in run.staged] if pdf_mode == "all" or options.preview else []
        )
        if pdf_mode != "none":
            every = pdf_mode != "print"
            to_convert = run.print_files if not every else documents
            to_convert += [d for d in run.kept_docx(every) if run.needs_pdf(d)]
            documents_of = run.documents_of()
            pdfs = _pdfs(job, to_convert, staging, result, progress, run.duplex, run.padded)
            run.staged += [
                dataclasses.replace(
                    o, document=documents_of[Path(o.relative).with_suffix(".docx").as_posix()]
                )
                for o in pdfs
            ]
            run.keep_pdfs(every)
        if options.preview:
            made = {
                run.source(o).with_suffix(".docx"): run.source(o)
                for o in run.staged
                if o.kind == "pdf"
            }
            # Unchanged documents keep their picture; one that has none gets it now.
            wanted = list(documents)
            for output in [o for o in run.kept if o.kind == "docx"]:
                picture = Path(PREVIEW_FOLDER, output.relative).with_suffix(".png").as_posix()
                if (job.output / picture).exists():
                    run.kept.append(Output("预览图", job.output, picture, "png", unchanged=True))
                else:
                    wanted.append(output.path)
            run.staged += _previews(job, wanted, staging, result, progress, made)
        progress("写入输出文件夹", 0, len(run.staged))
        _publish(job, run.staged, result, run.kept, run.digests, run.previous, staging, run.sources)
        cache.commit()
    finally:
        _remove(staging)
    return result


class _Run:
    """The documents of one build: what is rendered, what is kept from the last build."""

    def __init__(
        self,
        job: Job,
        options: Options,
        result: BuildResult,
        staging: Path,
        previous: dict[str, Entry],
        progress: Progress,
        sources_before: Sources | None = None,
        cache: SheetCache | None = None,
    ) -> None:
        self.job = job
        self.options = options
        self.result = result
        self.staging = staging
        self.previous = previous
        self.progress = progress
        self.jobs = options.jobs or generate.default_jobs()
        self.copies = options.copies or job.copies
        self.staged: list[Output] = []  # written into the staging folder (see source)
        self.kept: list[Output] = []  # unchanged outputs left in place
        self.digests: dict[str, Entry] = {}  # what the manifest will record
        self.print_files: list[Path] = []
        self.full_checks: list[tuple[str, Path, Scope]] = []
        self.duplex = False
        self.padded: set[str] = set()  # relative paths of PDFs padded to even pages
        self.names = UniqueNames()
        self._listed: dict[str, frozenset[str]] = {}  # output folder → its names
        # What the documents were made from, recorded with the manifest: each sheet's
        # cache key and, per per-row document, the digest of what all its letters share
        # (see _known_unchanged); and the last build's record of the same, with the
        # sheet cache that still holds the last build's tables.
        self.sources: Sources = {"sheets": {}, "shared": {}}
        self.sources_before: Sources = sources_before or {}
        self.cache = cache

    # -- helpers --------------------------------------------------------------------------

    def source(self, output: Output) -> Path:
        """Where a staged output is until it is published."""
        return self.staging / output.relative

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.job.output).as_posix()

    def _unchanged(self, relative: str, digest: str) -> bool:
        if self.options.force:  # --force: everything is written again
            return False
        before = self.previous.get(relative)
        return before is not None and before[0] == digest and self._exists(relative)

    def _exists(self, relative: str) -> bool:
        """Whether ``relative`` is in the output folder, each folder listed once (a
        rebuild asks for ten thousand letters; a name listed in another form, such as
        another case, only has its document written again)."""
        folder, _, name = relative.rpartition("/")
        names = self._listed.get(folder)
        if names is None:
            try:
                names = frozenset(os.listdir(os.path.join(self.job.output, folder)))
            except OSError:
                names = frozenset()
            self._listed[folder] = names
        return name in names

    def _keep(self, document: str, relative: str, print_file: bool = False) -> None:
        before = self.previous[relative]
        self.kept.append(
            Output(
                document,
                self.job.output,
                relative,
                "docx",
                unchanged=True,
                print_file=print_file,
            )
        )
        self.digests[relative] = before
        self.result.format_findings += [(Path(relative).name, _finding(f)) for f in before[1]]

    def documents_of(self) -> dict[str, str]:
        """Relative .docx path → document name, staged and kept."""
        return {o.relative: o.document for o in [*self.staged, *self.kept]}

    def kept_docx(self, all_documents: bool) -> list[Path]:
        """Unchanged documents whose PDF is wanted (print files, or all)."""
        return [o.path for o in self.kept if o.kind == "docx" and (all_documents or o.print_file)]

    def needs_pdf(self, docx: Path) -> bool:
        """An unchanged document needs converting only when its PDF is missing."""
        return not docx.with_suffix(".pdf").exists()

    def keep_pdfs(self, all_documents: bool) -> None:
        """Unchanged documents keep their PDF when this build did not make a new one."""
        from officekit import export

        made = {o.path for o in self.staged if o.kind == "pdf"}
        names = self.documents_of()
        for docx in self.kept_docx(all_documents):
            pdf = docx.with_suffix(".pdf")
            if pdf.exists() and pdf not in made:
                relative = self._relative(pdf)
                document = names.get(self._relative(docx), "PDF")
                self.kept.append(
                    Output(
                        document,
                        self.job.output,
                        relative,
                        "pdf",
                        export.page_count(pdf),
                        unchanged=True,
                    )
                )

    # -- one document spec ----------------------------------------------------------------

    def document(
        self, spec: DocumentSpec, template: CompiledTemplate, book: workbook.Workbook, env
    ) -> None:
        name_of = render_name(env, spec.output)
        contexts = context.document_contexts(spec, book)
        if not contexts:
            self.result.warnings.append(
                f"「{spec.each}」表没有数据，没有生成任何“{spec.name}”；请在工作簿中填写后重新生成。"
            )
            return
        stamp = ()  # a template placing pictures depends on the picture files too
        if any("pictures" in part.mends for part in template.parts.values()):
            stamp = (pictures.stamp(self.job.folder, self.job.output),)
        base = inputs.template_base(
            spec.template.read_bytes(), self.job.font_profile, spec.output, *stamp
        )
        if spec.each is not None:
            self._render_rows(spec, template, book, contexts, base, name_of)
            return
        members: list[tuple[str | Path, str]] = []  # every document (staged or kept), digest
        first_target: Path | None = None
        for ctx in contexts:
            relative = self.names.take(name_of(ctx), ".docx")
            # A single document (the speech) may read whole tables, so any edit would
            # change its input digest: render it and compare what it says instead.
            parts = template.render(ctx.variables)
            digest = hashlib.sha256(
                base.encode() + b"".join(parts[k] for k in sorted(parts))
            ).hexdigest()
            if self._unchanged(relative, digest):
                self._keep(spec.name, relative, print_file=True)
                members.append((self.job.output / relative, digest))
                continue
            target = self.staging / relative
            template.write(parts, target, title=Path(relative).stem)
            self._stage(spec.name, relative, digest, [])
            members.append((target, digest))
            self.print_files.append(target)
            first_target = first_target or target
        if first_target is not None:
            self.full_checks.append((Path(first_target).name, first_target, "full"))
        if spec.combined:
            self._combined(spec, template, members)

    def _stage(
        self,
        document: str,
        relative: str,
        digest: str,
        words: list[Finding],
        shown_as: str = "",
    ) -> None:
        """Record a document written to the staging folder. Its findings are reported
        under ``shown_as`` (default: its file name)."""
        self.staged.append(Output(document, self.job.output, relative, "docx"))
        # No findings is the common case: one shared empty tuple (it is appended to by
        # rebinding, and json writes it as a list).
        found = tuple(dataclasses.asdict(f) for f in words) if words else ()
        self.digests[relative] = (sys.intern(digest), found)  # see _entry
        self.result.format_findings += [(shown_as or Path(relative).name, f) for f in words]

    def _render_rows(
        self,
        spec: DocumentSpec,
        template: CompiledTemplate,
        book: workbook.Workbook,
        contexts: Sequence[context.DocumentContext],
        base: str,
        name_of: NameRenderer,
    ) -> None:
        """One document per row, and their combined volumes: the workers decide what
        changed and write it, and build each volume as soon as its letters are done."""
        digests = inputs.Digests(book.relations, base)
        used = template.variables()
        relatives = [self.names.take(name, ".docx") for name in name_of.many(contexts)]
        items = generate.Items(contexts, relatives, self.staging)
        indices = items.indices
        table = book.tables[spec.each or ""]
        shared = digests.shared(
            context.base_variables(book), used, {spec.as_name or "行", "编号"}, book.keys
        )
        if shared is not None:
            self.sources["shared"][spec.name] = shared
        known = self._known_unchanged(spec, book, table, indices, relatives, shared)
        volumes = _VolumePlan(self, spec, len(items)) if spec.combined else None
        total = len(items)
        label = f"生成{spec.name}"
        self.progress(label, 0, total)
        outcome = generate.run(
            template,
            items,
            self.jobs,
            lambda done: self.progress(label, done, total),
            digest=lambda item, variables: digests.document(variables, used, item.relative),
            unchanged=self._unchanged,
            volume_size=volumes.size if volumes else 0,
            plan_volume=volumes.plan_letters if volumes else None,
            known=known,
        )
        first: Path | None = None
        for n, index in enumerate(indices):
            done = outcome.done[index]
            if done.findings is None:  # kept: its path is all it needs, no item is made
                self._keep(spec.name, relatives[n])
                continue
            item = items[n]
            # The first document written was checked in full; the others, whose styles,
            # sections and footers are the template's, for their words.
            if first is None:
                first = item.target
                name = Path(item.relative).name
                if len(items) > 1:  # the first letter's layout findings hold for all
                    name = f"{name} 等 {len(items)} 份（同一模板）"
                words = outcome.checks.get(first, [])
                self._stage(spec.name, item.relative, done.digest, words, shown_as=name)
            else:
                self._stage(spec.name, item.relative, done.digest, done.findings)
        if volumes:
            volumes.record(outcome.checks)
        else:
            self.print_files += [self.source(o) for o in self.staged if o.document == spec.name]

    def _known_unchanged(
        self,
        spec: DocumentSpec,
        book: workbook.Workbook,
        table: Table,
        indices: Sequence[int],
        relatives: list[str],
        shared: str | None,
    ) -> dict[int, generate.Done]:
        """The letters whose inputs are the last build's, found without digesting each
        (:mod:`officekit.changes`): they keep the digest the manifest recorded. A rebuild
        after one unit's row changed digests only the letters that row can reach."""
        before = self.sources_before
        if (
            self.options.force
            or shared is None
            or self.cache is None
            or before.get("shared", {}).get(spec.name) != shared
        ):
            return {}
        cache = self.cache
        changed = changes.changed_rows(
            book.tables,
            book.relations,
            book.keys,
            before.get("sheets", {}),
            lambda name, key: workbook.stored_table(cache, name, key),
        )
        if changed is None:
            return {}
        reached = changes.reached(book.relations, book.tables, changed, table, inputs.DEPTH)
        known: dict[int, generate.Done] = {}
        for position, relative in enumerate(relatives):  # paths only: no item made
            if position in reached:
                continue
            digest = self.previous.get(relative, NO_ENTRY)[0]
            if digest and self._unchanged(relative, digest):
                index = indices[position]
                known[index] = generate.Done(index, digest, None)
        return known

    def _combined(
        self, spec: DocumentSpec, template: CompiledTemplate, members: list[tuple[str | Path, str]]
    ) -> None:
        """The combined volumes of a single document (its letters are already written)."""
        plan = _VolumePlan(self, spec, len(members))
        size = plan.size
        groups = [members[g * size : (g + 1) * size] for g in range(len(plan.names))]
        planned = [
            plan.plan(g, [d for _, d in group], lambda group=group: [p for p, _ in group])
            for g, group in enumerate(groups)
        ]
        volumes = [v for v in planned if v is not None]
        self.progress("合成打印文件", 0, len(volumes))
        plan.record(generate.build_volumes(template, volumes, self.jobs))
        self.progress("合成打印文件", len(volumes), len(volumes))


class _VolumePlan:
    """The combined volumes of one per-row document: their names (taken before rendering,
    in order), and, as each group of letters is done, whether its volume must be written."""

    def __init__(self, run: _Run, spec: DocumentSpec, count: int) -> None:
        self.run = run
        self.document = spec.name + "（汇总）"
        self.odd = run.job.combined_start(spec, run.options.duplex) == "odd"
        run.duplex = run.duplex or self.odd
        self.size = run.options.volume or run.job.combined_volume or count
        groups = (count + self.size - 1) // self.size
        stem = safe_relative(spec.combined or spec.name)
        self.names = [
            run.names.take(f"{stem}（第{n}册）" if groups > 1 else stem, ".docx")
            for n in range(1, groups + 1)
        ]
        # group → (digest, staged path or None when unchanged); the Volume itself, with
        # its hundred member paths, goes to a worker and is not kept
        self.decided: dict[int, tuple[str, Path | None]] = {}

    def plan_letters(
        self,
        group: int,
        done: list[generate.Done],
        letters: Callable[[], Sequence[generate.Item]],
    ) -> generate.Volume | None:
        """``plan`` for letters just done by the workers: written ones are staged, the
        unchanged ones stay in the output folder."""
        output = self.run.job.output

        def paths() -> list[str | Path]:
            # Paths as strings: a hundred volumes of a hundred may wait for a worker
            return [
                os.path.join(item.folder if d.findings is not None else output, item.relative)
                for item, d in zip(letters(), done, strict=True)
            ]

        return self.plan(group, [d.digest for d in done], paths)

    def plan(
        self, group: int, digests: list[str], paths: Callable[[], Sequence[str | Path]]
    ) -> generate.Volume | None:
        """The volume of the letters with ``digests`` (their ``paths`` asked for only when
        it must be written), or None when unchanged."""
        run = self.run
        digest = hashlib.sha256(repr((self.odd, run.copies, digests)).encode()).hexdigest()
        relative = self.names[group]
        volume = None
        if not run._unchanged(relative, digest):
            # Volumes are made alike: the first one written is checked for its sections.
            first = not any(v is not None for _, v in self.decided.values())
            volume = generate.Volume(
                run.staging / relative,
                Path(relative).stem,
                tuple(paths()),
                run.copies,
                "oddPage" if self.odd else "nextPage",
                check=first,
            )
        self.decided[group] = (digest, volume.target if volume else None)
        return volume

    def record(self, checks: dict[Path, list[Finding]]) -> None:
        """Stage or keep each volume, in order, once the run is over."""
        run = self.run
        for group, relative in enumerate(self.names):
            digest, staged = self.decided[group]
            if self.odd:
                run.padded.add(Path(relative).with_suffix(".pdf").as_posix())
            if staged is None:
                run._keep(self.document, relative, print_file=True)
                continue
            run._stage(self.document, relative, digest, checks.get(staged, []))
            run.print_files.append(staged)


def _check_format(
    files: list[tuple[str, Path, Scope]], result: BuildResult, progress: Progress
) -> list[tuple[Path, list[Finding]]]:
    """Run the GB/T 9704 checker on the staged files that need the package checked: the
    first document of each template in full, combined files for their sections and page
    numbering. (Every other document had its words checked as it was rendered.)"""
    checked: list[tuple[Path, list[Finding]]] = []
    if not files:  # a rebuild that changed only letters: the checker is not imported
        return checked
    from officekit.gongwen.check import check_docx

    for done, (name, path, scope) in enumerate(files, start=1):
        progress("检查公文格式", done - 1, len(files))
        report = check_docx(path, scope=scope)
        result.format_findings += [(name, finding) for finding in report.findings]
        checked.append((path, report.findings))
    progress("检查公文格式", len(files), len(files))
    return checked


def _load_workbook(
    job: Job,
    cache: SheetCache | None = None,
    jobs: int = 1,
    meanwhile: Callable[[bool], None] | None = None,
) -> workbook.Workbook:
    """Load the workbook (see :func:`workbook.load`); on broken rules also write a copy
    with the bad cells in red."""
    marked = workbook.marked_path(job.workbook, job.output)
    try:
        book = workbook.load(job, cache, jobs, meanwhile)
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
    padded: set[str],
) -> list[Output]:
    """A PDF for each of ``files`` (staged, or unchanged in the output folder), written into
    the staging folder: one pool of LibreOffice workers for all of them.

    LibreOffice starts each document of a duplex combined file on a right-hand page; the
    last one gets its blank back page here, so every document has an even page count.
    """
    # Imported when PDFs are made: a --no-pdf build (or a rebuild) does not pay for it.
    from officekit import export

    soffice = export.find_soffice()
    if soffice is None:
        result.pdf_note = export.INSTALL_HINT
        return []
    progress("转换 PDF", 0, len(files))
    work = staging / ".libreoffice"
    work.mkdir(exist_ok=True)
    pairs = []
    for f in files:
        root = staging if f.is_relative_to(staging) else job.output
        relative = f.relative_to(root).with_suffix(".pdf")
        source = _odd_sections_as_next(f, work) if relative.as_posix() in padded else f
        pairs.append((source, staging / relative))
    try:
        pdfs, fonts = export.convert_pairs(
            pairs, export.Target.pdf(duplex), profile=job.font_profile, soffice=soffice
        )
    except ExportError as exc:
        result.pdf_failure = exc.message
        return []
    result.pdf_note = fonts.note()
    for pdf in pdfs:
        if pdf.relative_to(staging).as_posix() in padded:
            export.pad_to_even(pdf)
    progress("转换 PDF", len(files), len(files))
    return [
        Output(
            "PDF", job.output, pdf.relative_to(staging).as_posix(), "pdf", export.page_count(pdf)
        )
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
) -> list[Output]:
    """A PNG of each document's first page under ``预览/``, mirroring the output folders."""
    from officekit import export

    soffice = export.find_soffice()
    if soffice is None:
        result.warnings.append("没有生成预览图：" + export.INSTALL_HINT)
        return []
    progress("生成预览图", 0, len(files))
    pairs = [
        (
            f,
            staging
            / PREVIEW_FOLDER
            / f.relative_to(staging if f.is_relative_to(staging) else job.output).with_suffix(
                ".png"
            ),
        )
        for f in files
    ]
    work = staging / ".preview-pdf"
    work.mkdir()
    try:
        pngs = export.previews(pairs, work, profile=job.font_profile, pdfs=pdfs, soffice=soffice)
    except ExportError as exc:
        result.warnings.append(f"预览图未能生成：{exc.message}")
        return []
    progress("生成预览图", len(files), len(files))
    return [Output("预览图", job.output, p.relative_to(staging).as_posix(), "png") for p in pngs]


def _read_manifest(output: Path, digests: bool = True) -> tuple[dict[str, Entry], Sources]:
    """The last build's outputs (relative path → (digest, findings)) and sources.

    ``digests`` False (--force: nothing is kept, the last outputs are only removed when
    not made again): the paths alone, each with NO_ENTRY (ten thousand digests not held)."""
    path = output / MANIFEST
    try:
        found = _read_manifest_lines(path, digests)
        if found is not None:
            return found
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    if isinstance(data, list):  # written by officekit before incremental builds
        return {str(relative): NO_ENTRY for relative in data}, {}
    if not isinstance(data, dict):
        return {}, {}
    outputs = data.get("outputs", {})
    outputs = outputs if isinstance(outputs, dict) else {}
    entries = {
        sys.intern(str(k)): _entry(v) if digests else NO_ENTRY
        for k, v in outputs.items()
        if isinstance(v, dict)
    }
    return entries, _sources(data.get("sources"))


def _sources(recorded: object) -> Sources:
    """The sources as recorded, or empty when they are not two maps of texts (a
    hand-edited manifest): then every letter is digested."""
    if not isinstance(recorded, dict):
        return {}
    found: Sources = {}
    for part in ("sheets", "shared"):
        value = recorded.get(part)
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return {}
        found[part] = value
    return found


def _entry(recorded: dict) -> Entry:
    """A manifest entry as recorded ({"digest", "findings"}) → (digest, findings).

    Paths and digests are interned, as this build's are (UniqueNames, _stage): a build of
    ten thousand letters then holds each once, not once from the manifest and once anew."""
    return sys.intern(str(recorded.get("digest", ""))), tuple(recorded.get("findings") or ())


def _write_manifest(output: Path, written: dict[str, Entry], sources: Sources) -> None:
    """Record the outputs and their digests, one output a line (read back line by line),
    each encoded by json's C encoder (indent= would use the slow Python one and build the
    whole text piece by piece: ten thousand letters); the sources on the last line."""
    manifest = output / MANIFEST
    tmp = manifest.with_suffix(".tmp")
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per call
    with tmp.open("w", encoding="utf-8") as out:
        out.write('{"version": 2, "outputs": {')
        for n, (k, (digest, findings)) in enumerate(written.items()):
            out.write(",\n " if n else "\n ")
            if not findings and (digest.isalnum() or not digest):
                # The common entry, written as json.dumps writes it, without building it
                value = f'{{"digest": "{digest}", "findings": []}}'
            else:
                value = encode({"digest": digest, "findings": list(findings)})
            out.write(f"{encode(k)}: {value}")
        out.write(f"\n}}, {SOURCES}{encode(sources)}}}\n")
    os.replace(tmp, manifest)


# A manifest line with no escapes in its path, a digest of letters and digits and no
# findings: read without the JSON decoder (ten thousand of them).
_PLAIN_ENTRY = re.compile(r'"([^"\\\x00-\x1f]*)": \{"digest": "([0-9A-Za-z]*)", "findings": \[\]\}')


def _read_manifest_lines(
    path: Path, digests: bool = True
) -> tuple[dict[str, Entry], Sources] | None:
    """The manifest as ``_publish`` writes it, one output a line, read line by line (a
    whole-file parse holds a dict per output at once: ten thousand letters); None when it
    is not in that shape."""
    found: dict[str, Entry] = {}
    sources: Sources = {}
    decode = json.JSONDecoder().raw_decode
    with path.open(encoding="utf-8") as lines:
        if next(lines, "").rstrip("\n") != '{"version": 2, "outputs": {':
            return None
        for line in lines:
            line = line.strip().removesuffix(",")
            if line in ("}}", ""):
                continue
            if line.startswith("}, " + SOURCES):  # the last line
                try:
                    sources = _sources(decode(line, len("}, " + SOURCES))[0])
                except ValueError:
                    return None
                continue
            plain = _PLAIN_ENTRY.fullmatch(line)
            if plain is not None:  # the common line, as _write_manifest writes it
                found[sys.intern(plain[1])] = (sys.intern(plain[2]), ()) if digests else NO_ENTRY
                continue
            try:
                key, end = decode(line)
                if line[end : end + 2] != ": ":
                    return None
                value, _ = decode(line, end + 2)
            except ValueError:
                return None
            if not isinstance(key, str) or not isinstance(value, dict):
                return None
            found[sys.intern(key)] = _entry(value) if digests else NO_ENTRY
    return found, sources


def _finding(recorded: dict) -> Finding:
    """A finding as the last build's manifest recorded it."""
    from officekit.gongwen.check import Finding

    return Finding(**recorded)


# Inside the staging folder: the files this build replaced, deleted with it.
REPLACED = ".replaced"


def _move_in(source: Path, target: Path, aside: Path) -> None:
    """Put ``source`` at ``target``, the file it replaces moved to ``aside`` first.

    Renaming over an existing file makes ext4 flush the new file and free the old one's
    blocks inside the rename: 1,000 letters took 0.13 s, against 0.045 s moved in two
    steps and their old files deleted together (:func:`_remove`). A file Word holds open
    cannot be moved on Windows: the PermissionError reaches the caller, nothing moved.
    """
    try:
        os.rename(target, aside)
    except FileNotFoundError:
        os.replace(source, target)
        return
    try:
        os.replace(source, target)
    except OSError:
        os.rename(aside, target)  # the old file back where it was
        raise


_FEW = 16  # replaced files deleted without threads


def _remove(staging: Path) -> None:
    """Delete the staging folder; the files this build replaced in a few threads, since
    unlinking on a disk mounted with ``discard`` waits on the device. Their paths are
    handed over a short queue as the folders are walked: ten thousand letters' paths are
    never held at once."""
    found = _files(str(staging / REPLACED))
    first = list(itertools.islice(found, _FEW))
    if len(first) < _FEW:  # a rebuild's one letter and volume: no threads for those
        for path in first:
            _unlink(path)
        shutil.rmtree(staging, ignore_errors=True)
        return
    import queue
    import threading

    paths: queue.Queue[str | None] = queue.Queue(maxsize=256)

    def unlink() -> None:
        while (path := paths.get()) is not None:
            _unlink(path)

    threads = [threading.Thread(target=unlink, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for path in itertools.chain(first, found):
            paths.put(path)
    finally:
        for _ in threads:
            paths.put(None)
        for thread in threads:
            thread.join()
    shutil.rmtree(staging, ignore_errors=True)


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _files(folder: str) -> Iterator[str]:
    """Paths of the files under ``folder``, as strings, as they are found."""
    try:
        entries = os.scandir(folder)
    except OSError:
        return
    with entries:  # files already handed out may be unlinked meanwhile: POSIX allows it
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _files(entry.path)
            else:
                yield entry.path


# A folder of at least this many new files, holding nothing else the build keeps, is
# moved into place whole (two renames instead of two per file).
SWAP_FOLDER_FILES = 64


def _swap_folders(
    job: Job,
    staged: list[Output],
    kept: list[Output],
    previous: dict[str, Entry],
    staging: Path,
    replaced: Path,
) -> tuple[set[str], set[str]]:
    """Move whole folders of new files into place: the folders moved so, and the previous
    build's outputs that went aside with their folder (to be deleted).

    A folder qualifies when every file in it is one this build writes or one the last
    build wrote and this one no longer does, it has no subfolders, and nothing in it is
    kept. A folder that cannot be moved (on Windows, a file in it open in Word) is left to
    the per-file moves, which name the file that is held.
    """
    # Counts and the outputs' own path strings only: a path made per letter here would be
    # ten thousand new strings, outliving the build's peak in the allocator's arenas.
    count: dict[str, int] = {}
    for output in staged:
        folder = output.relative.rpartition("/")[0]
        if folder:
            count[folder] = count.get(folder, 0) + 1
    ours = {output.relative for output in staged}
    busy = {o.relative.rpartition("/")[0] for o in kept}
    swapped: set[str] = set()
    gone: set[str] = set()
    for n, (folder, staged_here) in enumerate(count.items()):
        if staged_here < SWAP_FOLDER_FILES or folder in busy:
            continue
        source, target = staging / folder, job.output / folder
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            continue  # the clerk's link to a folder elsewhere stays a link
        prefix = folder + "/"
        try:
            # Streamed, not listed: ten thousand letters in one folder.
            entries = written = 0
            for entry in os.scandir(source):
                entries += 1
                written += entry.is_file() and prefix + entry.name in ours
            if written != staged_here or entries != written:
                continue
            if target.is_dir() and any(
                e.is_dir() or (prefix + e.name not in ours and prefix + e.name not in previous)
                for e in os.scandir(target)
            ):
                continue  # a clerk's own file, or a subfolder: file by file
        except OSError:
            continue
        aside = replaced / f"folder{n}"
        try:
            if target.exists():
                os.rename(target, aside)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        try:
            os.rename(source, target)
        except OSError:
            if aside.exists():
                os.rename(aside, target)  # the old folder back where it was
            continue
        swapped.add(folder)
        gone |= {
            r
            for r in previous
            if r.startswith(prefix)
            and "/" not in r[len(prefix) :]
            and r not in ours
            and os.path.exists(os.path.join(aside, r[len(prefix) :]))
        }
    return swapped, gone


def _publish(
    job: Job,
    staged: list[Output],
    result: BuildResult,
    kept: list[Output],
    digests: dict[str, Entry],
    previous: dict[str, Entry],
    staging: Path,
    sources: Sources,
) -> None:
    """Move staged files into place; remove outputs of the previous build (``previous``:
    its manifest) that are gone; record what was written, with the digests the next build
    compares against."""
    written: dict[str, Entry] = {}
    folders: set[Path] = set()
    replaced = staging / REPLACED
    replaced.mkdir()
    swapped, gone = _swap_folders(job, staged, kept, previous, staging, replaced)
    for n, output in enumerate(staged):
        relative = output.relative
        if relative.rpartition("/")[0] in swapped:  # its whole folder was moved in
            written[relative] = digests.get(relative, NO_ENTRY)
            result.outputs.append(output)
            continue
        target = job.output / relative
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        try:
            _move_in(staging / relative, target, replaced / str(n))
        except PermissionError:
            result.failures.append(
                f"{target} 正被其他程序（多半是 Word 或 WPS）打开，未能更新；请关闭它后重新生成。"
            )
            # Not updated: the next build must not take the old file for the new one.
            written[relative] = NO_ENTRY
            continue
        written[relative] = digests.get(relative, NO_ENTRY)
        result.outputs.append(output)
    for output in kept:
        relative = output.relative
        written[relative] = digests.get(relative, previous.get(relative, NO_ENTRY))
        result.outputs.append(output)
    for relative in previous:
        if relative not in written:
            stale = job.output / relative
            if relative in gone:  # moved aside with its folder, deleted with the staging
                result.removed.append(stale)
                continue
            try:
                if stale.exists():
                    stale.unlink()
                    result.removed.append(stale)
            except OSError:
                result.warnings.append(f"{stale} 是上次生成、本次已不再需要的文件，但未能删除。")
    _write_manifest(job.output, written, sources)
