"""Mutation testing of the modules users rely on most, one group at a time (not part of CI).

    .venv/bin/pip install -e ".[mutation]"                 # once: mutmut
    .venv/bin/python tools/mutation.py                      # every group, then docs/mutation.md
    .venv/bin/python tools/mutation.py filters names        # some groups
    .venv/bin/python tools/mutation.py --report             # only rewrite the report
    .venv/bin/python tools/mutation.py --fresh filters      # forget results (tests changed)
    .venv/bin/python tools/mutation.py --patches            # issue 24's six patches only
    .venv/bin/python tools/mutation.py --baseline REV filters  # counts of commit REV: "before"

mutmut changes one thing in one function at a time (a ``<`` into ``<=``, a number into
another, a string into another) and runs the tests that call that function; a change no
test notices is a "survivor": behaviour nothing checks. Each group mutates a few modules and
runs only the test files that belong to them, in its own copy of the project under
``build/mutation/<group>`` (the working tree is never touched), with one worker and a time
budget, because the machine is shared. mutmut remembers what it has run: a second run of a
group only retests what changed.

The report (docs/mutation.md) counts killed and surviving mutants per module, with the
counts recorded by ``--baseline`` beside them, and lists every survivor with its diff and
the reason it is accepted (``tools/mutation_accepted.toml``); a survivor with no reason
there is marked as not yet explained.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "build" / "mutation"
REPORT = ROOT / "docs" / "mutation.md"
RESULTS = ROOT / "docs" / "mutation-results.json"
ACCEPTED = ROOT / "tools" / "mutation_accepted.toml"


@dataclass(frozen=True)
class Group:
    """Modules mutated together and the tests that answer for them."""

    name: str
    modules: tuple[str, ...]
    tests: tuple[str, ...]
    # Seconds for the whole group; what is not reached is reported as not run.
    budget: int = 1800
    # Only the mutants of these functions (mutmut names, fnmatch patterns); all when empty.
    functions: tuple[str, ...] = ()


def _in(module: str, *functions: str) -> tuple[str, ...]:
    """mutmut's names for the mutants of ``functions`` in ``module`` (``x_name__mutmut_N``,
    methods ``xǁClassǁname__mutmut_N``)."""
    return tuple(f"{module}.x{'' if f.startswith('ǁ') else '_'}{f}__mutmut_*" for f in functions)


GROUPS = (
    Group("filters", ("officekit/filters.py",), ("tests/test_filters.py",), 420),
    Group("names", ("officekit/names.py",), ("tests/test_names.py",), 180),
    Group(
        "values",
        ("officekit/values.py", "officekit/numfmt.py"),
        ("tests/test_values.py", "tests/test_numfmt.py"),
        360,
    ),
    Group("job", ("officekit/job.py",), ("tests/test_job.py",), 240),
    # Workbook validation: the typing and checking of rows (not the caches and read-ahead).
    Group(
        "workbook",
        ("officekit/workbook.py", "officekit/convert.py", "officekit/checks.py"),
        ("tests/test_workbook.py", "tests/test_convert.py", "tests/test_checks.py"),
        300,
        functions=(
            "officekit.convert.*",
            "officekit.checks.*",
            *_in(
                "officekit.workbook",
                "_typed_rows",
                "_unique_issues",
                "_percent_issues",
                "_repeats",
                "_repeated",
                "_check_references",
                "_read_variables",
                "_place",
                "describe",
            ),
        ),
    ),
    # The checker's measured rules and the layers fonts and sizes come from, with the tests
    # that read documents (none starts LibreOffice).
    Group(
        "checker",
        ("officekit/gongwen/check.py", "officekit/gongwen/styles.py"),
        (
            "tests/test_check_boundaries.py",
            "tests/test_check.py",
            "-k",
            "planted or compliant or font or boundaries or limit or millimetre or style",
        ),
        420,
        functions=(
            *_in(
                "officekit.gongwen.check",
                "_mm",
                "_page_rules",
                "_natural_line_pt",
                "_line_pitch",
                "_lines_per_page",
                "_chars_per_line",
                "_check_grid",
                "_check_fonts",
                "_run_font_problem",
                "_size_text",
                "_font_text",
            ),
            "officekit.gongwen.styles.*",
        ),
    ),
    Group(
        "pdfcheck",
        ("officekit/gongwen/pdfcheck.py",),
        ("tests/test_pdfcheck.py", "-k", "not measured and not full_page"),
        300,
        # The page rules (reading pdftotext's output is exercised by the LibreOffice tests).
        functions=_in(
            "officekit.gongwen.pdfcheck",
            "measure",  # before issue 24 the rules were inside measure()
            "measure_pages",
            "_inside",
            "_page_number",
            "_is_page_number",
            "ǁBlockǁa4",
        ),
    ),
    # The CLI's option wiring: the four commands with options, run without LibreOffice.
    Group(
        "cli",
        ("officekit/cli.py",),
        (
            "tests/test_cli.py",
            "tests/test_cli_options.py",
            "-k",
            "not preview and not pdf_command and not pdf_converts and not pdf_duplex"
            " and not check_pdf",
        ),
        420,
        # mutmut 3 leaves decorated functions alone, so the typer commands themselves (where
        # the options are wired) are not mutated: tests/test_cli_options.py and patch 2 of
        # tools/mutation_patches check them. What is mutated is what they call to report.
        functions=_in(
            "officekit.cli", "_fail", "_interrupted", "_summary", "_format_summary", "_print_report"
        ),
    ),
    # The PDF pool: the stand-in soffice tests and the font set-up, and the few tests that
    # run LibreOffice to check what reaches the PDF.
    Group(
        "pdfpool",
        ("officekit/export.py", "officekit/fonts.py"),
        ("tests/test_export.py", "tests/test_fonts.py", "-k", "not ctrl_c and not build_without"),
        420,
        functions=(
            *_in(
                "officekit.export",
                "ǁ_Processesǁstart",
                "ǁ_Processesǁdone",
                "ǁ_Processesǁkill_all",
                "kill_tree",
                "_run_batch",
                "batch_seconds",
                "_worker",
                "convert_pairs",
                "_failure",
                "convert",
                "_mark_substitution",
            ),
            "officekit.fonts.*",
        ),
    ),
)


def _project_files() -> list[Path]:
    """The working tree's files as git sees them (committed, changed and new, not ignored)."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    return [Path(p.decode()) for p in out.split(b"\0") if p and (ROOT / p.decode()).is_file()]


def _mutmut_table(group: Group, folder: Path) -> str:
    """``[tool.mutmut]`` for one group: the project's settings plus what to mutate and run
    (test files the copy does not have, as in a baseline, are left out)."""
    base = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    table = dict(base)
    table["only_mutate"] = list(group.modules)
    table["pytest_add_cli_args_test_selection"] = [
        t for t in group.tests if not t.startswith("tests/") or (folder / t).exists()
    ]
    lines = ["[tool.mutmut]"]
    lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


def _without_mutmut_table(text: str) -> str:
    return re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text)


def _folder(group: Group, baseline: str | None) -> Path:
    return SCRATCH / (f"before-{group.name}" if baseline else group.name)


def prepare(group: Group, baseline: str | None) -> Path:
    """A copy of the project for ``group`` (kept between runs so mutmut can resume): the
    working tree, or the commit ``baseline``."""
    folder = _folder(group, baseline)
    folder.mkdir(parents=True, exist_ok=True)
    if baseline:
        if not (folder / "officekit").exists():
            archive = subprocess.run(
                ["git", "archive", baseline], cwd=ROOT, capture_output=True, check=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
        # Today's conftest: it empties officekit's caches before each test under mutmut
        # (without it, mutants behind a cache survive in any version).
        shutil.copyfile(ROOT / "tests" / "conftest.py", folder / "tests" / "conftest.py")
        files = []
    else:
        files = _project_files()
    for relative in files:
        target = folder / relative
        source = ROOT / relative
        if target.exists() and target.read_bytes() == source.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    pyproject = _without_mutmut_table((ROOT / "pyproject.toml").read_text("utf-8"))
    (folder / "pyproject.toml").write_text(pyproject + "\n" + _mutmut_table(group, folder), "utf-8")
    return folder


def _mutmut() -> str:
    found = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or shutil.which("mutmut")
    if not found:
        sys.exit('mutmut is not installed: .venv/bin/pip install -e ".[mutation]"')
    return found


def run(group: Group, baseline: str | None) -> bool:
    """Run mutmut over ``group``; False when the budget ran out first."""
    folder = prepare(group, baseline)
    env = dict(os.environ)
    # Tests that start `python -m officekit` must import the mutated copy, not the
    # editable install of the working tree. The folder must exist before Python starts, or
    # the import system remembers it as missing and never looks there.
    (folder / "mutants").mkdir(exist_ok=True)
    env["PYTHONPATH"] = str(folder / "mutants")
    # mutmut sends a mutant's test output to os.devnull opened in the locale's encoding;
    # under an ASCII locale a failure message in Chinese raises there, and mutmut counts
    # the crash as a timeout.
    env["PYTHONUTF8"] = "1"
    print(f"== {group.name}: {', '.join(group.modules)}", flush=True)
    log = folder / "mutmut-run.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [_mutmut(), "run", "--max-children", "1", *group.functions],
            cwd=folder,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=group.budget)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
            print(f"   budget of {group.budget} s used up; run again to continue", flush=True)
            return False
    if proc.returncode != 0:
        print(f"   mutmut exited {proc.returncode}; see {log}", flush=True)
    return proc.returncode == 0


# Run in the group's folder with mutmut's own modules (one process for all mutants; `mutmut
# show` per survivor would start Python hundreds of times). Prints {name: [status, diff]}.
_READ_RESULTS = """
import json
from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code
from mutmut.utils.file_utils import walk_mutatable_files

out = {}
for path in walk_mutatable_files():
    data = SourceFileMutationData(path=path)
    data.load()
    for name, code in data.exit_code_by_key.items():
        status = status_by_exit_code[code]
        diff = "" if status == "killed" else get_diff_for_mutant(name, path=path)
        out[name] = [status, diff]
print(json.dumps(out))
"""


# mutmut's words for a mutant no test noticed; "timeout" (the tests hung) counts as noticed,
# "not checked" is a mutant the budget did not reach.
_SURVIVED = ("survived", "no tests")
_NOT_RUN = ("not checked", "check was interrupted by user")


def collect(group: Group, baseline: str | None) -> dict[str, dict]:
    """Per module: counts by status and the surviving mutants with their diffs."""
    folder = _folder(group, baseline)
    if not (folder / "mutants").exists():
        return {}
    python = Path(_mutmut()).parent / "python"
    out = subprocess.run(
        [str(python), "-c", _READ_RESULTS], cwd=folder, capture_output=True, text=True, check=True
    ).stdout
    modules: dict[str, dict] = {}
    for name, (status, diff) in json.loads(out).items():
        if group.functions and not any(fnmatch.fnmatchcase(name, f) for f in group.functions):
            continue  # outside the group's functions: never run, not counted
        module = re.split(r"\.x_|\.x\u01c1", name)[0]
        entry = modules.setdefault(
            module, {"counts": {}, "survivors": {}, "part": bool(group.functions)}
        )
        entry["counts"][status] = entry["counts"].get(status, 0) + 1
        if status in _SURVIVED:
            entry["survivors"][name] = {"status": status, "diff": _short_diff(diff)}
    return modules


def _short_diff(text: str) -> str:
    """The changed lines of a mutant's diff (``-``/``+``), without the file headers."""
    lines = [
        line
        for line in text.splitlines()
        if line[:1] in "-+" and not line.startswith(("---", "+++"))
    ]
    return "\n".join(lines)


def _load_results() -> dict:
    if RESULTS.exists():
        return json.loads(RESULTS.read_text("utf-8"))
    return {"baseline": {}, "current": {}}


def _count(counts: dict[str, int], *statuses: str) -> int:
    return sum(counts.get(s, 0) for s in statuses)


def write_report(results: dict) -> None:
    accepted = tomllib.loads(ACCEPTED.read_text("utf-8")) if ACCEPTED.exists() else {}
    reasons: dict[str, str] = accepted.get("mutants", {})
    lines = [
        "# 变异测试（mutation testing）",
        "",
        "由 `python tools/mutation.py` 生成，不在 CI 中运行。工具是 mutmut 3：每次只改代码里的一处"
        "（`<` 改成 `<=`、数字加一、字符串换掉、条件取反、参数去掉……），再跑覆盖那个函数的测试；"
        "测试没发现的改动叫“存活”，说明那一处行为没有测试在看。",
        "",
        "- 分组（`tools/mutation.py` 的 `GROUPS`）：过滤器；文件名；单元格的值和数字格式；任务文件；"
        "工作簿校验（定型、唯一、百分数、引用、求和/计数检查）；格式检查的实测规则和字体字号的各层；"
        "PDF 页面实测；命令行四个带选项的命令；PDF 进程池和替代字体。每组只跑自己的测试文件"
        "（不启动 LibreOffice 的那些，PDF 进程池除外），在 `build/mutation/<组>` 的副本里跑，"
        "一个进程、有时间上限；上限到了没轮到的变异记为“未运行”，再运行一次会接着跑。",
        "- 命令行选项的说明文字（`help=`）不变异：那是给人看的字，不是行为。mutmut 3 不变异带装饰器的函数，"
        "所以 typer 命令本身（build、pdf、check、typeset 把选项交给程序库的地方）不在变异之列，"
        "由 `tests/test_cli_options.py` 逐个选项检查，并由下面的补丁 2 验证；命令行组变异的是它们调用的输出函数。",
        "- mutmut 从跑过未变异测试的进程分叉出每个变异；`tests/conftest.py` 在变异运行中每个测试前"
        "清空 officekit 的 functools 缓存，否则缓存里未变异代码的结果会替变异过的函数作答。",
        f"- 本次结果：{results.get('when', '')}，提交 {results.get('commit', '')}。"
        "“之前”是同样设置下对提交 cb752cb（本议题 #24 补测试之前）的运行，"
        "只对本议题补了测试的组运行（其余组测试未变，之前即本次）；括号里是当时实际跑到的变异数。",
        "",
        "| 模块 | 变异数 | 测试发现 | 存活 | 无测试覆盖 | 未运行 | 之前：存活（已运行） |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    survivors: list[tuple[str, str, dict]] = []
    for module, entry in sorted(results["current"].items()):
        counts = entry["counts"]
        before = results["baseline"].get(module, {}).get("counts")
        before_text = (
            f"{_count(before, *_SURVIVED)}（{sum(before.values()) - _count(before, *_NOT_RUN)}）"
            if before
            else "—"
        )
        total = sum(counts.values())
        survived, not_run = _count(counts, *_SURVIVED), _count(counts, *_NOT_RUN)
        part = "（选定的函数）" if entry.get("part") else ""
        lines.append(
            f"| `{module}`{part} | {total} | {total - survived - not_run} "
            f"| {_count(counts, 'survived')} | {_count(counts, 'no tests')} "
            f"| {not_run} | {before_text} |"
        )
        survivors += [(module, name, info) for name, info in sorted(entry["survivors"].items())]

    def reason_for(name: str) -> str | None:
        # A name, or a pattern (fnmatch) for a whole function's mutants of one kind.
        if name in reasons:
            return reasons[name]
        return next((r for key, r in reasons.items() if fnmatch.fnmatchcase(name, key)), None)

    unexplained = [name for _, name, _ in survivors if reason_for(name) is None]
    lines += [
        "",
        f"存活和未覆盖的变异共 {len(survivors)} 个，"
        f"其中 {len(survivors) - len(unexplained)} 个已说明理由"
        f"（`tools/mutation_accepted.toml`），{len(unexplained)} 个尚未说明。",
        "",
        "## 存活的变异及理由",
        "",
    ]
    current_module = None
    for module, name, info in survivors:
        if module != current_module:
            lines += [f"### `{module}`", ""]
            current_module = module
        reason = reason_for(name) or "**尚未说明**"
        lines += [
            f"- `{name}`（{info['status']}）：{reason}",
            "",
            "  ```diff",
            *[f"  {line}" for line in info["diff"].splitlines()],
            "  ```",
            "",
        ]
    lines += [
        "## 议题 #24 的六处破坏",
        "",
        "`bash tools/mutation_patches/run.sh` 把每个补丁打到工作区的副本（`build/mutation/patches`）上、跑它对应的测试文件、再撤回"
        "（`python tools/mutation.py --patches` 运行它并把结果记在这里）。每一行都应是 killed：",
        "",
        "```text",
        *results.get("patches", ["（尚未运行）"]),
        "```",
    ]
    REPORT.write_text("\n".join(lines).rstrip() + "\n", "utf-8")
    print(f"wrote {REPORT.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", help=", ".join(g.name for g in GROUPS))
    parser.add_argument("--report", action="store_true", help="only rewrite the report")
    parser.add_argument(
        "--patches", action="store_true", help="apply issue 24's patches one at a time"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="forget earlier results (after tests changed)"
    )
    parser.add_argument(
        "--baseline", metavar="COMMIT", help="run on COMMIT and record its counts as 'before'"
    )
    args = parser.parse_args()
    by_name = {g.name: g for g in GROUPS}
    unknown = [g for g in args.groups if g not in by_name]
    if unknown:
        sys.exit(f"unknown group {unknown}; groups: {', '.join(by_name)}")
    chosen = [by_name[g] for g in args.groups] or list(GROUPS)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    if args.patches:
        run_sh = ROOT / "tools" / "mutation_patches" / "run.sh"
        out = subprocess.run(["bash", str(run_sh)], cwd=ROOT, capture_output=True, text=True)
        results = _load_results()
        results["patches"] = out.stdout.splitlines()
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
        chosen = [by_name[g] for g in args.groups]
    for group in chosen:
        if args.fresh and not args.report:
            shutil.rmtree(_folder(group, args.baseline) / "mutants", ignore_errors=True)
        if not args.report:
            run(group, args.baseline)
        modules = collect(group, args.baseline)
        # Read again just before writing: another run (the baseline's) may have added its
        # groups meanwhile.
        results = _load_results()
        results["baseline" if args.baseline else "current"].update(modules)
        if not args.baseline:
            results["when"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            results["commit"] = commit
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    write_report(_load_results())


if __name__ == "__main__":
    main()
