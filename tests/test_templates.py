"""The shipped Word templates: reproducible from tools/build_templates.py, 公文-compliant,
and their docxtpl paragraph-level tags stand alone in their paragraphs."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import load_tool
from gbt9704 import W, check_docx
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ["讲话稿.docx", "责任书.docx"]

# A paragraph-level docxtpl tag: {%p …%}, {%tr …%}, {%tc …%} (and their {%- -%} forms).
LEVEL_TAG_RE = re.compile(r"\{%-?\s*(p|tr|tc)\s.*?-?%\}", re.S)
LEVEL_TAG_START_RE = re.compile(r"\{%-?\s*(p|tr|tc)\s")


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("templates")
    written = load_tool("build_templates").build_all(folder)
    assert sorted(p.name for p in written) == sorted(TEMPLATES)
    return folder


@pytest.mark.parametrize("name", TEMPLATES)
def test_committed_template_equals_rebuild(rebuilt: Path, name: str) -> None:
    with (
        zipfile.ZipFile(ROOT / "word_templates" / name) as committed,
        zipfile.ZipFile(rebuilt / name) as fresh,
    ):
        assert committed.namelist() == fresh.namelist()
        differing = [part for part in fresh.namelist() if committed.read(part) != fresh.read(part)]
    assert differing == [], f"{name}: run python tools/build_templates.py ({differing})"


def test_rebuild_is_reproducible(rebuilt: Path, tmp_path: Path) -> None:
    again = load_tool("build_templates").build_all(tmp_path)
    for path in again:
        assert path.read_bytes() == (rebuilt / path.name).read_bytes(), path.name


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_passes_checker(name: str) -> None:
    assert check_docx(ROOT / "word_templates" / name, allow_tags=True) == []


@pytest.mark.parametrize("name", TEMPLATES)
def test_only_tags_are_reported_without_allow_tags(name: str) -> None:
    problems = check_docx(ROOT / "word_templates" / name)
    assert problems, "a template holds tags; the tag rule must report them"
    assert all("template tag" in problem for problem in problems), problems


def _paragraph_texts(path: Path) -> list[tuple[etree._Element, str]]:
    body = docx.Document(str(path)).element.body
    return [(p, "".join(t.text or "" for t in p.iter(f"{W}t"))) for p in body.iter(f"{W}p")]


@pytest.mark.parametrize("name", TEMPLATES)
def test_paragraph_level_tags_stand_alone(name: str) -> None:
    path = ROOT / "word_templates" / name
    found = 0
    bad = []
    for _, text in _paragraph_texts(path):
        if not LEVEL_TAG_START_RE.search(text):
            continue
        found += 1
        if not LEVEL_TAG_RE.fullmatch(text) or text.count("{%") != 1:
            bad.append(text)
    assert found, f"{name} has no paragraph-level tags"
    assert bad == []


@pytest.mark.parametrize("name", TEMPLATES)
def test_row_tags_own_their_row(name: str) -> None:
    """A {%tr %} row is replaced by its tag at render time; other cells must be empty."""
    body = docx.Document(str(ROOT / "word_templates" / name)).element.body
    for row in body.iter(f"{W}tr"):
        cells = ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in row.iter(f"{W}tc")]
        if any("{%tr" in cell for cell in cells):
            assert LEVEL_TAG_RE.fullmatch(cells[0]), cells
            assert all(cell == "" for cell in cells[1:]), cells


@pytest.mark.parametrize("name", TEMPLATES)
def test_block_tags_balance(name: str) -> None:
    """Every {%p for/if %} and {%tr for %} is closed by its own kind, in order."""
    stack: list[tuple[str, str]] = []
    opened = 0
    for _, text in _paragraph_texts(ROOT / "word_templates" / name):
        tag = LEVEL_TAG_RE.fullmatch(text)
        if tag is None:
            continue
        level = tag.group(1)
        keyword = text[tag.end(1) :].split()[0]
        if keyword in ("for", "if"):
            stack.append((level, keyword))
            opened += 1
        elif keyword in ("endfor", "endif"):
            assert stack, f"{text} closes nothing"
            assert stack.pop() == (level, keyword[3:]), text
    assert opened and stack == []


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_text_has_no_placeholders_or_padded_dates(name: str) -> None:
    for _, text in _paragraph_texts(ROOT / "word_templates" / name):
        assert not re.search(r"20[0-9]{0,2}[*_]+年|×{2,}|XX同志", text), text
        assert not re.search(r"\d{4}年0\d月|月0\d日", text), text
