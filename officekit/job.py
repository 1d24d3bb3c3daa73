"""officekit.toml → :class:`Job`: what to read, how to check it, which documents to make.

Keys are English (like pyproject.toml); everything a user reads in the workbook and the
documents stays Chinese. Paths are relative to the folder holding the job file.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from officekit import masthead
from officekit.errors import JobError
from officekit.gongwen import spec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

JOB_FILE = "officekit.toml"

# Column types a job may declare; a trailing "!" makes the column required.
COLUMN_TYPES = ("文本", "数字", "整数", "日期")
PDF_MODES = ("print", "all", "none")
MAX_COPIES = 20


class ColumnRule(NamedTuple):
    """The type a column's cells must have, and whether they may be empty."""

    type: str  # one of COLUMN_TYPES
    required: bool


@dataclass(frozen=True)
class TableRule:
    """Declared shape of one sheet: key column, typed columns, references, allowed values."""

    sheet: str
    key: str | None = None
    columns: dict[str, ColumnRule] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)  # column → target table
    allowed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Column groups whose combined values may appear only once (e.g. 任务编号 + 单位名称).
    unique: tuple[tuple[str, ...], ...] = ()
    # Columns that must hold percentages on rows where ``percent_when`` holds
    # (e.g. 本年数 where 计量单位 is "%"): 96.2 typed for 96.2% is caught.
    percent_columns: tuple[str, ...] = ()
    percent_when: tuple[str, str] | None = None


class SumCheck(NamedTuple):
    """Per ``group``, the sum of ``column`` (kind "sum") or the number of rows (kind
    "count"), among rows matching ``where``, should equal ``equals``; else a warning."""

    table: str
    group: str
    column: str | None
    equals: float
    per: str | None = None  # every row of this table must have a group
    kind: str = "sum"
    where: tuple[tuple[str, str], ...] = ()


class DocumentSpec(NamedTuple):
    """One document, or one per row of ``each``."""

    name: str
    template: Path
    output: str  # name pattern (Jinja), without extension, relative to the output folder
    each: str | None = None
    as_name: str | None = None
    combined: str | None = None
    # Where each document of the combined file starts: "odd" (a right-hand page, for
    # duplex printing; blank pages are inserted as needed) or "page" (the next page);
    # None follows the job's ``duplex``.
    combined_start: str | None = None
    # 版头 and 版记 the engine draws (officekit.masthead): (key, pattern) pairs, or None.
    red_header: tuple[tuple[str, str], ...] | None = None
    imprint: tuple[tuple[str, str], ...] | None = None
    # "gongwen": the template gets the 公文 layout at compile time; "keep": as authored.
    layout: str = "gongwen"


@dataclass(frozen=True)
class Job:
    """A job file (officekit.toml) read and checked: paths resolved, rules typed."""

    folder: Path
    name: str
    workbook: Path
    output: Path
    font_profile: str
    pdf: str
    variables_sheet: str | None
    variable_rules: dict[str, ColumnRule]
    ignore_sheets: tuple[str, ...]
    tables: dict[str, TableRule]
    checks: tuple[SumCheck, ...]
    documents: tuple[DocumentSpec, ...]
    source: Path
    duplex: bool = True  # combined files start each document on a right-hand page
    copies: int = 1  # each document this many times in a combined file
    combined_volume: int = 100  # letters per combined volume (about 400 pages); 0: one file

    def combined_start(self, document: DocumentSpec, duplex: bool | None = None) -> str:
        """ "odd" or "page" for ``document``'s combined file: its own setting, else the
        job's duplex (``duplex`` overrides both, as the command line does)."""
        if duplex is not None:
            return "odd" if duplex else "page"
        if document.combined_start is not None:
            return document.combined_start
        return "odd" if self.duplex else "page"


def _need(table: dict[str, Any], key: str, where: str, source: Path) -> Any:
    if key not in table:
        raise JobError(f"任务文件 {source} 的 [{where}] 缺少 {key}，请补上后重试。")
    return table[key]


def _column_rule(value: str, where: str, source: Path) -> ColumnRule:
    required = value.endswith("!")
    kind = value.rstrip("!")
    if kind not in COLUMN_TYPES:
        raise JobError(
            f"任务文件 {source} 的 {where} 写的类型“{value}”不认识，"
            f"请改为 {'、'.join(COLUMN_TYPES)} 之一（必填的在后面加 !）。"
        )
    return ColumnRule(kind, required)


def _parse_tables(data: dict[str, Any], source: Path) -> dict[str, TableRule]:
    tables: dict[str, TableRule] = {}
    for sheet, raw in data.get("tables", {}).items():
        columns = {
            name: _column_rule(str(kind), f"[tables.{sheet}] 的 {name}", source)
            for name, kind in raw.get("columns", {}).items()
        }
        allowed = {
            col: tuple(str(v) for v in values) for col, values in raw.get("allowed", {}).items()
        }
        percent = raw.get("percent", {})
        when = percent.get("when")
        tables[sheet] = TableRule(
            sheet=sheet,
            key=raw.get("key"),
            columns=columns,
            references=dict(raw.get("references", {})),
            allowed=allowed,
            unique=tuple(tuple(str(c) for c in group) for group in raw.get("unique", [])),
            percent_columns=tuple(str(c) for c in percent.get("columns", [])),
            percent_when=(str(when[0]), str(when[1])) if when else None,
        )
    for rule in tables.values():
        for column, target in rule.references.items():
            if target not in tables:
                raise JobError(
                    f"任务文件 {source} 的 [tables.{rule.sheet}] 中 {column} 引用的表“{target}”"
                    f"没有在 [tables.{target}] 中声明，请先声明它并写明 key。"
                )
            if tables[target].key is None:
                raise JobError(
                    f"任务文件 {source} 的 [tables.{target}] 被引用但没有 key，"
                    '请写明它的唯一列（如 key = "单位名称"）。'
                )
    return tables


LAYOUTS = {"gongwen": "公文格式（默认）", "keep": "按模板原样"}


def _layout(raw: dict[str, Any], where: str, source: Path) -> str:
    layout = str(raw.get("layout", "gongwen"))
    if layout not in LAYOUTS:
        raise JobError(
            f'任务文件 {source} 的 {where} 的 layout = "{layout}" 不认识，'
            '请写 layout = "gongwen"（套用公文格式，默认）或 layout = "keep"（按模板原样）。'
        )
    return layout


def _combined_start(raw: dict[str, Any], where: str, source: Path) -> str | None:
    if "combined_start" not in raw:
        return None
    start = str(raw["combined_start"])
    if start not in ("odd", "page"):
        raise JobError(
            f"任务文件 {source} 的 {where} 中 combined_start“{start}”不认识，"
            "请改为 odd（每份从单页开始，双面打印用）或 page（接着下一页）。"
        )
    return start


def _parse_documents(data: dict[str, Any], folder: Path, source: Path) -> tuple[DocumentSpec, ...]:
    documents = []
    for index, raw in enumerate(data.get("documents", []), start=1):
        where = f"documents 第 {index} 项"
        name = str(_need(raw, "name", where, source))
        template = folder / str(_need(raw, "template", where, source))
        each = raw.get("each")
        documents.append(
            DocumentSpec(
                name=name,
                template=template,
                output=str(raw.get("output", name)),
                each=each,
                as_name=raw.get("as", "行") if each else None,
                combined=raw.get("combined"),
                combined_start=_combined_start(raw, where, source),
                red_header=masthead.parse(raw.get("red_header"), "red_header", where, source),
                imprint=masthead.parse(raw.get("imprint"), "imprint", where, source),
                layout=_layout(raw, where, source),
            )
        )
    if not documents:
        raise JobError(f"任务文件 {source} 没有 [[documents]]，请至少写一个要生成的文档。")
    names = [d.name for d in documents]
    for name in names:
        if names.count(name) > 1:
            raise JobError(f"任务文件 {source} 中文档名“{name}”出现了两次，请改成不同的名字。")
    return tuple(documents)


def _parse_check(raw: dict[str, Any], source: Path) -> SumCheck:
    equals = _need(raw, "equals", "checks", source)
    if isinstance(equals, bool) or not isinstance(equals, (int, float)):
        raise JobError(
            f"任务文件 {source} 的 [[checks]] 中 equals 应为数字，现在是“{equals}”，请改为如 100。"
        )
    kind = str(raw.get("kind", "sum"))
    if kind not in ("sum", "count"):
        raise JobError(
            f"任务文件 {source} 的 [[checks]] 中 kind“{kind}”不认识，请改为 sum 或 count。"
        )
    return SumCheck(
        table=str(_need(raw, "table", "checks", source)),
        group=str(_need(raw, "group", "checks", source)),
        column=str(_need(raw, "column", "checks", source)) if kind == "sum" else None,
        equals=float(equals),
        per=raw.get("per"),
        kind=kind,
        where=tuple((str(k), str(v)) for k, v in raw.get("where", {}).items()),
    )


def load_job(path: Path) -> Job:
    """Read and validate a job file (or the officekit.toml inside a folder)."""
    path = Path(path)
    source = path / JOB_FILE if path.is_dir() else path
    if not source.exists():
        raise JobError(
            f"找不到任务文件 {source}；请在任务文件夹中运行，或先用 officekit init 新建一个任务文件夹。"
        )
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise JobError(f"任务文件 {source} 格式有误（{exc}），请按 TOML 格式改正。") from exc
    folder = source.parent.resolve()
    head = data.get("job", {})
    profile = str(head.get("font_profile", spec.DEFAULT_FONT_PROFILE))
    if profile not in spec.FONT_PROFILES:
        raise JobError(
            f"任务文件 {source} 的 font_profile“{profile}”不认识，"
            f"请改为 {' 或 '.join(spec.FONT_PROFILES)}。"
        )
    pdf = str(head.get("pdf", "print"))
    if pdf not in PDF_MODES:
        raise JobError(f"任务文件 {source} 的 pdf“{pdf}”不认识，请改为 print、all 或 none。")
    duplex = head.get("duplex", True)
    if not isinstance(duplex, bool):
        raise JobError(
            f"任务文件 {source} 的 duplex 应为 true（双面打印，每份从单页开始）或 false，"
            f"现在是“{duplex}”。"
        )
    copies = head.get("copies", 1)
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        raise JobError(
            f"任务文件 {source} 的 copies 应为 1 到 {MAX_COPIES} 的整数（一式两份写 2），"
            f"现在是“{copies}”。"
        )
    volume = head.get("combined_volume", 100)
    if isinstance(volume, bool) or not isinstance(volume, int) or volume < 0:
        raise JobError(
            f"任务文件 {source} 的 combined_volume 应为每册的份数（如 100），0 表示不分册，"
            f"现在是“{volume}”。"
        )
    variables = data.get("variables", {})
    checks = tuple(_parse_check(c, source) for c in data.get("checks", []))
    return Job(
        folder=folder,
        name=str(head.get("name", folder.name)),
        workbook=folder / str(_need(head, "workbook", "job", source)),
        output=folder / str(head.get("output", "output")),
        font_profile=profile,
        pdf=pdf,
        duplex=duplex,
        copies=copies,
        combined_volume=volume,
        variables_sheet=variables.get("sheet"),
        variable_rules={
            name: _column_rule(str(kind), f"[variables] 中 items 的 {name}", source)
            for name, kind in variables.get("items", {}).items()
        },
        ignore_sheets=tuple(data.get("ignore_sheets", ["说明"])),
        tables=_parse_tables(data, source),
        checks=checks,
        documents=_parse_documents(data, folder, source),
        source=source,
    )
