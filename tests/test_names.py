"""Output names: Windows-safe segments and duplicates told apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from officekit.names import UniqueNames, safe_relative, safe_segment


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("县公安局", "县公安局"),
        ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"),
        ("名称. ", "名称"),
        ("CON", "_CON"),
        ("lpt1.docx", "_lpt1.docx"),
        ("", "未命名"),
        ("多个   空格", "多个 空格"),
        ("x" * 200, "x" * 80),
    ],
)
def test_safe_segment(raw: str, expected: str) -> None:
    assert safe_segment(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("责任书/01-县公安局", "责任书/01-县公安局"),
        ("../../etc/passwd", "etc/passwd"),
        ("责任书\\01-县/局", "责任书/01-县/局"),
        ("a//b", "a/b"),
    ],
)
def test_safe_relative(raw: str, expected: str) -> None:
    assert safe_relative(raw) == expected


def test_unique_names_tell_duplicates_apart_case_insensitively() -> None:
    names = UniqueNames()
    assert names.take("责任书/01-甲") == "责任书/01-甲"
    assert names.take("责任书/01-甲") == "责任书/01-甲（2）"
    assert names.take("A") == "A"
    assert names.take("a") == "a（2）"
    assert names.take("乙", ".docx") == "乙.docx"
    assert names.take("乙", ".docx") == "乙（2）.docx"  # the number goes before the suffix


@pytest.mark.parametrize(
    "raw",
    ["县公安局", "甲 乙", "甲\u3000乙", "甲\t乙", " 甲", "甲 ", "甲.", "aux.docx", "Nul", "x" * 81,
     "a\x7fb", "甲\xa0乙", "1.2.3", "a..b"],
)  # fmt: skip
def test_a_name_kept_as_it_is_is_one_the_full_cleaning_keeps(raw: str) -> None:
    from officekit.names import _cleaned

    assert safe_segment(raw) == _cleaned(raw)


@given(st.text(alphabet=st.sampled_from('甲a. \t\u3000\xa0<>:"/\\|?*\x00\x1fCONLPT1'), max_size=12))
def test_the_quick_check_agrees_with_the_full_cleaning(raw: str) -> None:
    from officekit.names import _cleaned

    assert safe_segment(raw) == _cleaned(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("报告X.", "报告X"),  # only dots and spaces leave the end, not the letters before
        ("甲X ", "甲X"),
        ("名称. . ", "名称"),
    ],
)
def test_only_trailing_dots_and_spaces_are_dropped(raw: str, expected: str) -> None:
    assert safe_segment(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("责任书/./01-县公安局", "责任书/01-县公安局"),
        ("./责任书", "责任书"),
        ("", "未命名"),
        ("../..", "未命名"),
        (" / ", "未命名"),
    ],
)
def test_safe_relative_drops_dot_segments_and_names_the_empty(raw: str, expected: str) -> None:
    assert safe_relative(raw) == expected


def test_case_folding_is_windows_not_unicode_uppercase() -> None:
    """Windows compares names letter by letter ignoring case; "ß" has no capital of its own
    there, so "Straße" and "STRASSE" are two files (Unicode's upper() would make them one)."""
    names = UniqueNames()
    assert names.take("Straße", ".docx") == "Straße.docx"
    assert names.take("STRASSE", ".docx") == "STRASSE.docx"
    assert names.take("straße", ".docx") == "straße（2）.docx"
