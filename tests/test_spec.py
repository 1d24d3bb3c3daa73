"""spec.py holds gongwen-spec.md's numbers, and the derived ones follow from the standard ones."""

from __future__ import annotations

import math

import pytest

from officekit.gongwen import spec


@pytest.mark.parametrize(
    ("mm", "twips"), [(37, 2098), (28, 1587), (156, 8844), (225, 12756), (210, 11906), (297, 16838)]
)
def test_mm_to_twips_matches_the_spec_table(mm: float, twips: int) -> None:
    assert spec.mm_to_twips(mm) == twips


def test_derived_margins_follow_from_paper_and_text_block() -> None:
    assert (
        spec.MARGIN_RIGHT_MM.value
        == spec.PAPER_WIDTH_MM.value - spec.MARGIN_LEFT_MM.value - spec.TEXT_WIDTH_MM.value
    )
    assert (
        spec.MARGIN_BOTTOM_MM.value
        == spec.PAPER_HEIGHT_MM.value - spec.MARGIN_TOP_MM.value - spec.TEXT_HEIGHT_MM.value
    )
    assert spec.MARGIN_RIGHT_MM.kind == spec.MARGIN_BOTTOM_MM.kind == "derived"
    assert spec.MARGIN_TOP_MM.kind == spec.MARGIN_LEFT_MM.kind == "standard"


def test_line_pitch_gives_22_lines_in_the_block() -> None:
    block_twips = spec.TEXT_HEIGHT_MM.value * spec.TWIPS_PER_MM
    assert math.floor(block_twips / spec.LINE_PITCH_TWIPS.value) == spec.LINES_PER_PAGE.value


def test_character_scale_gives_28_characters_per_line() -> None:
    width_pt = spec.TEXT_WIDTH_MM.value * spec.TWIPS_PER_MM / spec.TWIPS_PER_PT
    pitch_pt = spec.SIZE_NAMES_PT["三号"] * spec.CHAR_SCALE_PERCENT.value / 100
    assert math.floor(width_pt / pitch_pt) == spec.CHARS_PER_LINE.value


@pytest.mark.parametrize(
    ("name", "half_points"), [("二号", 44), ("三号", 32), ("四号", 28), ("五号", 21), ("小四", 24)]
)
def test_size_names(name: str, half_points: int) -> None:
    assert spec.half_points(name) == half_points


def test_roles_and_profiles() -> None:
    assert spec.ROLES["title"] == spec.Role("小标宋", "二号", "standard")
    assert spec.ROLES["h1"].face == "黑体" and spec.ROLES["h2"].face == "楷体"
    assert spec.ROLES["page_number"] == spec.Role("宋体", "四号", "standard")
    for profile in spec.FONT_PROFILES.values():
        assert set(profile) == {"仿宋", "楷体", "黑体", "宋体", "小标宋"}
    assert spec.FONT_PROFILES["GB2312"]["仿宋"] == "仿宋_GB2312"
    assert spec.FONT_PROFILES["Windows"]["楷体"] == "楷体"
    assert spec.PAGE_NUMBER_DASH == "\u2014"
