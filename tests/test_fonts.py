"""officekit.fonts: which 公文 names are installed, which stand-ins LibreOffice gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from officekit import fonts
from officekit.gongwen import spec


def test_every_name_of_both_profiles_is_known() -> None:
    names = fonts.font_names()
    for profile, faces in spec.FONT_PROFILES.items():
        for face, name in faces.items():
            assert names[name][0] == face and profile in names[name][1]


def test_installed_licensed_font_is_used_not_stood_in() -> None:
    installed = {"仿宋_GB2312", "FandolFang", "Noto Sans CJK SC", "AR PL UKai CN"}
    rows = {row.name: row for row in fonts.status(installed)}
    assert rows["仿宋_GB2312"].installed and rows["仿宋_GB2312"].stand_in is None
    assert rows["仿宋"].stand_in == "FandolFang"  # the Windows name is still missing
    assert rows["黑体"].stand_in == "Noto Sans CJK SC"
    assert rows["楷体_GB2312"].stand_in == "AR PL UKai CN"
    assert rows["方正小标宋简体"].stand_in is None  # no Noto Serif here: nothing to use


def test_best_stand_in_first() -> None:
    rows = {r.name: r for r in fonts.status({"LXGW WenKai", "AR PL UKai CN"})}
    assert rows["楷体"].stand_in == "AR PL UKai CN"
    rows = {r.name: r for r in fonts.status({"LXGW WenKai"})}
    assert rows["楷体"].stand_in == "LXGW WenKai"


def test_fonts_conf_aliases_both_profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        fonts, "installed_families", lambda: {"FandolFang", "AR PL UKai CN", "Noto Sans CJK SC"}
    )
    setup = fonts.font_setup(tmp_path, "GB2312")
    text = setup.config.read_text(encoding="utf-8")
    for name, stand_in in (
        ("仿宋_GB2312", "FandolFang"),
        ("仿宋", "FandolFang"),
        ("楷体", "AR PL UKai CN"),
        ("黑体", "Noto Sans CJK SC"),
    ):
        assert f"<family>{name}</family><accept><family>{stand_in}</family>" in text
    # The note names what the job's own profile has substituted.
    assert set(setup.substituted) == {"仿宋_GB2312", "楷体_GB2312", "黑体"}
    assert "/etc/fonts/fonts.conf" in text
