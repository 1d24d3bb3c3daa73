"""Which variables a template uses, and which of them a workbook lacks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from officekit import mergefields, mergenames
from officekit.errors import JobError
from officekit.job import JOB_FILE, load_job
from officekit.render import compile_template
from officekit.tables import closest

# Names the engine provides besides the workbook's.
ENGINE_NAMES = {
    "编号": "引擎：文档序号（逐行生成时）",
    "loop": "Jinja 循环变量",
    "namespace": "Jinja 内置",
}


MERGE_NOTE = (
    "这是 Word/WPS 邮件合并模板：合并域的数据来自 officekit.toml 中 workbook 指定的工作簿"
    "（逐行生成的文档用 each 指定的表，每行一份），Word 里连接的数据源不再使用，生成的文档也不再连接它。"
)


@dataclass
class FieldReport:
    rows: list[tuple[str, str]] = field(default_factory=list)  # (name, where it comes from)
    missing: list[str] = field(default_factory=list)
    note: str = ""  # said under the table (a mail-merge template's data source)


def template_fields(template: Path, workbook: Path | None, job_folder: Path) -> FieldReport:
    """Variables used by ``template``; with ``workbook``, those it does not provide."""
    compiled = compile_template(template)
    merged = mergefields.listed(template)  # Word's merge fields, listed as such
    names = sorted(compiled.variables() - set(merged))
    report = FieldReport(note=MERGE_NOTE if merged else "")
    if workbook is None:
        report.rows = [(n, ENGINE_NAMES.get(n, "")) for n in names]
        report.rows += [(f"«{n}»", "Word 合并域") for n in merged]
        return report
    from officekit import workbook as wb_module

    try:
        job = load_job(job_folder)
    except JobError:
        job = None
    if job is None or not (job_folder / JOB_FILE).exists():
        raise JobError(
            f"对照工作簿需要任务文件（{JOB_FILE}）说明哪张表是变量表；请在任务文件夹中运行，或用 --job 指定。"
        )
    from dataclasses import replace

    job = replace(job, workbook=Path(workbook).resolve())
    book = wb_module.load(job)
    per_row = {
        d.as_name: d.each for d in job.documents if d.each and d.template.name == template.name
    }
    row_columns: set[str] = set()
    for table in per_row.values():
        if table in book.tables:
            row_columns |= set(book.tables[table].columns)
    for name in names:
        if name in book.variables:
            source = f"「{job.variables_sheet}」表的项目"
        elif name in book.tables:
            source = f"「{name}」表（{len(book.tables[name])} 行）"
        elif name in per_row:
            source = f"逐行生成时的「{per_row[name]}」表当前行"
        elif name in row_columns:
            source = "逐行生成时当前行的列"
        elif name in ENGINE_NAMES:
            source = ENGINE_NAMES[name]
        else:
            source = "工作簿中没有"
            report.missing.append(name)
        report.rows.append((name, source))
    spec = next((d for d in job.documents if d.template.name == template.name), None)
    each, as_name = (spec.each, spec.as_name) if spec else (None, None)
    names_of = mergenames.names_for(each, as_name, book, job.variables_sheet or "基本信息")
    for name in merged:
        source = mergenames.describe(name, names_of)
        if source is None:
            hint = closest(name, mergenames.all_names(names_of))
            source = f"合并域：工作簿中没有{f'（{hint}）' if hint else ''}"
            report.missing.append(f"«{name}»")
        report.rows.append((f"«{name}»", source))
    report.rows += _row_columns(compiled, book, per_row, report)
    for table, key in sorted(compiled.constant_lookups()):
        if table in book.tables and book.tables[table].key and book.tables[table].get(key) is None:
            report.rows.append((f'{table}["{key}"]', f"「{table}」表中没有这一行"))
            report.missing.append(f'{table}["{key}"]')
    return report


def _row_columns(compiled, book, per_row: dict[str, str], report: FieldReport) -> list:
    """``行.列`` whose table lacks the column (see officekit.rowfields), as report rows."""
    from officekit.rowfields import unknown_columns

    relations = next((t.relations for t in book.tables.values() if t.relations), None)
    if relations is None:
        return []
    trees = [p.template.environment.parse(p.source) for p in compiled.parts.values()]
    rows = []
    for problem in unknown_columns(trees, relations, per_row):
        hint = f"，{problem.hint}" if problem.hint else ""
        rows.append((problem.expression, f"「{problem.table}」表没有这一列{hint}"))
        report.missing.append(problem.expression)
    return rows
