"""Reading fields out of Word XML (officekit.mergeparse)."""

from __future__ import annotations

from lxml import etree
from merge_helpers import W_NS, complex_field, nested_if, simple, text

from officekit.mergeparse import Field, find_fields, merge_name, switches, text_of, tokens


def _fields(runs: str) -> list[Field]:
    root = etree.fromstring(f'<w:body xmlns:w="{W_NS}"><w:p>{runs}</w:p></w:body>')
    return find_fields(root)


def test_simple_and_complex_fields_in_order() -> None:
    found = _fields(
        simple(" MERGEFIELD 甲 ", "«甲»")
        + text("，")
        + complex_field(' MERGEFIELD "单位 名称" \\* MERGEFORMAT ', "«单位 名称»", pieces=5)
    )
    assert [f.kind for f in found] == ["MERGEFIELD", "MERGEFIELD"]
    assert [merge_name(f) for f in found] == ["甲", "单位 名称"]
    assert len(found[1].elements) == 9  # begin, 5 code pieces, separate, result, end
    assert [r.findtext(f"{{{W_NS}}}t") for r in found[1].result] == ["«单位 名称»"]


def test_code_split_inside_a_word_is_one_keyword() -> None:
    (found,) = _fields(complex_field(" MERGEFIELD 会议日期 ", "«会议日期»", pieces=8))
    assert found.kind == "MERGEFIELD" and merge_name(found) == "会议日期"


def test_nested_merge_field_in_an_if() -> None:
    (found,) = _fields(nested_if("职责", "=", "牵头", "（牵头）", ""))
    assert found.kind == "IF" and found.merge_names() == ["职责"]
    kinds = [kind for kind, _ in tokens(found.code)]
    assert kinds == ["word", "field", "word", "quoted", "quoted", "quoted"]


def test_tokens_quotes_escapes_and_switches() -> None:
    parts = tokens([' MERGEFIELD 日期 \\@ "yyyy年M月d日" \\*Upper \\b “前 文” \\f "a\\"b" '])
    assert [text_of(t) for t in parts[:2]] == ["MERGEFIELD", "日期"]
    found, plain = switches(parts[1:])
    assert found == [("\\@", "yyyy年M月d日"), ("\\*", "Upper"), ("\\b", "前 文"), ("\\f", 'a"b')]
    assert [text_of(t) for t in plain] == ["日期"]


def test_deleted_runs_are_not_read() -> None:
    runs = f"<w:del>{simple(' MERGEFIELD 旧 ', '«旧»')}</w:del>" + simple(" MERGEFIELD 新 ", "x")
    root = etree.fromstring(f'<w:body xmlns:w="{W_NS}"><w:p>{runs}</w:p></w:body>')
    assert [merge_name(f) for f in find_fields(root)] == ["新"]
