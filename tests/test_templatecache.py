"""officekit.templatecache: a template compiled once is loaded, not compiled, by the next
build, and renders and reports errors exactly as a fresh compile does."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from docx_helpers import make_template

from officekit import render, templatecache
from officekit.errors import TemplateError
from officekit.render import compile_template
from officekit.values import Cell

SHIPPED = Path(__file__).resolve().parent.parent / "word_templates"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OFFICEKIT_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "templates"


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = render._patcher

    def counting():  # noqa: ANN202
        calls.append(1)
        return real()

    monkeypatch.setattr(render, "_patcher", counting)
    return calls


@pytest.mark.parametrize("name", ["责任书.docx", "讲话稿.docx"])
def test_the_second_compile_is_loaded_and_renders_the_same(
    name: str, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _compiles(monkeypatch)
    fresh = compile_template(SHIPPED / name)
    assert calls == [1]
    assert len(list(cache.glob("*.marshal"))) == 1
    loaded = compile_template(SHIPPED / name)
    assert calls == [1]  # nothing compiled the second time
    assert loaded.variables() == fresh.variables()
    assert loaded.constant_lookups() == fresh.constant_lookups()
    assert {n: p.source for n, p in loaded.parts.items()} == {
        n: p.source for n, p in fresh.parts.items()
    }


def test_rendering_from_the_cache_gives_the_same_document(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["{{ 县名 }}共破获{{ 案件 }}起", "{{ 日期 }}"])
    variables = {"县名": Cell("青禾县"), "案件": Cell(91.0, "0"), "日期": Cell("2026年3月5日")}
    fresh = compile_template(tpl).render(variables)
    assert compile_template(tpl).render(variables) == fresh


def test_errors_from_a_cached_template_name_the_same_paragraph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tpl = make_template(tmp_path / "讲话.docx", ["{{ 县名 }}", "{{ 本年 | 同比(上年) }}"])
    messages = []
    calls = _compiles(monkeypatch)
    for _ in range(2):
        with pytest.raises(TemplateError) as info:
            compile_template(tpl).render(
                {"县名": "青禾县", "本年": Cell("九十一"), "上年": Cell(80)}
            )
        messages.append(info.value.message)
    assert calls == [1]
    assert messages[0] == messages[1]
    assert "第 2 段" in messages[0]


def test_a_changed_template_or_profile_is_compiled_again(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tpl = make_template(tmp_path / "t.docx", ["{{ 甲 }}"])
    calls = _compiles(monkeypatch)
    compile_template(tpl)
    compile_template(tpl, profile="Windows")
    make_template(tpl, ["{{ 乙 }}"])
    assert compile_template(tpl).variables() == {"乙"}
    assert len(calls) == 3
    assert len(list(cache.glob("*.marshal"))) == 3


def test_a_damaged_entry_is_compiled_again(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tpl = make_template(tmp_path / "t.docx", ["{{ 甲 }}"])
    compile_template(tpl)
    (entry,) = cache.glob("*.marshal")
    entry.write_bytes(entry.read_bytes()[:40])
    calls = _compiles(monkeypatch)
    assert compile_template(tpl).render({"甲": "一"}) == compile_template(tpl).render({"甲": "一"})
    assert calls == [1]  # compiled again once, then loaded


def test_an_unwritable_cache_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("OFFICEKIT_CACHE", str(blocker))
    tpl = make_template(tmp_path / "t.docx", ["{{ 甲 }}"])
    assert compile_template(tpl).variables() == {"甲"}
    assert not templatecache.load(
        templatecache.key(tpl, tpl.read_bytes(), "[]", "env", render.COMPILERS)
    )
    assert os.path.isfile(blocker)


def test_a_cached_template_is_still_sandboxed(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["{{ 名.__class__.__mro__[1].__subclasses__() }}"])
    for _ in range(2):  # compiled, then loaded
        with pytest.raises(TemplateError):
            compile_template(tpl).render({"名": "x"})


def test_only_the_newest_entries_are_kept(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(templatecache, "KEEP", 2)
    tpl = make_template(tmp_path / "t.docx", ["{{ 甲 }}"])
    for n in range(4):  # four edits of the template
        make_template(tpl, [f"{{{{ 甲{n} }}}}"])
        compile_template(tpl)
        entry = max(cache.glob("*.marshal"), key=lambda p: p.stat().st_mtime_ns)
        os.utime(entry, ns=(n * 10**9, n * 10**9))  # in order, whatever the clock's grain
    assert len(list(cache.glob("*.marshal"))) == 2
    calls = _compiles(monkeypatch)
    assert compile_template(tpl).variables() == {"甲3"}
    assert calls == []  # the newest is still there


def test_another_environment_compiles_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officekit.render import make_environment, make_name_environment

    tpl = make_template(tmp_path / "t.docx", ["{{ 名 }}"])
    calls = _compiles(monkeypatch)
    escaped = compile_template(tpl, make_environment()).render({"名": "A&B"})
    plain = compile_template(tpl, make_name_environment())  # no XML escaping
    assert len(calls) == 2
    assert b"A&amp;B" in escaped["word/document.xml"]
    assert plain.parts["word/document.xml"].template.environment.autoescape is False


def test_untouched_parts_are_compressed_once_then_loaded_or_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts every document copies: the template's own compressed bytes, or (changed by
    the font profile) deflated at the first compile and kept with the compiled code."""
    from officekit import package

    deflated: list[str] = []
    real = package.member

    def counting(name: str, data: bytes, level: int = 6) -> package.Member:
        deflated.append(name)
        return real(name, data, level)

    monkeypatch.setattr(package, "member", counting)
    fresh = compile_template(SHIPPED / "责任书.docx", profile="GB2312")
    assert "word/styles.xml" in deflated  # font names renamed: compressed here
    assert "word/theme/theme1.xml" not in deflated  # untouched: copied
    deflated.clear()
    read: list[str] = []
    real_read = render._read_part
    monkeypatch.setattr(
        render,
        "_read_part",
        lambda zf, info, path: read.append(info.filename) or real_read(zf, info, path),
    )
    loaded = compile_template(SHIPPED / "责任书.docx", profile="GB2312")
    assert deflated == []
    assert read == ["docProps/core.xml"]  # the rest is in the entry, or copied as it is
    rendered = {name: part.source.encode("utf-8") for name, part in fresh.parts.items()}
    for compiled, name in ((fresh, "fresh.docx"), (loaded, "loaded.docx")):
        compiled.write(rendered, tmp_path / name)
    assert (tmp_path / "fresh.docx").read_bytes() == (tmp_path / "loaded.docx").read_bytes()
    with zipfile.ZipFile(tmp_path / "loaded.docx") as zf:
        assert zf.testzip() is None
        assert {n: zf.read(n) for n in zf.namelist()} == {
            info.filename: rendered.get(info.filename, data) for info, data in fresh.entries
        }
