"""Benchmark: officekit's compile-once rendering against docxtpl's per-document rendering.

Both render the shipped 责任书 template for N units (the shipped units repeated) and
write each .docx. The peer is docxtpl used the usual way (open the template, render,
save, for each document) with the same sandboxed, autoescaping Jinja environment.
Prints time and peak Python memory for each, and the ratios peer / officekit.
Not a test: nothing here asserts a time.

Run: python bench/bench_render.py [--sizes 10 100 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402

from officekit import context, workbook  # noqa: E402
from officekit.job import load_job  # noqa: E402
from officekit.render import compile_template, make_environment  # noqa: E402


def contexts(n: int) -> list[dict]:
    job = load_job(ROOT)
    book = workbook.load(job)
    spec = next(d for d in job.documents if d.each)
    base = [c.variables for c in context.document_contexts(spec, book)]
    return [base[i % len(base)] for i in range(n)]


def run_officekit(template: Path, items: list[dict], out: Path) -> None:
    compiled = compile_template(template, make_environment())
    for i, variables in enumerate(items):
        compiled.write(compiled.render(variables), out / f"{i}.docx")


def run_docxtpl(template: Path, items: list[dict], out: Path) -> None:
    env = make_environment()
    for i, variables in enumerate(items):
        doc = DocxTemplate(template)
        doc.render(variables, env)
        doc.save(out / f"{i}.docx")


def measure(fn, template: Path, items: list[dict]) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        tracemalloc.start()
        start = time.perf_counter()
        fn(template, items, Path(tmp))
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args()
    template = ROOT / "word_templates" / "责任书.docx"
    print(
        f"{'N':>6} {'officekit s':>12} {'docxtpl s':>10} {'time ×':>7} {'officekit MiB':>14} {'docxtpl MiB':>12} {'mem ×':>6}"
    )
    for n in args.sizes:
        items = contexts(n)
        ok_t, ok_m = measure(run_officekit, template, items)
        dt_t, dt_m = measure(run_docxtpl, template, items)
        print(
            f"{n:>6} {ok_t:>12.2f} {dt_t:>10.2f} {dt_t / ok_t:>7.1f} {ok_m:>14.1f} {dt_m:>12.1f} {dt_m / ok_m:>6.1f}"
        )


if __name__ == "__main__":
    main()
