"""Benchmark: three ways to turn the same .docx files into PDFs with LibreOffice.

1. one LibreOffice process per file (what a script calling ``soffice --convert-to`` in a
   loop does);
2. one LibreOffice process for all files;
3. officekit's pool: one process per core, each with its own profile, files split evenly.

The documents are the shipped job's 目标责任书 letters (built first), repeated under new
names up to ``--count``. All three use the same fonts.conf of stand-in fonts, and every
PDF is checked to exist. Prints seconds per document and throughput ratios. Not a test:
nothing here asserts a time.

Run: python bench/pdf.py [--count 40]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import make_job  # noqa: E402

from officekit import export  # noqa: E402
from officekit.build import build  # noqa: E402
from officekit.fonts import font_setup  # noqa: E402
from officekit.job import load_job  # noqa: E402


def _letters(work: Path, count: int) -> list[Path]:
    job = make_job(work / "job", 33)  # the shipped units
    build(load_job(job), pdf="none")
    letters = sorted((job / "output" / "责任书").glob("*.docx"))
    docs = work / "docs"
    docs.mkdir()
    files = []
    for n in range(count):
        target = docs / f"{n + 1:03d}-{letters[n % len(letters)].stem.split('-', 1)[1]}.docx"
        shutil.copyfile(letters[n % len(letters)], target)
        files.append(target)
    return files


def _soffice_command(soffice: Path, profile: Path, outdir: Path, files: list[Path]) -> list[str]:
    return [
        str(soffice),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *map(str, files),
    ]


def _check(outdir: Path, files: list[Path]) -> None:
    missing = [f.name for f in files if not (outdir / (f.stem + ".pdf")).exists()]
    if missing:
        raise SystemExit(f"missing PDFs: {missing[:3]}")


def per_file(soffice: Path, files: list[Path], work: Path, env: dict[str, str]) -> float:
    outdir = work / "per-file"
    profile = work / "profile-per-file"
    start = time.perf_counter()
    for f in files:
        subprocess.run(
            _soffice_command(soffice, profile, outdir, [f]),
            env=env,
            capture_output=True,
            check=True,
        )
    elapsed = time.perf_counter() - start
    _check(outdir, files)
    return elapsed


def one_call(soffice: Path, files: list[Path], work: Path, env: dict[str, str]) -> float:
    outdir = work / "one-call"
    start = time.perf_counter()
    subprocess.run(
        _soffice_command(soffice, work / "profile-one", outdir, files),
        env=env,
        capture_output=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    _check(outdir, files)
    return elapsed


def pool(soffice: Path, files: list[Path], work: Path, workers: int) -> float:
    outdir = work / f"pool-{workers}"
    start = time.perf_counter()
    export.to_pdf(files, outdir, soffice=soffice, workers=workers)
    elapsed = time.perf_counter() - start
    _check(outdir, files)
    return elapsed


def _warm_up(soffice: Path, files: list[Path], work: Path, env: dict[str, str]) -> None:
    """First LibreOffice start on a machine reads fonts and libraries from disk; do it once
    so no method pays for the cold cache alone."""
    subprocess.run(
        _soffice_command(soffice, work / "profile-warm", work / "warm", files[:1]),
        env=env,
        capture_output=True,
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40, help="documents (default 40)")
    args = parser.parse_args()
    soffice = export.find_soffice()
    if soffice is None:
        raise SystemExit("LibreOffice not found")
    workers = export.default_workers()
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        work = Path(tmp)
        files = _letters(work, args.count)
        env = dict(os.environ)
        fonts = font_setup(work, "GB2312")
        if fonts.config:
            env["FONTCONFIG_FILE"] = str(fonts.config)
        _warm_up(soffice, files, work, env)
        results = {
            "one process per file": per_file(soffice, files, work, env),
            "one process for all files": one_call(soffice, files, work, env),
            f"officekit pool ({workers} workers)": pool(soffice, files, work, workers),
        }
    n = len(files)
    print(f"{n} letters, {os.cpu_count()} cores, LibreOffice {soffice}")
    print(f"{'method':<32} {'seconds':>8} {'s/doc':>7} {'docs/s':>7}")
    for name, seconds in results.items():
        print(f"{name:<32} {seconds:8.1f} {seconds / n:7.3f} {n / seconds:7.2f}")
    per, one, ours = results.values()
    print(f"one call vs one per file: {per / one:.1f}× the throughput")
    print(f"pool vs one call:         {one / ours:.2f}× the throughput")
    print(f"pool vs one per file:     {per / ours:.1f}× the throughput")


if __name__ == "__main__":
    main()
