"""Output names: Windows-safe segments and duplicates told apart."""

from __future__ import annotations

from pathlib import Path

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


# ---- lengths: 255 bytes (ext4), 255 UTF-16 units (NTFS), Windows' MAX_PATH ----------------


def _fits_everywhere(name: str) -> bool:
    return len(name.encode("utf-8")) <= 255 and len(name.encode("utf-16-le")) // 2 <= 255


@pytest.mark.parametrize("char", ["𠮷", "😀", "甲", "x", "é"])
def test_long_names_fit_every_file_system_and_keep_the_counter(char: str) -> None:
    names = UniqueNames()
    first = names.take("信/01-" + safe_segment(char * 70), ".docx")
    second = names.take("信/01-" + safe_segment(char * 70), ".docx")
    for taken in (first, second):
        folder, name = taken.split("/")
        assert folder == "信" and name.startswith("01-" + char) and name.endswith(".docx")
        assert _fits_everywhere(name)
    assert second.endswith("（2）.docx") and first.lower() != second.lower()


def test_a_name_too_long_for_the_counter_is_cut_at_a_character_not_inside_one() -> None:
    names = UniqueNames()
    stem = "甲" * 79 + "𠮷"  # 241 bytes: safe on its own, too long with "（2）.docx"
    names.take(stem, ".docx")
    second = names.take(stem, ".docx")
    assert _fits_everywhere(second) and second.endswith("（2）.docx")
    assert second.encode("utf-8").decode("utf-8") == second  # whole characters only
    assert "\ufffd" not in second and second.startswith("甲" * 60)


def test_a_cut_never_leaves_a_joiner_or_a_trailing_dot() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji of five code points
    for name in (safe_segment(family * 30), safe_segment("甲." * 130)):
        assert _fits_everywhere(name + "（2）.docx")
        assert not name.endswith(("\u200d", ".", " "))


def test_windows_paths_stay_under_max_path() -> None:
    from officekit.names import path_room

    folder = Path("C:/Users/科员/Documents/" + "全县禁毒工作会议材料" * 8 + "/output")
    room = path_room(folder, windows=True)
    assert room is not None and path_room(folder, windows=False) is None
    names = UniqueNames(room)
    taken = [names.take("责任书/01-" + "县公安局" * 20, ".docx") for _ in range(2)]
    for relative in taken:
        # the longest path while building: the staging folder and the preview folder
        written = f"{folder}/.officekit-abcdefgh/预览/{relative}"
        assert len(written.encode("utf-16-le")) // 2 <= 259
        assert relative.startswith("责任书/01-县公安局")
    assert taken[1].endswith("（2）.docx")


def test_an_output_folder_too_deep_for_any_name_says_so() -> None:
    from officekit.errors import OutputError
    from officekit.names import path_room

    names = UniqueNames(path_room(Path("C:/" + "深" * 240), windows=True))
    with pytest.raises(OutputError, match="路径太长"):
        names.take("责任书/01-县公安局", ".docx")


@given(st.text(max_size=120), st.integers(min_value=1, max_value=4))
def test_any_text_gives_a_name_that_fits(raw: str, copies: int) -> None:
    names = UniqueNames()
    taken = [names.take("信/" + safe_segment(raw), ".docx") for _ in range(copies)]
    assert len({t.lower() for t in taken}) == copies
    for relative in taken:
        name = relative.split("/")[1]
        assert _fits_everywhere(name)
        name.encode("utf-8")  # no lone surrogate: every file system can store it


def test_a_unit_named_with_70_four_byte_characters_builds(job_dir: Path) -> None:
    """The issue's case: 280 bytes of name used to stop the build with exit 5."""
    import openpyxl
    from typer.testing import CliRunner

    from officekit.cli import app

    book = job_dir / "sheets" / "禁毒工作数据.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["责任单位"]
    kind, goal = ws["B2"].value, ws["C2"].value
    for name in ("𠮷" * 70, "𠮷" * 69 + "𡈽", "😀" * 70):  # the first two differ at the end
        ws.append([name, kind, goal])
    wb.save(book)
    result = CliRunner().invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert result.exit_code == 0, result.output
    letters = sorted((job_dir / "output" / "责任书").glob("*.docx"))
    long = [p for p in letters if "𠮷" in p.name or "😀" in p.name]
    assert len(long) == 3 and len({p.name.lower() for p in letters}) == len(letters)
    for path in long:
        assert _fits_everywhere(path.name) and path.stat().st_size > 0
    assert all(len(p.stem.split("-", 1)[1]) < 70 for p in long)  # cut, numbers kept
    assert sorted(p.name.split("-")[0] for p in long) == ["34", "35", "36"]


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
