"""Benchmark: letters per second at 10 … 10,000 units, against the usual ways of doing it.

For each size N a synthetic job of N units is built from the shipped one
(bench/synthetic.py), and in the same run:

- officekit: ``build`` of the job (docx only: workbook, rendering, writing, format check,
  combined volumes), with ``--jobs 1`` and ``--jobs 2``;
- naive docxtpl: a new ``DocxTemplate`` per letter, rendered with autoescape on, saved;
- docx-mailmerge2: a new ``MailMerge`` per letter on an equivalent MERGEFIELD template
  (the same letter with its unit values and assessment table as merge fields), saved.

The peers render the same letters from the same contexts and are timed on a sample of
min(N, 300) letters, cycled to at least 100 renders (their cost per letter does not
depend on N). Prints ms per letter,
the ratios, officekit's scaling from 100 to 10,000, peak memory (RSS of the build
process and its workers), the speedup of ``--jobs 2`` over ``--jobs 1``, and an
incremental rebuild after one unit's row changes. Not a test: nothing here asserts a time.

This machine is shared: builds are repeated (``--repeat``, alternating ``--jobs 1`` and
``--jobs 2``) and the fastest counts, and the run first measures how much faster two
processes do pure-Python work than one right now, the ceiling of any ``--jobs 2`` speedup.

Run: pip install -e ".[bench]" && python bench/render.py [--sizes 10 100 1000 10000]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import make_job  # noqa: E402

SAMPLE = 300
MIN_RENDERS = 100


def _officekit_build(folder: Path, jobs: int, *extra: str) -> tuple[float, float, str]:
    """Seconds, peak RSS in MiB (process and children) and output of one build."""
    code = (
        "import resource, sys, time\n"
        "from officekit.cli import main\n"
        "sys.argv = ['officekit', 'build', sys.argv[1], '--no-pdf', '--jobs', sys.argv[2], "
        "*sys.argv[3:]]\n"
        "start = time.perf_counter()\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        # VmHWM, not ru_maxrss: on Linux a process started from this (large) benchmark
        # process inherits its high-water mark through fork and exec.
        "own = next(int(x.split()[1]) for x in open('/proc/self/status') if x.startswith('VmHWM'))\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print('BENCH', time.perf_counter() - start, max(own, kids) / 1024, file=sys.stderr)\n"
    )
    # The last build's files written back to disk first: each build is timed on its own,
    # not while the kernel flushes ten thousand files of the one before.
    os.sync()
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(jobs), *extra],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "120"},
        check=True,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("BENCH"))
    _, seconds, mib = line.split()
    return float(seconds), float(mib), done.stdout


def _contexts(folder: Path, count: int) -> list[dict]:
    import gc

    from officekit import context, workbook
    from officekit.job import load_job

    job = load_job(folder)
    book = workbook.load(job)
    spec = next(d for d in job.documents if d.each)
    chosen = [c.variables for c in context.document_contexts(spec, book)][:count]
    # As a build does after loading (build.py): the workbook stays out of the cyclic
    # collector's scans, for officekit and the peers alike.
    gc.freeze()
    return chosen


def officekit_render(folder: Path, items: list[dict], out: Path) -> float:
    """officekit's rendering path on the same contexts as the peers: compile once, then
    render and write each letter."""
    from officekit.render import compile_template, make_environment

    template = compile_template(folder / "word_templates" / "责任书.docx", make_environment())
    start = time.perf_counter()
    for i, variables in enumerate(items):
        template.write(template.render(variables), out / f"ok{i}.docx", title=str(i))
    return time.perf_counter() - start


def naive_docxtpl(folder: Path, items: list[dict], out: Path) -> float:
    from docxtpl import DocxTemplate

    from officekit.render import make_environment

    template = folder / "word_templates" / "责任书.docx"
    env = make_environment()
    start = time.perf_counter()
    for i, variables in enumerate(items):
        doc = DocxTemplate(template)
        doc.render(variables, env, autoescape=True)
        doc.save(out / f"{i}.docx")
    return time.perf_counter() - start


_FIELD = '<w:fldSimple w:instr=" MERGEFIELD {name} "><w:r><w:t>«{name}»</w:t></w:r></w:fldSimple>'


def _mailmerge_template(letter: Path, unit: str, target: Path) -> None:
    """The rendered letter with its unit values as MERGEFIELDs and one merge row in the
    assessment table: the same size and structure as officekit's letter."""
    with zipfile.ZipFile(letter) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    xml = re.sub(
        r"<w:r>(?:(?!</w:r>).)*?<w:t[^>]*>" + re.escape(unit) + r"</w:t></w:r>",
        _FIELD.format(name="单位名称"),
        xml,
    )
    rows = re.findall(r"<w:tr>.*?</w:tr>|<w:tr .*?</w:tr>", xml, re.DOTALL)
    data = [r for r in rows if re.search(r"<w:t[^>]*>\d+</w:t>", r)]
    if data:
        first = data[0]
        cells = re.findall(r"<w:tc>.*?</w:tc>", first, re.DOTALL)
        merged = first
        for cell, name in zip(cells, ["序号", "考核内容", "分值", "评分标准"], strict=False):
            texts = re.sub(r"<w:r>.*?</w:r>", "", cell, flags=re.DOTALL)
            merged = merged.replace(
                cell, texts.replace("</w:p>", _FIELD.format(name=name) + "</w:p>", 1)
            )
        xml = xml.replace(first, merged)
        for row in data[1:]:
            xml = xml.replace(row, "", 1)
    parts["word/document.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)


def docx_mailmerge(folder: Path, items: list[dict], out: Path) -> float:
    from mailmerge import MailMerge

    first_letter = sorted((folder / "output" / "责任书").glob("*.docx"))[0]
    unit = str(items[0]["单位名称"])
    template = out / "mailmerge-template.docx"
    _mailmerge_template(first_letter, unit, template)
    start = time.perf_counter()
    for i, variables in enumerate(items):
        mailmerge_letter(MailMerge, template, variables, out / f"mm{i}.docx")
    return time.perf_counter() - start


def mailmerge_letter(merger: type, template: Path, variables: dict, target: Path) -> None:
    """One letter by docx-mailmerge2 (``merger`` is its MailMerge class) from the MERGEFIELD
    template: the unit's name, and its assessment rows (tests compare officekit with it)."""
    doc = merger(str(template))
    doc.merge(单位名称=str(variables["单位名称"]))
    rows = [
        {
            "序号": str(n),
            "考核内容": str(row.考核内容),
            "分值": str(row.分值),
            "评分标准": str(row.评分标准),
        }
        for n, row in enumerate(variables["单位"].考核指标, start=1)
    ]
    doc.merge_rows("序号", rows)
    doc.write(str(target))


def _change_one_unit(folder: Path, mark: str) -> None:
    import openpyxl

    book = folder / "sheets" / "禁毒工作数据.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["责任单位"]
    value = str(ws.cell(row=2, column=3).value).split("（")[0]
    ws.cell(row=2, column=3).value = f"{value}（{mark}）"
    wb.save(book)


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_ceiling(seconds: float = 1.0) -> float:
    """How much faster two processes do pure-Python work than one on this machine, now:
    the ceiling for any ``--jobs 2`` speedup measured in the same run."""
    import multiprocessing

    n = 1
    while True:  # size the work to about ``seconds`` on one process
        start = time.perf_counter()
        _spin(n)
        if time.perf_counter() - start > seconds / 4:
            break
        n *= 2
    n *= 2
    best_one = best_two = float("inf")
    context = multiprocessing.get_context("fork")
    for _ in range(3):
        start = time.perf_counter()
        _spin(n)
        _spin(n)
        best_one = min(best_one, time.perf_counter() - start)
        with context.Pool(2) as pool:
            start = time.perf_counter()
            pool.map(_spin, [n, n])
            best_two = min(best_two, time.perf_counter() - start)
    return best_one / best_two


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument(
        "--repeat", type=int, default=3, help="builds per setting; the fastest counts"
    )
    args = parser.parse_args()
    # Measured as installed: pip writes officekit's bytecode when it installs it. An
    # editable checkout under PYTHONDONTWRITEBYTECODE (set on some machines) would
    # otherwise compile every changed module from source in every build (~0.07 s).
    compileall.compile_dir(ROOT / "officekit", quiet=1)
    rows = []
    ceiling = machine_ceiling()
    print(f"this machine now: 2 processes do {ceiling:.2f}× the pure-Python work of 1", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        for n in args.sizes:
            folder = make_job(Path(tmp) / f"job{n}", n)
            # The second core of a shared machine comes and goes: measured again per size.
            ceiling = machine_ceiling(0.5)
            # --jobs 1 and --jobs 2 alternate, so a slow spell of a shared machine hits both.
            one = two = float("inf")
            mem1 = mem2 = 0.0
            # 10,000: half a minute each, twice (once, one slow spell decides the speedup)
            for _ in range(max(1, args.repeat if n <= 1000 else min(2, args.repeat))):
                seconds, mib, _ = _officekit_build(folder, 1, "--force")
                one, mem1 = min(one, seconds), max(mem1, mib)
                seconds, mib, _ = _officekit_build(folder, 2, "--force")
                two, mem2 = min(two, seconds), max(mem2, mib)
            again, said = float("inf"), ""
            for attempt in range(max(1, args.repeat)):  # the fastest counts, as above
                _change_one_unit(folder, f"调整{attempt + 1}")
                seconds, _, output = _officekit_build(folder, 2)
                if seconds < again:
                    again, said = seconds, output
            items = _contexts(folder, min(n, SAMPLE))
            # At least MIN_RENDERS renders per timing (ten letters, cycled): a few
            # milliseconds measured once are mostly the timer and the first call.
            items = [items[i % len(items)] for i in range(max(len(items), MIN_RENDERS))]
            out = Path(tmp) / f"peers{n}"
            out.mkdir()
            # As before each build: the builds' files written back first, so the kernel
            # flushing ten thousand letters does not slow whichever render runs meanwhile.
            os.sync()
            # One warm-up pass of each on a few letters (imports, first-call caches).
            for warm in (officekit_render, naive_docxtpl, docx_mailmerge):
                warm(folder, items[:3], out)
            ours = naive = merge = float("inf")
            for _ in range(max(1, args.repeat)):  # interleaved; the fastest of each counts
                ours = min(ours, officekit_render(folder, items, out) / len(items))
                naive = min(naive, naive_docxtpl(folder, items, out) / len(items))
                merge = min(merge, docx_mailmerge(folder, items, out) / len(items))
            updated = re.search(r"(\d+) 份已更新[，,]\s*(\d+) 份未变", said)
            rows.append(
                {
                    "n": n,
                    "jobs1_ms": one / n * 1000,
                    "jobs2_ms": two / n * 1000,
                    "mem1_mib": mem1,
                    "mem2_mib": mem2,
                    "rebuild_s": again,
                    "full_s": two,
                    "rebuild_said": updated.group(0) if updated else "",
                    "render_ms": ours * 1000,
                    "docxtpl_ms": naive * 1000,
                    "mailmerge_ms": merge * 1000,
                    "ceiling": ceiling,
                }
            )
            r = rows[-1]
            print(
                f"N={n:>6}  render path {r['render_ms']:5.2f} ms/letter: docxtpl "
                f"{r['docxtpl_ms']:5.1f} ({r['docxtpl_ms'] / r['render_ms']:.1f}×), mailmerge2 "
                f"{r['mailmerge_ms']:5.1f} ({r['mailmerge_ms'] / r['render_ms']:.1f}×) | whole build "
                f"--jobs 1 {r['jobs1_ms']:5.2f} ms/letter ({r['docxtpl_ms'] / r['jobs1_ms']:.1f}×, "
                f"{r['mailmerge_ms'] / r['jobs1_ms']:.1f}×), --jobs 2 {r['jobs2_ms']:5.2f} "
                f"({one / two:.2f}× faster; machine ceiling now {ceiling:.2f}×) | peak "
                f"{mem1:.0f}/{mem2:.0f} MiB | rebuild "
                f"{again:.2f} s = {again / two:.2f} of full ({r['rebuild_said']})",
                flush=True,
            )
    by_n = {r["n"]: r for r in rows}
    if 100 in by_n and 10000 in by_n:
        a, b = by_n[100], by_n[10000]
        print(
            f"scaling 100 → 10,000 with --jobs 2: {b['jobs2_ms'] / a['jobs2_ms']:.2f}× the time "
            f"per letter, {b['mem2_mib'] / a['mem2_mib']:.2f}× the peak memory"
        )
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    main()
