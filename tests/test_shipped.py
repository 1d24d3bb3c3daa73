"""`officekit init` works from an installed wheel: the shipped job travels as package data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT

from officekit.shipped import FILES, copy_shipped, shipped_root


def test_wheel_carries_the_shipped_job(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("officekit-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for name in FILES:
            packaged = f"officekit/_shipped/{name}"
            assert packaged in names, name
            assert zf.read(packaged) == (ROOT / name).read_bytes(), name


def test_source_checkout_is_the_fallback_root() -> None:
    assert shipped_root() == ROOT


def test_copy_shipped_makes_the_shell_script_executable(tmp_path: Path) -> None:
    written = copy_shipped(tmp_path / "任务")
    assert [p.relative_to(tmp_path / "任务").as_posix() for p in written] == FILES
    assert (tmp_path / "任务" / "生成公文.sh").stat().st_mode & 0o111
