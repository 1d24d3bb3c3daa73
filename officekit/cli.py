"""The ``officekit`` command: thin wrappers that parse arguments, call the library, print.

Only this module prints errors: one Chinese sentence and an exit code, no traceback
unless ``--debug``.
"""

# No ``from __future__ import annotations`` here: typer reads every command's signature
# at each start, and evaluating string annotations (Annotated[…, typer.Option(…)]) again
# costs 8 ms of every run.
import contextlib
import os
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table as RichTable

from officekit import __version__
from officekit.errors import OfficekitError, OutputError
from officekit.gcpause import paused

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="officekit：用 Excel 工作簿和 Word 模板生成符合 GB/T 9704-2012 的公文。",
)
# No automatic colouring of numbers and paths, no :emoji: codes: the messages colour what
# matters themselves (and the highlighter costs a build 5 ms of regex compiling to print
# two lines, the emoji table 3 ms to import).
console = Console(highlight=False, emoji=False)
err_console = Console(stderr=True, highlight=False, emoji=False)
_state = {"debug": False}


def _fail(exc: OfficekitError) -> None:
    if _state["debug"]:
        raise exc
    for line in exc.message.splitlines():
        err_console.print(f"[bold red]错误：[/]{line}", soft_wrap=True)
    raise typer.Exit(exc.exit_code)


def _interrupted() -> None:
    """Ctrl+C: conversions have killed their LibreOffice and staging folders are gone."""
    if _state["debug"]:
        raise KeyboardInterrupt
    err_console.print("已中断；之前生成的文件未受影响，也没有留下临时文件。")
    raise typer.Exit(130)


def _show_version(value: bool) -> None:
    if value:
        console.print(f"officekit {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    debug: Annotated[
        bool, typer.Option("--debug", help="出错时显示完整的 Python 调用栈。")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", help="显示版本号。", is_eager=True, callback=_show_version),
    ] = False,
) -> None:
    _state["debug"] = debug


@app.command()
def build(
    job: Annotated[Path, typer.Argument(help="任务文件夹（含 officekit.toml）或任务文件。")] = Path(
        "."
    ),
    pdf: Annotated[
        bool, typer.Option("--pdf", help="每份 .docx 旁边都生成 PDF（另有汇总打印 PDF）。")
    ] = False,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="只生成 .docx，不转换 PDF。")] = False,
    all_pdf: Annotated[bool, typer.Option("--all-pdf", hidden=True)] = False,
    duplex: Annotated[
        bool | None,  # noqa: UP045
        typer.Option(
            "--duplex/--simplex",
            help="双面打印：汇总文件中每份从单页（正面）开始，不足处补空白页；--simplex 接着下一页。",
        ),
    ] = None,
    copies: Annotated[
        int | None,  # noqa: UP045
        typer.Option("--copies", min=1, max=20, help="汇总文件中每份重复几份（一式两份写 2）。"),
    ] = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="为每份文档的第一页生成 PNG 预览图（output/预览/）。")
    ] = False,
    jobs: Annotated[
        int | None,  # noqa: UP045
        typer.Option("--jobs", "-j", min=1, help="同时生成的进程数（默认：CPU 核数）。"),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="全部重新生成（默认只重新生成内容有变化的文件）。")
    ] = False,
    volume: Annotated[
        int | None,  # noqa: UP045
        typer.Option("--volume", min=1, help="汇总打印文件每册的份数（份数多时分册）。"),
    ] = None,
) -> None:
    """按任务文件生成全部公文（.docx 和 PDF），最后列出结果。"""
    # The build's modules live as long as it does (build.build keeps the collector off
    # until they are frozen).
    with paused():
        from officekit.build import Options
        from officekit.build import build as run_build
        from officekit.job import load_job

    mode = "none" if no_pdf else ("all" if pdf or all_pdf else None)
    options = Options(
        pdf=mode,
        duplex=duplex,
        copies=copies,
        preview=preview,
        jobs=jobs,
        force=force,
        volume=volume,
    )
    try:
        loaded = load_job(job)
        with _progress_bar() as progress:
            result = run_build(loaded, options=options, progress=progress)
    except OfficekitError as exc:
        _fail(exc)
        return
    except KeyboardInterrupt:
        _interrupted()
    _summary(result)
    if result.failures:
        for failure in result.failures:
            err_console.print(f"[bold red]未更新：[/]{failure}", soft_wrap=True)
        raise typer.Exit(5)
    if result.pdf_failure:
        err_console.print(
            f"[bold red]PDF 未生成：[/]{result.pdf_failure}（.docx 已全部更新）",
            soft_wrap=True,
        )
        raise typer.Exit(6)


@contextlib.contextmanager
def _progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback for the build: a bar that is gone when the build is done, on a
    terminal; nothing where no one watches it (output to a file or a pipe)."""
    if not console.is_terminal:
        yield lambda what, done, total: None
        return
    with Progress(
        # Plain text: a document name with [brackets] is not markup
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=max(total, 1))
            bar.update(tasks[what], completed=done, total=max(total, 1))

        yield progress


def _summary(result) -> None:
    table = RichTable(title=f"{result.job.name}：生成结果", show_lines=False)
    table.add_column("文档")
    table.add_column("文件数", justify="right")
    table.add_column("页数或大小", justify="right")
    groups: dict[tuple[str, str], list] = {}
    for output in result.outputs:
        groups.setdefault((output.document, output.kind), []).append(output)
    for (document, kind), outputs in groups.items():
        if kind == "pdf":
            label = f"{document} PDF" if len(outputs) > 1 else outputs[0].path.name
            size = (
                f"{outputs[0].pages} 页"
                if len(outputs) == 1
                else f"共 {sum(o.pages or 0 for o in outputs)} 页"
            )
        else:
            label = document
            total = 0
            for o in outputs:  # os.path, not a Path per file: ten thousand letters
                with contextlib.suppress(OSError):
                    total += os.path.getsize(os.path.join(o.folder, o.relative))
            size = f"{total / 1024:.0f} KB"
        table.add_row(label, str(len(outputs)), size)
    console.print(table)
    docx = [o for o in result.outputs if o.kind == "docx"]
    kept = sum(o.unchanged for o in docx)
    if kept:
        console.print(
            f"{len(docx) - kept} 份已更新，{kept} 份未变（内容没有变化的文件保留原样；"
            "加 --force 全部重新生成）",
        )
    folder = result.job.output
    console.print(f"输出文件夹：{folder}", soft_wrap=True)
    if result.pdf_note:
        console.print(result.pdf_note, soft_wrap=True)
    if result.removed:
        names = "、".join(p.name for p in result.removed[:3]) + (
            "等" if len(result.removed) > 3 else ""
        )
        console.print(
            f"已删除上次生成、与本次内容不再对应的 {len(result.removed)} 个文件（{names}），以免打印旧文件。",
            soft_wrap=True,
        )
    _format_summary(result.format_findings)
    if result.warnings:
        console.print(f"[yellow]警告 {len(result.warnings)} 条：[/]")
        for warning in result.warnings:
            console.print(f"  · {warning}", soft_wrap=True)
    else:
        console.print("警告：无")


_FORMAT_LINES = 8


def _format_summary(findings) -> None:
    """Format findings of the build, one line per distinct problem with the files it hits."""
    if not findings:
        console.print("公文格式检查（GB/T 9704-2012）：全部符合")
        return
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for name, finding in findings:
        key = (finding.severity, finding.rule, finding.message)
        grouped.setdefault(key, []).append(f"{name} {finding.where}")
    errors = sum(1 for key in grouped if key[0] == "error")
    console.print(
        f"[yellow]公文格式检查（GB/T 9704-2012）：{errors} 类错误、{len(grouped) - errors} 类提醒[/]"
    )
    for (severity, rule, message), places in list(grouped.items())[:_FORMAT_LINES]:
        more = f"；共 {len(places)} 份文件" if len(places) > 1 else ""
        console.print(
            f"  · {_SEVERITY_TEXT[severity]} {rule}：{message}（{places[0]}{more}）",
            soft_wrap=True,
        )
    if len(grouped) > _FORMAT_LINES:
        console.print(
            f"  · ……另有 {len(grouped) - _FORMAT_LINES} 类，用 officekit check 查看全部",
        )


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="要新建的任务文件夹。")],
    force: Annotated[bool, typer.Option("--force", help="文件夹已有同名文件时覆盖。")] = False,
) -> None:
    """新建一个任务文件夹：示例工作簿、模板、任务文件和双击脚本。"""
    from officekit.shipped import copy_shipped

    try:
        written = copy_shipped(folder, force=force)
    except OfficekitError as exc:
        _fail(exc)
        return
    for path in written:
        console.print(f"  {path}")
    console.print(f"已新建任务文件夹 {folder}；填好工作簿后运行 officekit build {folder}。")


@app.command()
def fields(
    template: Annotated[Path, typer.Argument(help="Word 模板（.docx）。")],
    workbook: Annotated[
        Path | None, typer.Option("--workbook", "-w", help="对照的工作簿（.xlsx）。")
    ] = None,  # noqa: UP045
    job: Annotated[Path, typer.Option("--job", help="任务文件夹，用于读取表的规则。")] = Path("."),
) -> None:
    """列出模板用到的变量；给出工作簿时，指出工作簿缺少哪些。"""
    from officekit.fields import template_fields

    try:
        report = template_fields(template, workbook, job)
    except OfficekitError as exc:
        _fail(exc)
        return
    table = RichTable(title=f"{template.name} 用到的变量")
    table.add_column("变量")
    table.add_column("来源")
    for name, source in report.rows:
        table.add_row(name, source)
    console.print(table)
    if report.note:
        console.print(report.note)
    if report.missing:
        err_console.print(f"[bold red]工作簿缺少：[/]{'、'.join(report.missing)}")
        raise typer.Exit(3)
    if workbook is not None:
        console.print("工作簿包含模板用到的全部变量。")


@app.command()
def validate(
    workbook: Annotated[
        Path | None,  # noqa: UP045
        typer.Argument(help="要检查的工作簿（.xlsx）；不写时检查任务文件中的工作簿。"),
    ] = None,
    job: Annotated[Path, typer.Option("--job", help="任务文件夹（按其中的规则检查）。")] = Path(
        "."
    ),
    mark: Annotated[
        Path | None,  # noqa: UP045
        typer.Option("--mark", help="另存一份工作簿，把有问题的单元格标红并加批注。"),
    ] = None,
) -> None:
    """检查工作簿：列出所有问题（表、单元格、现在的内容、问题、怎么改）；有问题时退出码 3。"""
    from officekit.job import load_job
    from officekit.workbook import mark_issues
    from officekit.workbook import validate as run_validate

    try:
        result = run_validate(load_job(job), workbook)
    except OfficekitError as exc:
        _fail(exc)
        return
    for warning in result.warnings:
        console.print(f"[yellow]提醒：[/]{warning}", soft_wrap=True)
    if result.error:
        err_console.print(f"[bold red]错误：[/]{result.error}", soft_wrap=True)
        raise typer.Exit(3)
    if result.ok:
        console.print(f"[bold green]✔[/] 工作簿 {result.path.name} 没有发现问题。")
        return
    table = RichTable(
        title=f"{result.path.name}：{len(result.issues)} 处问题", title_justify="left"
    )
    table.add_column("表", no_wrap=True)
    table.add_column("单元格", no_wrap=True)
    table.add_column("现在的内容", overflow="fold", max_width=24)
    table.add_column("问题", overflow="fold")
    table.add_column("怎么改", overflow="fold")
    for issue in result.issues:
        table.add_row(
            issue.sheet,
            issue.cell,
            result.values.get((issue.sheet, issue.cell), ""),
            f"「{issue.header}」{issue.message}",
            issue.hint,
        )
    console.print(table)
    if mark is not None:
        try:
            target = mark_issues(result.path, result.issues, mark.parent, mark)
        except OSError as exc:
            _fail(
                OutputError(f"无法写入 {mark}（{exc.strerror or exc}）；请关闭它或换一个文件名。")
            )
            return
        console.print(f"已把有问题的单元格标红并加批注，另存为 {target}。")
    raise typer.Exit(3)


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="要检查的 .docx 文件（可多个）。")],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果，供程序读取。")] = False,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="再用 LibreOffice 排出页面，实测纸张、版心、行数和页码。")
    ] = False,
    template: Annotated[
        bool, typer.Option("--template", help="检查的是模板：允许 {{ }}、{% %} 标记。")
    ] = False,
) -> None:
    """按 GB/T 9704-2012 检查公文格式：有错误时退出码为 1。"""
    import json

    from officekit.errors import DocumentError
    from officekit.gongwen.check import Report, check_docx
    from officekit.gongwen.pdfcheck import measure_reports

    reports: list[Report] = []
    unreadable: list[tuple[Path, DocumentError]] = []
    for path in files:
        try:
            reports.append(check_docx(path, allow_tags=template))
        except DocumentError as exc:
            if _state["debug"]:
                raise
            unreadable.append((path, exc))
    note = measure_reports(reports) if pdf else ""
    if as_json:
        data = {
            "ok": not unreadable and all(r.ok for r in reports),
            "files": [r.as_dict() for r in reports]
            + [{"path": str(p), "ok": False, "error": e.message} for p, e in unreadable],
            "note": note,
        }
        console.print_json(json.dumps(data, ensure_ascii=False))
    else:
        for report in reports:
            _print_report(report)
        for _, exc in unreadable:
            err_console.print(f"[bold red]错误：[/]{exc.message}", soft_wrap=True)
        if note:
            console.print(f"[yellow]{note}[/]", soft_wrap=True)
    if unreadable:
        raise typer.Exit(unreadable[0][1].exit_code)
    if not all(r.ok for r in reports):
        raise typer.Exit(1)


_SEVERITY_TEXT = {"error": "[bold red]错误[/]", "warning": "[yellow]提醒[/]"}


def _print_report(report) -> None:
    if report.findings:
        table = RichTable(title=str(report.path), title_justify="left", show_lines=False)
        table.add_column("级别", no_wrap=True)
        table.add_column("位置", overflow="fold")
        table.add_column("项目", no_wrap=True)
        table.add_column("问题", overflow="fold")
        for finding in report.findings:
            table.add_row(
                _SEVERITY_TEXT[finding.severity], finding.where, finding.rule, finding.message
            )
        console.print(table)
    mark = "[bold green]✔[/]" if report.ok else "[bold red]✘[/]"
    console.print(f"{mark} {report.verdict()}", soft_wrap=True)


_CHANGE_ROWS = 20


def _print_changes(changes: list, all_changes: bool) -> None:
    """Removed web content line by line (nothing lost silently), then the other changes:
    a count of each kind and the first rows, long lines cut to the changed part."""
    from officekit.gongwen.clean import summary
    from officekit.gongwen.report import COSMETIC, excerpt

    removed = [c for c in changes if c.kind not in COSMETIC]
    if removed:
        table = RichTable(title=f"删除的网页内容（共 {len(removed)} 行）", title_justify="left")
        table.add_column("行", justify="right")
        table.add_column("删除", no_wrap=True)
        table.add_column("原文", overflow="fold")
        table.add_column("保留", overflow="fold")
        for change in removed:
            table.add_row(str(change.line), change.kind, change.before, change.after or "—")
        console.print(table)
    other = [c for c in changes if c.kind in COSMETIC]
    if not other:
        return
    counts = "、".join(f"{kind} {n} 处" for kind, n in summary(other).items())
    # Spaces around a line are counted, not listed: the text itself did not change.
    other = [c for c in other if c.kind not in ("删除行首空格", "删除行尾空格")]
    if not other:
        console.print(f"其他改动：{counts}。")
        return
    table = RichTable(title=f"其他改动（{counts}）", title_justify="left")
    table.add_column("行", justify="right")
    table.add_column("改动", no_wrap=True)
    table.add_column("原文", overflow="fold")
    table.add_column("改为", overflow="fold")
    shown = other if all_changes else other[:_CHANGE_ROWS]
    for change in shown:
        before, after = excerpt(change.before, change.after)
        table.add_row(str(change.line), change.kind, before, after)
    console.print(table)
    if len(shown) < len(other):
        console.print(f"……另有 {len(other) - len(shown)} 处，加 --all 查看全部。")


@app.command()
def typeset(
    source: Annotated[Path, typer.Argument(help="讲话稿草稿：.txt（UTF-8 或 GB18030）或 .docx。")],
    # A str, not a Path: "输出/" (a folder) keeps its trailing slash.
    output: Annotated[
        str | None,  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            help="输出文件或文件夹（一篇讲话时可以是文件，不带 .docx 会自动加上；"
            "多篇讲话时为文件夹）。默认放在草稿旁边。",
        ),
    ] = None,
    profile: Annotated[
        str,
        typer.Option("--fonts", help="字体名方案：GB2312（仿宋_GB2312 等）或 Windows（仿宋 等）。"),
    ] = "GB2312",
    all_changes: Annotated[
        bool, typer.Option("--all", help="列出全部改动（默认只列前 20 处）。")
    ] = False,
) -> None:
    """把粘贴来的讲话稿草稿排成符合 GB/T 9704-2012 的公文 .docx，并报告清理了什么。"""
    from officekit.gongwen.check import check_docx
    from officekit.gongwen.typeset import typeset as run_typeset

    try:
        result = run_typeset(source, output, profile=profile)
    except OfficekitError as exc:
        _fail(exc)
        return
    for path, speech in zip(result.outputs, result.speeches, strict=True):
        levels = [b.role for b in speech.blocks]
        counts = "、".join(
            f"{name} {levels.count(role)} 个"
            for role, name in (("h1", "一级标题"), ("h2", "二级标题"), ("h3", "三级标题"))
            if role in levels
        )
        console.print(f"已生成 {path}（{counts or '无小标题'}）", soft_wrap=True)
    _print_changes(result.changes, all_changes)
    # The same placeholder twice on a line is one thing to check.
    repeats = Counter((n.line, n.kind, n.text, n.hint) for n in result.warnings)
    for (line, kind, text, hint), times in repeats.items():
        more = f"（{times} 处）" if times > 1 else ""
        hint = f"；{hint}" if hint else ""
        console.print(f"[yellow]请核对：[/]第 {line} 行 {kind}“{text}”{more}{hint}", soft_wrap=True)
    # Placeholders were kept on purpose and listed above; any other error is ours.
    failed = False
    for path in result.outputs:
        report = check_docx(path)
        if any(f.rule != "遗留标记" for f in report.findings):
            _print_report(report)
        failed = failed or any(f.rule != "遗留标记" for f in report.errors)
    if failed:
        raise typer.Exit(1)
    if result.warnings:
        console.print("排版格式符合 GB/T 9704-2012；请按上面的提示核对、填写后再印发。")
    else:
        console.print("[bold green]✔[/] 排版结果符合 GB/T 9704-2012 公文格式")


@app.command("pdf")
def pdf_command(
    paths: Annotated[
        list[Path], typer.Argument(help=".docx 文件或文件夹（文件夹中的 .docx 全部转换）。")
    ],
    duplex: Annotated[
        bool,
        typer.Option("--duplex/--simplex", help="保留让每份从单页开始的空白页（双面打印）。"),
    ] = True,
    fonts_profile: Annotated[
        str, typer.Option("--fonts", help="文档用的字体名方案：GB2312 或 Windows。")
    ] = "GB2312",
) -> None:
    """把 .docx 转换为 PDF，放在原文件旁边。"""
    from officekit import export

    try:
        files = export.collect_documents(paths)
        pairs = [(f, f.with_suffix(".pdf")) for f in files]
        with console.status(f"正在转换 {len(files)} 个文件……"):
            pdfs, used = export.convert_pairs(
                pairs, export.Target.pdf(duplex), profile=fonts_profile
            )
    except OfficekitError as exc:
        _fail(exc)
        return
    except KeyboardInterrupt:
        _interrupted()
    table = RichTable(title="PDF", title_justify="left")
    table.add_column("文件", overflow="fold")
    table.add_column("页数", justify="right")
    for path in pdfs:
        table.add_row(str(path), str(export.page_count(path)))
    console.print(table)
    if used.note():
        console.print(used.note(), soft_wrap=True)


@app.command("fonts")
def fonts_command() -> None:
    """列出公文用到的每种字体：是否已安装，转换 PDF 时用什么字体代替。"""
    from officekit import fonts

    installed = fonts.installed_families()
    table = RichTable(title="公文字体", title_justify="left")
    table.add_column("文档中的字体名")
    table.add_column("用于")
    table.add_column("方案")
    table.add_column("已安装")
    table.add_column("转 PDF 时使用")
    missing = False
    for row in fonts.status(installed or set()):
        if installed is None:
            state, used = "由系统决定", "系统中的同名字体"
        elif row.installed:
            state, used = "[green]是[/]", row.name
        else:
            state = "[yellow]否[/]"
            used = row.stand_in or "[red]无可用替代字体[/]"
            missing = missing or row.stand_in is None
        table.add_row(row.name, row.face, "、".join(row.profiles), state, used)
    console.print(table)
    if missing:
        console.print(
            f"有字体没有替代字体；Debian/Ubuntu 可执行 sudo apt-get install {fonts.PACKAGES}。",
        )


def main() -> None:
    """Console-script entry point; makes sure Chinese prints on a Windows console."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8")
    if shutil.get_terminal_size().columns < 60:
        console.width = 100
    try:
        app()
    except KeyboardInterrupt:  # between commands' own handlers, e.g. while printing
        err_console.print("已中断；之前生成的文件未受影响。")
        sys.exit(130)
    except Exception as exc:  # a bug, not a user error: say so in one line
        if _state["debug"]:
            raise
        err_console.print(
            f"[bold red]officekit 内部错误：[/]{type(exc).__name__}: {exc}；"
            "请加 --debug 重新运行，并把输出发给维护人员。",
            soft_wrap=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
