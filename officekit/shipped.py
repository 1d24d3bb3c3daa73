"""The shipped jobs ``officekit init`` copies: the anti-drug job, the examples, the blank job.

In an installed wheel these files live in ``officekit/_shipped`` (see pyproject.toml);
in a source checkout they are read from the repository root. Every job folder gets the
two double-click scripts of the root.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from officekit.errors import OfficekitError
from officekit.tables import closest

PYTHON_MARKER = ".officekit-python"
# What a build reads; the double-click scripts come with it.
JOB_FILES = [
    "officekit.toml",
    "sheets/禁毒工作数据.xlsx",
    "word_templates/讲话稿.docx",
    "word_templates/责任书.docx",
]
SCRIPTS = ["生成公文.bat", "生成公文.sh"]
FILES = [*JOB_FILES, *SCRIPTS]


@dataclass(frozen=True)
class Example:
    """A job ``officekit init --example`` can make: its folder (relative to the shipped
    root; "" is the root's own job) and what it is, in one line."""

    name: str
    folder: str
    description: str


DEFAULT = "禁毒工作会议"
BLANK = "空白任务"
EXAMPLES = [
    Example(
        DEFAULT,
        "",
        "全县禁毒工作会议：讲话稿（含附件）、每个责任单位一份目标责任书、责任书汇总（不写 --example 时就是它）",
    ),
    Example(
        "会议通知",
        "examples/会议通知",
        "全县安全生产工作会议通知：每个参会单位一份通知，外加汇总打印文件",
    ),
    Example(
        "安全生产责任书",
        "examples/安全生产责任书",
        "安全生产目标责任书：每个单位一份（考核指标表带合计），外加一份列出全部单位的通知",
    ),
    Example(
        "红头通知",
        "examples/红头通知",
        "县禁毒委红头文件：版头（红色发文机关标志、发文字号、红线）、附件、版记；每个主送分组一份",
    ),
    Example(
        BLANK,
        "examples/空白任务",
        "最小的任务：基本信息、一张表、每行一份的文档和一份汇总（同 --blank）",
    ),
]


def shipped_root() -> Path:
    """Folder holding the shipped files: package data first, then the source checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_shipped", package.parent):
        if all((candidate / f).exists() for f in FILES):
            return candidate
    raise OfficekitError("找不到 officekit 自带的示例文件，安装可能不完整；请重新安装 officekit。")


def example(name: str) -> Example:
    """The example called ``name``; an unknown name is refused with the closest one."""
    for known in EXAMPLES:
        if known.name == name:
            return known
    names = [e.name for e in EXAMPLES]
    hint = closest(name, names)
    raise OfficekitError(
        f"没有名为“{name}”的示例{f'（{hint}）' if hint else ''}；"
        f"可用的示例：{'、'.join(names)}（officekit init --list 列出它们的说明）。"
    )


def job_files(chosen: Example, root: Path) -> list[str]:
    """The files of ``chosen`` relative to its folder (its output and caches left out)."""
    if not chosen.folder:
        return list(JOB_FILES)
    folder = root / chosen.folder
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file()
        and not any(
            part.startswith((".", "~$")) or part == "output" for part in p.relative_to(folder).parts
        )
    )


def copy_shipped(folder: Path, *, force: bool = False, name: str = DEFAULT) -> list[Path]:
    """Copy the shipped job ``name`` into ``folder``; refuse to overwrite unless ``force``."""
    chosen = example(name)
    root = shipped_root()
    source = root / chosen.folder if chosen.folder else root
    files = [(source / f, f) for f in job_files(chosen, root)] + [(root / f, f) for f in SCRIPTS]
    folder = Path(folder)
    existing = [folder / f for _, f in files if (folder / f).exists()]
    if existing and not force:
        raise OfficekitError(
            f"{existing[0]} 已存在，未做任何改动；如要用示例文件覆盖，请加 --force，或换一个新文件夹。"
        )
    written = []
    # The double-click scripts of a job folder run the officekit that made it.
    marker = folder / PYTHON_MARKER
    folder.mkdir(parents=True, exist_ok=True)
    marker.write_text(sys.executable + "\n", encoding="utf-8")
    for path, name_in_job in files:
        target = folder / name_in_job
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        if name_in_job.endswith(".sh"):
            target.chmod(0o755)
        written.append(target)
    return written
