"""Tags read the way Word, WPS and LibreOffice store them (officekit/tags.py).

The end-to-end test lets LibreOffice Writer re-save the shipped templates (it writes ``"``
as ``&quot;`` and splits runs at every change of script) and builds the shipped job with
them: the letters must say, word for word, what the original templates give.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import JOB_FILES, ROOT, resave
from docx import Document
from docx_helpers import make_template, texts
from hypothesis import given
from hypothesis import strategies as st

from officekit import tags
from officekit.build import Options, build
from officekit.gongwen.check import check_docx
from officekit.job import load_job
from officekit.render import compile_template


@pytest.mark.parametrize(
    ("stored", "code"),
    [
        # Writer's character references
        (" if 单位类别 == &quot;乡镇&quot; ", ' if 单位类别 == "乡镇" '),
        (" if 职责 == &apos;牵头&apos; ", " if 职责 == '牵头' "),
        (" if 行.本年数 &gt; 行.上年数 ", " if 行.本年数 > 行.上年数 "),
        (" 甲 &lt;= 乙 ", " 甲 <= 乙 "),
        (" x == &#34;是&#34; ", ' x == "是" '),
        (" x == &#x22;是&#x22; ", ' x == "是" '),
        # Word's AutoFormat quotes and the input method's
        (" if 职责 == “牵头” ", ' if 职责 == "牵头" '),
        (" if 职责 == ‘牵头’ ", " if 职责 == '牵头' "),
        (" 名单|顿号连接（末尾＝“等”） ", ' 名单|顿号连接(末尾="等") '),
        (
            " 行.本年数|同比（行.上年数，单位＝行.计量单位） ",
            " 行.本年数|同比(行.上年数,单位=行.计量单位) ",
        ),
        (" 统计数据［“破获案件”］.本年数 ", ' 统计数据["破获案件"].本年数 '),
        ("\u3000单位名称\u3000", " 单位名称 "),
        (" 数值｜中文数字 ", " 数值|中文数字 "),
        # Inside a literal the text is the clerk's: full-width signs stay
        (' "（一）" ~ 标题 ', ' "（一）" ~ 标题 '),
        (" “第一，”~标题 ", ' "第一，"~标题 '),
        (' "他说“好”" ', ' "他说“好”" '),
        (' "a\\"b（" ', ' "a\\"b（" '),
        # Not a reference XML defines: left for Jinja to report
        (" x &nbsp; y ", " x &nbsp; y "),
    ],
)
def test_tag_content_becomes_jinja(stored: str, code: str) -> None:
    assert tags.code(stored) == code


def test_text_outside_tags_is_left_byte_for_byte() -> None:
    source = "<w:t>“甲”（乙）&quot;丙&quot;：</w:t><w:t>{{ “丁” }}</w:t><w:t>（戊）</w:t>"
    assert tags.normalise(source) == (
        '<w:t>“甲”（乙）&quot;丙&quot;：</w:t><w:t>{{ "丁" }}</w:t><w:t>（戊）</w:t>'
    )


def test_plain_source_is_returned_as_it_is() -> None:
    source = '<w:t>{% if a == "b" %}x{% endif %}</w:t>'
    assert tags.normalise(source) is source


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_plain_ascii_code_is_unchanged(text: str) -> None:
    # Code already in Jinja's own signs (no references, no wide signs) never changes.
    if "&" in text or any(ch in text for ch in tags._FULL_WIDTH_SIGNS):
        text = "x"
    assert tags.code(text) == text


def test_literal_escapes_print_as_tags() -> None:
    assert tags.unescape_literals("{_{ 名称 }_} 与 {_% if %_}") == "{{ 名称 }} 与 {% if %}"
    assert tags.has_literal_escapes("<w:t>{_{ x }_}</w:t>")
    assert not tags.has_literal_escapes("<w:t>{{ x }}</w:t>")


def _letter_texts(output: Path) -> dict[str, list[str]]:
    return {
        str(path.relative_to(output)): texts(path)
        for path in sorted(output.rglob("*.docx"))
        if not path.name.startswith("~$")
    }


def _copy_job(folder: Path) -> Path:
    for name in JOB_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, folder / name)
    return folder


def test_templates_resaved_by_libreoffice_build_the_same_text(
    tmp_path: Path, soffice: Path
) -> None:
    original = _copy_job(tmp_path / "original")
    resaved = _copy_job(tmp_path / "resaved")
    templates = sorted((ROOT / "word_templates").glob("*.docx"))
    assert len(templates) >= 2
    for template in templates:
        resave(soffice, template, resaved / "word_templates", "docx:MS Word 2007 XML")
        # Writer really did store the tags its own way: the test is not vacuous.
        stored = Document(resaved / "word_templates" / template.name).element.xml
        assert stored != Document(template).element.xml
    with zipfile.ZipFile(resaved / "word_templates" / "责任书.docx") as zf:
        assert "&quot;" in zf.read("word/document.xml").decode("utf-8")

    options = Options(pdf="none", jobs=1)
    first = build(load_job(original), options=options)
    second = build(load_job(resaved), options=options)
    assert first.ok and second.ok
    expected = _letter_texts(original / "output")
    got = _letter_texts(resaved / "output")
    assert set(got) == set(expected) and len(got) > 30
    for name, paragraphs in expected.items():
        assert got[name] == paragraphs, name
    for path in sorted((resaved / "output").rglob("*.docx")):
        report = check_docx(path)
        assert report.ok, (path.name, report.errors)


def test_split_runs_with_bookmarks_and_proofing_marks_compile(tmp_path: Path) -> None:
    """A tag cut by everything Word puts between runs: rsids, a proofing mark, a bookmark."""
    path = make_template(tmp_path / "t.docx", ["X"])

    with zipfile.ZipFile(path) as zf:
        members = {i: zf.read(i) for i in zf.namelist()}
    xml = members["word/document.xml"].decode("utf-8")
    split = (
        '<w:r w:rsidR="00A1"><w:t>{{</w:t></w:r><w:proofErr w:type="spellStart"/>'
        '<w:r w:rsidRPr="00B2"><w:t xml:space="preserve"> 名</w:t></w:r>'
        '<w:bookmarkStart w:id="0" w:name="b"/><w:r><w:t>称|顿号连接（末尾＝</w:t></w:r>'
        '<w:bookmarkEnd w:id="0"/><w:r><w:t>&quot;等&quot;） }</w:t></w:r>'
        '<w:proofErr w:type="spellEnd"/><w:r><w:t>}</w:t></w:r>'
    )
    xml = xml.replace("<w:r><w:t>X</w:t></w:r>", split, 1)
    assert split in xml
    members["word/document.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    compiled = compile_template(path)
    rendered = compiled.render({"名称": ["甲", "乙"]})["word/document.xml"].decode("utf-8")
    assert "甲、乙等" in rendered
