"""PDF conversion with LibreOffice (many files per process, one profile per worker).

On Linux the licensed 公文 typefaces are usually missing; a fonts.conf maps each name to
a free stand-in (fontconfig ``accept`` keeps a really installed font first) and the PDF
records which names were substituted.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from officekit.errors import ExportError
from officekit.gongwen import spec

# Typeface kind → free stand-ins, best first (Debian package in the comment).
STAND_INS: dict[str, list[str]] = {
    "仿宋": ["FandolFang"],  # texlive-lang-chinese
    "楷体": ["AR PL UKai CN", "LXGW WenKai"],  # fonts-arphic-ukai, fonts-lxgw-wenkai
    "黑体": ["Noto Sans CJK SC"],  # fonts-noto-cjk
    "宋体": ["Noto Serif CJK SC"],  # fonts-noto-cjk
    "小标宋": ["Noto Serif CJK SC Black", "Noto Serif CJK SC"],  # fonts-noto-cjk-extra
}
FONT_DIRS = [Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")]
INSTALL_HINT = (
    "未找到 LibreOffice，已生成 .docx 但没有 PDF；"
    "如需 PDF，请安装 LibreOffice（Windows/macOS 从 libreoffice.org 下载，"
    "Debian/Ubuntu 执行 sudo apt-get install libreoffice-writer）后重新生成。"
)


def find_soffice() -> Path | None:
    """LibreOffice's ``soffice`` on PATH or in its usual install folders."""
    env = os.environ.get("OFFICEKIT_SOFFICE")
    if env and Path(env).exists():
        return Path(env)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    candidates: list[Path] = []
    system = platform.system()
    if system == "Windows":
        for base in (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)")):  # noqa: SIM112
            if base:
                candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    elif system == "Darwin":
        candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    else:
        candidates += [
            Path("/usr/lib/libreoffice/program/soffice"),
            Path("/opt/libreoffice/program/soffice"),
        ]
    return next((c for c in candidates if c.exists()), None)


@dataclass
class FontSetup:
    """A fonts.conf for LibreOffice and what it substitutes."""

    config: Path | None
    substituted: dict[str, str] = field(default_factory=dict)  # name in file → stand-in

    def note(self) -> str:
        if not self.substituted:
            return ""
        pairs = "、".join(f"{a}→{b}" for a, b in self.substituted.items())
        return f"预览用替代字体：{pairs}（正式印刷请在装有这些字体的电脑上转换）"


def _fc_families() -> set[str]:
    try:
        out = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    families: set[str] = set()
    for line in out.splitlines():
        families.update(part.strip() for part in line.split(","))
    return families


def font_setup(workdir: Path, profile: str) -> FontSetup:
    """Write a fonts.conf with stand-ins for the profile's names (Linux/macOS only)."""
    if platform.system() == "Windows" or shutil.which("fc-list") is None:
        return FontSetup(None)
    installed = _fc_families()
    for folder in FONT_DIRS:
        if folder.exists():
            installed |= {p.stem.split("-")[0] for p in folder.glob("*.otf")}
    aliases = []
    substituted: dict[str, str] = {}
    for face, name in spec.FONT_PROFILES[profile].items():
        if name in installed:
            continue
        stand_in = next((s for s in STAND_INS[face] if s in installed), None)
        if stand_in is None:
            continue
        substituted[name] = stand_in
        aliases.append(
            f'  <alias binding="strong"><family>{escape(name)}</family>'
            f"<accept><family>{escape(stand_in)}</family></accept></alias>"
        )
    dirs = "".join(f"  <dir>{escape(str(d))}</dir>\n" for d in FONT_DIRS if d.exists())
    system_conf = "/etc/fonts/fonts.conf"
    include = f'  <include ignore_missing="yes">{system_conf}</include>\n'
    config = workdir / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        + include
        + dirs
        + "\n".join(aliases)
        + f"\n  <cachedir>{escape(str(workdir / 'fc-cache'))}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return FontSetup(config, substituted)


def _convert_batch(
    soffice: Path,
    files: list[Path],
    outdir: Path,
    profile_dir: Path,
    env: dict[str, str],
    timeout: int,
    keep_blank_pages: bool,
) -> None:
    skip = "false" if keep_blank_pages else "true"
    command = [
        str(soffice),
        f"-env:UserInstallation={profile_dir.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        # LibreOffice inserts a blank page wherever numbering restarts at 1 on a left page:
        # wanted for duplex print files (each letter on a right page), not otherwise.
        "pdf:writer_pdf_Export:"
        + json.dumps({"IsSkipEmptyPages": {"type": "boolean", "value": skip}}),
        "--outdir",
        str(outdir),
        *[str(f) for f in files],
    ]
    try:
        subprocess.run(command, env=env, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ExportError(
            f"LibreOffice 转换 PDF 超时（{timeout} 秒，{len(files)} 个文件）；请关闭其他 LibreOffice 窗口后重试，或用 --no-pdf 只生成 .docx。"
        ) from exc


def to_pdf(
    files: list[Path],
    outdir: Path,
    *,
    profile: str = spec.DEFAULT_FONT_PROFILE,
    workers: int = 2,
    timeout_per_file: int = 60,
    soffice: Path | None = None,
    keep_blank_pages: bool = True,
) -> tuple[list[Path], FontSetup]:
    """Convert ``files`` to PDF in ``outdir``; returns the PDFs (same order) and fonts used.

    ``keep_blank_pages``: keep the blank pages that make each section start on a right-hand
    page (duplex print files); False for single-sided output.
    """
    soffice = soffice or find_soffice()
    if soffice is None:
        raise ExportError(INSTALL_HINT)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="officekit-lo-") as tmp:
        work = Path(tmp)
        fonts = font_setup(work, profile)
        env = dict(os.environ)
        if fonts.config:
            env["FONTCONFIG_FILE"] = str(fonts.config)
        workers = max(1, min(workers, len(files)))
        batches = [files[i::workers] for i in range(workers)]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(
                    _convert_batch,
                    soffice,
                    batch,
                    outdir,
                    work / f"profile{i}",
                    env,
                    120 + timeout_per_file * len(batch),
                    keep_blank_pages,
                )
                for i, batch in enumerate(batches)
                if batch
            ]
            for future in futures:
                future.result()
    pdfs = [outdir / (f.stem + ".pdf") for f in files]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise ExportError(
            f"LibreOffice 没有生成 {'、'.join(missing[:3])}{'等' if len(missing) > 3 else ''}；"
            "请确认 LibreOffice 能正常打开对应的 .docx，或用 --no-pdf 只生成 .docx。"
        )
    if fonts.substituted:
        _mark_substitution(pdfs, fonts.note())
    return pdfs, fonts


def _mark_substitution(pdfs: list[Path], note: str) -> None:
    """Record the stand-in fonts in each PDF's metadata (Keywords)."""
    from pypdf import PdfReader, PdfWriter

    for pdf in pdfs:
        writer = PdfWriter(clone_from=PdfReader(pdf))
        writer.add_metadata({"/Keywords": note, "/Producer": "officekit + LibreOffice"})
        with open(pdf, "wb") as fh:
            writer.write(fh)


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)
