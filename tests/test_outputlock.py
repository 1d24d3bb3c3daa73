"""outputlock: one build at a time per output folder; what killed builds left behind.

Real processes throughout: a second build is a second ``officekit`` process, a build is
killed with SIGKILL, a lock's holder is a process that really holds it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from officekit import outputlock
from officekit.build import build
from officekit.errors import BusyError
from officekit.job import load_job

WORKBOOK = "sheets/禁毒工作数据.xlsx"
posix_only = pytest.mark.skipif(os.name == "nt", reason="SIGKILL and fork are POSIX")


def _officekit(*args: str) -> list[str]:
    return [sys.executable, "-m", "officekit", *args]


def _holder(folder: Path, fork_child: bool = False) -> subprocess.Popen[str]:
    """Another process holding ``folder``'s lock until its stdin closes (then it lets go
    as a build does) or it is killed; with ``fork_child`` it first forks a child that outlives it."""
    code = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from officekit import outputlock\n"
        f"held = outputlock.acquire(Path({str(folder)!r}), wait=0)\n"
        f"if {fork_child} and os.fork() == 0:\n"
        "    time.sleep(60); os._exit(0)\n"
        "print('held', flush=True)\n"
        "sys.stdin.read()\n"
        "held.release()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    return proc


def _letters_valid(output: Path) -> int:
    letters = sorted((output / "责任书").glob("*.docx"))
    for path in letters:
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
        assert Document(str(path)).paragraphs  # opens as a Word document
    return len(letters)


def _staging(output: Path) -> list[Path]:
    return [p for p in output.iterdir() if outputlock.STAGING.fullmatch(p.name)]


def test_a_second_build_waits_then_refuses_in_one_sentence(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = job_dir / "output"
    output.mkdir()
    holder = _holder(output)
    monkeypatch.setattr(outputlock, "WAIT_SECONDS", 0.3)
    try:
        with pytest.raises(BusyError) as caught:
            build(load_job(job_dir), pdf="none")
    finally:
        holder.communicate("")  # the holder ends normally: the lock is released
    assert caught.value.exit_code == 9
    assert f"正被另一次生成（进程 {holder.pid}）使用" in caught.value.message
    assert str(output) in caught.value.message
    assert not list(output.rglob("*.docx")) and not _staging(output)
    result = build(load_job(job_dir), pdf="none")  # released: the next build runs
    assert result.ok and result.cleanup_note == ""
    assert not (output / outputlock.LOCK_NAME).exists()  # removed on release


def test_the_cli_exits_9_with_the_sentence(job_dir: Path) -> None:
    output = job_dir / "output"
    output.mkdir()
    holder = _holder(output)
    try:
        env = dict(os.environ, PYTHONPATH=str(Path(outputlock.__file__).parent.parent))
        done = subprocess.run(
            _officekit("build", str(job_dir), "--no-pdf"), capture_output=True, text=True, env=env
        )
    finally:
        holder.communicate("")
    assert done.returncode == 9, done.stderr
    assert done.stderr.count("错误：") == 1 and "另一次生成" in done.stderr
    assert "内部错误" not in done.stderr + done.stdout


@posix_only
def test_a_dead_builds_lock_is_taken_over_even_with_its_child_alive(job_dir: Path) -> None:
    output = job_dir / "output"
    output.mkdir()
    holder = _holder(output, fork_child=True)
    holder.kill()
    holder.wait()
    assert (output / outputlock.LOCK_NAME).read_text().strip() == str(holder.pid)
    held = outputlock.acquire(output, wait=1)  # its forked child did not keep the lock
    try:
        assert held.taken_over == holder.pid
        assert "上次生成没有正常结束" in held.note()
    finally:
        held.release()


def test_dead_staging_folders_go_and_nothing_else(tmp_path: Path) -> None:
    output = tmp_path / "output"
    (output / ".officekit-ab_c1234" / "责任书").mkdir(parents=True)
    (output / ".officekit-ab_c1234" / "责任书" / "01-甲.docx").write_bytes(b"old")
    (output / ".officekit.cache").mkdir()
    (output / ".officekit-manifest.json").write_text("{}")
    (output / ".officekit-python").mkdir()  # not a staging name
    (output / ".officekit-notes12").write_text("a file, not a folder")
    held = outputlock.acquire(output, wait=0)
    held.release()
    assert held.removed == [output / ".officekit-ab_c1234"]
    assert "已删除它留下的 1 个临时文件夹" in held.note()
    assert sorted(p.name for p in output.iterdir()) == [
        ".officekit-manifest.json",
        ".officekit-notes12",
        ".officekit-python",
        ".officekit.cache",
    ]


def _many_units(job_dir: Path, count: int) -> None:
    """The shipped job with ``count`` more units: a render long enough to be killed in."""
    book = job_dir / WORKBOOK
    wb = openpyxl.load_workbook(book)
    ws = wb["责任单位"]
    kind, goal = ws["B2"].value, ws["C2"].value
    for n in range(count):
        ws.append([f"测试单位{n:04d}", kind, goal])
    wb.save(book)


def _rendering(output: Path) -> bool:
    """Letters are being written into a staging folder."""
    return output.exists() and any(any(s.rglob("*.docx")) for s in _staging(output))


@posix_only
def test_a_build_killed_mid_render_leaves_nothing_the_next_build_keeps(job_dir: Path) -> None:
    _many_units(job_dir, 400)
    output = job_dir / "output"
    proc = subprocess.Popen(
        _officekit("build", str(job_dir), "--no-pdf", "--jobs", "2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its render workers with it, as a closed window takes them
    )
    try:
        while proc.poll() is None and not _rendering(output):
            time.sleep(0.01)
        assert proc.poll() is None, "the build ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    left = _staging(output)
    assert left and any(s.rglob("*.docx") for s in left)  # what a killed build leaves
    assert not (output / "责任书").exists()  # nothing was published

    done = subprocess.run(
        _officekit("build", str(job_dir), "--no-pdf"), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert f"已删除它留下的 {len(left)} 个临时文件夹" in done.stdout
    assert done.stdout.count("上次生成没有正常结束") == 1
    assert not _staging(output)
    assert _letters_valid(output) == 33 + 400


def test_two_builds_started_at_once_one_builds_the_other_waits_or_refuses(
    job_dir: Path,
) -> None:
    command = _officekit("build", str(job_dir), "--no-pdf", "--force")
    procs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outcomes = [(p.wait(), *p.communicate()) for p in procs]
    codes = sorted(code for code, _, _ in outcomes)
    assert codes in ([0, 0], [0, 9]), outcomes
    for code, out, err in outcomes:
        assert "内部错误" not in out + err
        if code == 9:
            assert err.count("错误：") == 1 and "正被另一次生成" in err
        else:
            assert "生成结果" in out and "上次生成没有正常结束" not in out
    output = job_dir / "output"
    assert _letters_valid(output) == 33
    assert not _staging(output)
    assert not (output / outputlock.LOCK_NAME).exists()
