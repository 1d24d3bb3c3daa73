"""LibreOffice conversion (PDF, PNG previews): a pool of workers, many files per process.

Starting LibreOffice costs seconds; converting a letter costs a fraction of one. So files
are split into one batch per worker (as many workers as cores), each worker runs one
LibreOffice with its own profile folder (two instances cannot share one), and each batch
has a timeout. A batch that crashes or times out is retried once in a fresh process and
profile; files still missing after that are reported by name. Every LibreOffice started
here runs in its own process group and is killed when the conversion ends for any reason,
Ctrl+C included, so no soffice.bin is left behind holding files open.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from officekit.errors import ExportError
from officekit.fonts import FontSetup, font_setup
from officekit.gongwen import spec

INSTALL_HINT = (
    "未找到 LibreOffice，已生成 .docx 但没有 PDF；"
    "如需 PDF，请安装 LibreOffice（Windows/macOS 从 libreoffice.org 下载，"
    "Debian/Ubuntu 执行 sudo apt-get install libreoffice-writer）后重新生成。"
)
# Seconds: a batch may take its start-up time plus this much per file.
STARTUP_SECONDS = 120
SECONDS_PER_FILE = 60


def find_soffice() -> Path | None:
    """LibreOffice's ``soffice`` on PATH or in its usual install folders
    (``OFFICEKIT_SOFFICE`` overrides)."""
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
        for var in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"):
            base = os.environ.get(var)
            if base:
                candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    elif system == "Darwin":
        candidates += [
            Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
            Path.home() / "Applications/LibreOffice.app/Contents/MacOS/soffice",
        ]
    else:
        candidates += [
            Path("/usr/lib/libreoffice/program/soffice"),
            Path("/opt/libreoffice/program/soffice"),
            Path("/snap/bin/libreoffice"),
        ]
        candidates += sorted(Path("/opt").glob("libreoffice*/program/soffice"), reverse=True)
    return next((c for c in candidates if c.exists()), None)


def collect_documents(paths: list[Path]) -> list[Path]:
    """The .docx files named, and those inside the folders named (recursively), in order.

    Word's lock files (``~$…``) and officekit's staging folders are skipped.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*.docx")
                if not p.name.startswith("~$")
                and not any(part.startswith(".officekit-") for part in p.parts)
            )
        elif path.is_file() and path.suffix.lower() == ".docx":
            found.append(path)
        elif path.exists():
            raise ExportError(
                f"{path} 不是 .docx 文件，只能转换 .docx（旧的 .doc 请先另存为 .docx）。"
            )
        else:
            raise ExportError(f"找不到 {path}，请检查文件名和所在文件夹。")
    if not found:
        raise ExportError(f"{'、'.join(map(str, paths))} 中没有 .docx 文件。")
    return list(dict.fromkeys(found))


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


# ---- processes --------------------------------------------------------------------------


class _Processes:
    """The LibreOffice processes running now, so they can all be killed at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self.stopping = False

    def start(self, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        with self._lock:
            if self.stopping:
                raise ExportError("转换已取消。")
            # Own process group (own session on POSIX): Ctrl+C in the terminal reaches us,
            # not LibreOffice, and killing the group takes the wrapper script and
            # soffice.bin together.
            group: dict[str, Any] = (
                {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]
                if platform.system() == "Windows"
                else {"start_new_session": True}
            )
            proc = subprocess.Popen(
                command,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                **group,
            )
            self._running.add(proc)
            return proc

    def done(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._running.discard(proc)

    def kill_all(self) -> None:
        with self._lock:
            self.stopping = True
            running = list(self._running)
        for proc in running:
            kill_tree(proc)


def kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """Kill a LibreOffice process and everything it started."""
    if platform.system() == "Windows":
        subprocess.run(
            ["taskkill", "/T", "/F", "/PID", str(proc.pid)],
            capture_output=True,
            check=False,
        )
    else:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


# ---- one batch ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What to convert to: LibreOffice's ``--convert-to`` argument and the file suffix."""

    convert_to: str
    suffix: str

    @classmethod
    def pdf(cls, keep_blank_pages: bool = True) -> Target:
        # LibreOffice inserts a blank page wherever a section must start on a right-hand
        # page: wanted for duplex print files, not for single-sided ones.
        skip = "false" if keep_blank_pages else "true"
        options = json.dumps({"IsSkipEmptyPages": {"type": "boolean", "value": skip}})
        return cls(f"pdf:writer_pdf_Export:{options}", ".pdf")

    @classmethod
    def png(cls) -> Target:
        """The first page as a PNG picture (LibreOffice's image export draws page 1)."""
        return cls("png:writer_png_Export", ".png")


def _run_batch(
    processes: _Processes,
    soffice: Path,
    files: list[Path],
    outdir: Path,
    profile_dir: Path,
    env: dict[str, str],
    target: Target,
) -> bool:
    """One LibreOffice over ``files``, killed when it outlives its timeout (the caller
    sees which outputs are missing). True when it was killed for that."""
    command = [
        str(soffice),
        f"-env:UserInstallation={profile_dir.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        target.convert_to,
        "--outdir",
        str(outdir),
        *[str(f) for f in files],
    ]
    proc = processes.start(command, env)
    try:
        proc.wait(timeout=batch_seconds(len(files)))
    except subprocess.TimeoutExpired:
        kill_tree(proc)
        return True
    finally:
        processes.done(proc)
    return False


def batch_seconds(files: int) -> int:
    """How long one LibreOffice may take over ``files`` files."""
    return STARTUP_SECONDS + SECONDS_PER_FILE * files


def _worker(
    processes: _Processes,
    soffice: Path,
    files: list[Path],
    outdir: Path,
    workdir: Path,
    env: dict[str, str],
    target: Target,
) -> tuple[list[Path], bool]:
    """Convert ``files``; retry what is missing once in a fresh profile. Returns the files
    that still have no output, and whether the last try ran out of time."""
    missing = files
    timed_out = False
    for attempt in range(2):
        profile_dir = Path(tempfile.mkdtemp(prefix=f"profile{attempt}-", dir=workdir))
        timed_out = _run_batch(processes, soffice, missing, outdir, profile_dir, env, target)
        missing = [f for f in missing if not (outdir / (f.stem + target.suffix)).exists()]
        if not missing or processes.stopping:
            break
    return missing, timed_out


# ---- the pool -----------------------------------------------------------------------------


def convert_pairs(
    pairs: list[tuple[Path, Path]],
    target: Target,
    *,
    profile: str = spec.DEFAULT_FONT_PROFILE,
    workers: int | None = None,
    soffice: Path | None = None,
) -> tuple[list[Path], FontSetup]:
    """Convert each (source, destination) pair with one pool of workers for all of them.

    Sources are linked into one folder under numbered names first, so files from many
    folders (and files with the same name) share the pool, and LibreOffice never sees a
    name it dislikes. Returns the destinations and the font substitutions used.
    """
    soffice = soffice or find_soffice()
    if soffice is None:
        raise ExportError(INSTALL_HINT)
    if not pairs:
        return [], FontSetup(None)
    processes = _Processes()
    with tempfile.TemporaryDirectory(prefix="officekit-lo-") as tmp:
        work = Path(tmp)
        inbox, outbox = work / "in", work / "out"
        inbox.mkdir()
        outbox.mkdir()
        staged = []
        for number, (source, _) in enumerate(pairs):
            if not source.is_file():
                raise ExportError(f"找不到要转换的文件 {source}，请检查文件名和所在文件夹。")
            link = inbox / f"{number:05d}{source.suffix.lower()}"
            try:
                os.link(source, link)
            except OSError:
                shutil.copyfile(source, link)
            staged.append(link)
        fonts = font_setup(work, profile)
        env = dict(os.environ)
        if fonts.config:
            env["FONTCONFIG_FILE"] = str(fonts.config)
        # LibreOffice's own temporary files (lu*.tmp) go into the work folder, which is
        # removed whatever happens: a killed conversion leaves none in the user's TEMP.
        scratch = work / "tmp"
        scratch.mkdir(exist_ok=True)
        env.update(TMPDIR=str(scratch), TMP=str(scratch), TEMP=str(scratch))
        count = max(1, min(workers or default_workers(), len(staged)))
        # Interleaved, so a large combined file and small letters spread over the workers.
        batches = [staged[i::count] for i in range(count)]
        failed: list[Path] = []
        timed_out: list[Path] = []
        pool = ThreadPoolExecutor(max_workers=count)
        try:
            futures = [
                pool.submit(_worker, processes, soffice, batch, outbox, work, env, target)
                for batch in batches
            ]
            for future in futures:
                missing, late = future.result()
                failed += missing
                timed_out += missing if late else []
        except BaseException:
            # Ctrl+C or an error: no LibreOffice may outlive the conversion.
            processes.kill_all()
            raise
        finally:
            pool.shutdown(wait=True)
            processes.kill_all()
        if failed:
            raise _failure(pairs, failed, timed_out)
        outputs = []
        for link, (_, destination) in zip(staged, pairs, strict=True):
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(outbox / (link.stem + target.suffix)), destination)
            outputs.append(destination)
    if target.suffix == ".pdf" and fonts.substituted:
        _mark_substitution(outputs, fonts.note())
    return outputs, fonts


def _failure(
    pairs: list[tuple[Path, Path]], failed: list[Path], timed_out: list[Path]
) -> ExportError:
    """The files LibreOffice could not convert, by name; a hang is told apart from a crash."""

    def named(staged: list[Path]) -> str:
        sources = [pairs[int(f.stem)][0] for f in staged]
        names = "、".join(f.name for f in sources[:5]) + ("等" if len(sources) > 5 else "")
        return f"{names}（共 {len(sources)} 个文件）"

    hint = "请用 LibreOffice 或 Word 打开它们，确认文件没有损坏，或用 --no-pdf 只生成 .docx。"
    if timed_out:
        return ExportError(
            f"LibreOffice 转换 {named(timed_out)} 时两次都超时（限 {STARTUP_SECONDS} 秒"
            f"加每个文件 {SECONDS_PER_FILE} 秒），已结束它启动的进程；{hint}"
        )
    return ExportError(f"LibreOffice 两次都没能转换 {named(failed)}；{hint}")


def convert(
    files: list[Path],
    outdir: Path,
    target: Target,
    *,
    profile: str = spec.DEFAULT_FONT_PROFILE,
    workers: int | None = None,
    soffice: Path | None = None,
) -> tuple[list[Path], FontSetup]:
    """Convert ``files`` into ``outdir`` under their own names (stems must differ)."""
    pairs = [(f, outdir / (f.stem + target.suffix)) for f in files]
    if len({d for _, d in pairs}) != len(pairs):
        raise ValueError("two files would convert to the same output name")
    return convert_pairs(pairs, target, profile=profile, workers=workers, soffice=soffice)


def to_pdf(
    files: list[Path],
    outdir: Path,
    *,
    profile: str = spec.DEFAULT_FONT_PROFILE,
    workers: int | None = None,
    soffice: Path | None = None,
    keep_blank_pages: bool = True,
) -> tuple[list[Path], FontSetup]:
    """Convert ``files`` to PDF in ``outdir``; the PDFs (same order) and the fonts used.

    A PDF made with stand-in fonts says so in its Keywords.
    """
    return convert(
        files,
        outdir,
        Target.pdf(keep_blank_pages),
        profile=profile,
        workers=workers,
        soffice=soffice,
    )


PREVIEW_DPI = 80


def page_png(pdf: Path, png: Path, page: int = 1, dpi: int = PREVIEW_DPI) -> None:
    """Draw one page of ``pdf`` (1-based) as ``png`` with poppler's pdftoppm."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise ExportError("没有 pdftoppm，无法从 PDF 画预览图。")
    png.parent.mkdir(parents=True, exist_ok=True)
    stem = png.with_suffix("")
    subprocess.run(
        [tool, "-f", str(page), "-l", str(page), "-singlefile", "-r", str(dpi), "-png"]
        + [str(pdf), str(stem)],
        capture_output=True,
        check=True,
        timeout=120,
    )


def previews(
    pairs: list[tuple[Path, Path]],
    workdir: Path,
    *,
    profile: str = spec.DEFAULT_FONT_PROFILE,
    pdfs: dict[Path, Path] | None = None,
    soffice: Path | None = None,
) -> list[Path]:
    """A PNG of the first page of each (document, png) pair.

    With poppler's pdftoppm: from the document's PDF (``pdfs`` gives those already made;
    the rest are converted into ``workdir``), which draws exactly what is printed. Without
    it: LibreOffice's own image export, which needs LibreOffice's Draw component.
    """
    pdfs = dict(pdfs or {})
    if shutil.which("pdftoppm") is None:
        outputs, _ = convert_pairs(pairs, Target.png(), profile=profile, soffice=soffice)
        return outputs
    todo = [(doc, workdir / f"{n:05d}.pdf") for n, (doc, _) in enumerate(pairs) if doc not in pdfs]
    made, _ = convert_pairs(todo, Target.pdf(), profile=profile, soffice=soffice)
    pdfs.update({doc: pdf for (doc, _), pdf in zip(todo, made, strict=True)})
    try:
        for doc, png in pairs:
            page_png(pdfs[doc], png)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ExportError(f"预览图未能生成（pdftoppm：{exc}）。") from exc
    return [png for _, png in pairs]


def _mark_substitution(pdfs: list[Path], note: str) -> None:
    """Record the stand-in fonts in each PDF's metadata (Keywords)."""
    from pypdf import PdfReader, PdfWriter

    for pdf in pdfs:
        writer = PdfWriter(clone_from=PdfReader(pdf))
        writer.add_metadata({"/Keywords": note, "/Producer": "officekit + LibreOffice"})
        tmp = pdf.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            writer.write(fh)
        os.replace(tmp, pdf)


def pad_to_even(pdf: Path) -> bool:
    """Append a blank page when ``pdf`` has an odd page count (duplex: the last sheet's
    back stays empty). True when a page was added."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(pdf)
    if len(reader.pages) % 2 == 0:
        return False
    writer = PdfWriter(clone_from=reader)
    last = reader.pages[-1].mediabox
    writer.add_blank_page(width=float(last.width), height=float(last.height))
    tmp = pdf.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        writer.write(fh)
    os.replace(tmp, pdf)
    return True


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)
