"""The shipped example job (workbook, templates, job file, double-click scripts).

In an installed wheel these files live in ``officekit/_shipped`` (see pyproject.toml);
in a source checkout they are read from the repository root.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from officekit.errors import OfficekitError

PYTHON_MARKER = ".officekit-python"
# What a build reads; the double-click scripts come with it.
JOB_FILES = [
    "officekit.toml",
    "sheets/禁毒工作数据.xlsx",
    "word_templates/讲话稿.docx",
    "word_templates/责任书.docx",
]
FILES = [*JOB_FILES, "生成公文.bat", "生成公文.sh"]


def shipped_root() -> Path:
    """Folder holding the shipped files: package data first, then the source checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_shipped", package.parent):
        if all((candidate / f).exists() for f in FILES):
            return candidate
    raise OfficekitError("找不到 officekit 自带的示例文件，安装可能不完整；请重新安装 officekit。")


def copy_shipped(folder: Path, *, force: bool = False) -> list[Path]:
    """Copy the shipped job into ``folder``; refuse to overwrite unless ``force``."""
    root = shipped_root()
    folder = Path(folder)
    existing = [folder / f for f in FILES if (folder / f).exists()]
    if existing and not force:
        raise OfficekitError(
            f"{existing[0]} 已存在，未做任何改动；如要用示例文件覆盖，请加 --force，或换一个新文件夹。"
        )
    written = []
    # The double-click scripts of a job folder run the officekit that made it.
    marker = folder / PYTHON_MARKER
    folder.mkdir(parents=True, exist_ok=True)
    marker.write_text(sys.executable + "\n", encoding="utf-8")
    for name in FILES:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / name, target)
        if name.endswith(".sh"):
            target.chmod(0o755)
        written.append(target)
    return written
