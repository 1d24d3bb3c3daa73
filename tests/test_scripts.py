"""The double-click entry points: 生成公文.sh runs end to end; 生成公文.bat is well-formed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, edit_cells, find_row

SCRIPT_FILES = [
    "生成公文.sh",
    "pyproject.toml",
    "README.md",
    "officekit.toml",
    "sheets/禁毒工作数据.xlsx",
    "word_templates/讲话稿.docx",
    "word_templates/责任书.docx",
    "生成公文.bat",
]


def _checkout(tmp_path: Path) -> Path:
    """A copy of what a clerk unpacks: the package source, job and scripts."""
    folder = tmp_path / "officekit"
    shutil.copytree(
        ROOT / "officekit", folder / "officekit", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in SCRIPT_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, folder / name)
    # The example jobs travel in the package (pyproject's force-include needs them).
    shutil.copytree(ROOT / "examples", folder / "examples", ignore=shutil.ignore_patterns("output"))
    # A venv that sees this interpreter's packages, so the script's install step is quick
    # and needs nothing from the network but the build backend.
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(folder / ".venv")], check=True
    )
    return folder


def _run(folder: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CI="1")
    return subprocess.run(
        ["bash", str(folder / "生成公文.sh")],
        cwd=tmp_cwd(folder),
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _run_init_folder(folder: Path) -> subprocess.CompletedProcess[str]:
    """The script of a folder made by ``officekit init``, run where it lies."""
    return subprocess.run(
        ["bash", str(folder / "生成公文.sh")],
        env=dict(os.environ, CI="1"),
        capture_output=True,
        text=True,
        timeout=600,
    )


def tmp_cwd(folder: Path) -> Path:
    # Run from elsewhere: the script must find its own folder (a double-click's cwd varies).
    return folder.parent


def test_shell_script_builds_the_example(tmp_path: Path) -> None:
    folder = _checkout(tmp_path)
    result = _run(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "生成结果" in result.stdout
    assert (folder / "output" / "讲话稿.docx").exists()
    assert len(list((folder / "output" / "责任书").glob("*.docx"))) == 33
    # The second run does not reinstall.
    again = _run(folder)
    assert again.returncode == 0
    assert "正在安装" not in again.stdout


def test_shell_script_failure_exits_non_zero_with_the_message(tmp_path: Path) -> None:
    folder = _checkout(tmp_path)
    workbook = folder / "sheets/禁毒工作数据.xlsx"
    row = find_row(workbook, "统计数据", 1, "刑事拘留")
    edit_cells(workbook, "统计数据", {f"D{row}": "八十六"})
    result = _run(folder)
    assert result.returncode == 3
    output = result.stdout + result.stderr
    assert "「上年数」" in output and "生成失败" in output
    assert "Traceback" not in output


def test_batch_file_is_crlf_utf8_and_keeps_the_window_open_on_failure() -> None:
    data = (ROOT / "生成公文.bat").read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    text = data.decode("utf-8")
    assert "chcp 65001" in text
    assert "-m venv .venv" in text
    assert "-m officekit build ." in text
    assert 'start "" explorer "output"' in text
    failed = text.split(":failed", 1)[1]
    assert "pause" in failed and "exit /b 1" in failed


def test_shell_script_in_an_init_folder_uses_the_officekit_that_made_it(tmp_path: Path) -> None:
    from officekit.shipped import copy_shipped

    folder = tmp_path / "任务"
    copy_shipped(folder)
    assert (folder / ".officekit-python").read_text(encoding="utf-8").strip() == sys.executable
    result = _run_init_folder(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "正在安装" not in result.stdout  # nothing is installed, least of all from PyPI
    assert (folder / "output" / "责任书汇总.docx").exists()


def test_shell_script_without_any_officekit_says_what_to_do(tmp_path: Path) -> None:
    folder = tmp_path / "任务"
    folder.mkdir()
    shutil.copyfile(ROOT / "生成公文.sh", folder / "生成公文.sh")
    result = subprocess.run(
        ["bash", str(folder / "生成公文.sh")],
        env={"PATH": "/usr/bin:/bin", "CI": "1", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "没有找到 officekit" in result.stdout and "officekit init" in result.stdout
    assert not (folder / ".venv").exists()


def test_shell_script_says_when_outputs_keep_format_errors(tmp_path: Path) -> None:
    from clerk_job import make_clerk_job

    from officekit.shipped import copy_shipped

    folder = tmp_path / "任务"
    copy_shipped(folder)
    make_clerk_job(folder, layout="keep")  # the clerk's Letter pages, kept on purpose
    result = _run_init_folder(folder)
    assert result.returncode == 8, result.stdout + result.stderr
    assert result.stdout.lstrip().startswith("公文已生成，但")
    assert "格式检查发现错误" in result.stdout and "生成失败" not in result.stdout
    assert (folder / "output" / "通知.docx").exists()


def test_batch_file_shows_format_errors_apart_from_failures() -> None:
    text = (ROOT / "生成公文.bat").read_bytes().decode("utf-8")
    assert "if %errorlevel% equ 8 goto :format_errors" in text
    block = text.split(":format_errors", 2)[2].split(":failed", 1)[0]
    assert "格式检查发现错误" in block and "pause" in block and "exit /b 8" in block
