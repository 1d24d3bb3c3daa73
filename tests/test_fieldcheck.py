"""Mail-merge leftovers in finished documents are errors (officekit.gongwen.fieldcheck)."""

from __future__ import annotations

from pathlib import Path

from docx_helpers import part
from merge_helpers import complex_field, merge_template, simple, text

from officekit.gongwen.check import check_docx
from officekit.gongwen.words import check_text


def _leftovers(findings: list) -> list[str]:
    return [f.message for f in findings if f.rule == "遗留标记" and f.severity == "error"]


def test_old_outputs_with_fields_left_in_fail(tmp_path: Path) -> None:
    # What officekit made of a mail-merge template before it read fields: the template.
    old = merge_template(
        tmp_path / "01-县公安局.docx",
        [text("乙方：") + simple(" MERGEFIELD 单位名称 ", "«单位名称»")],
        table=[[text("考核内容")], [complex_field(" MERGEFIELD 考核内容 ", "«考核内容»", 4)]],
    )
    report = check_docx(old)
    assert not report.ok
    messages = _leftovers(report.findings)
    assert any("«单位名称»" in m for m in messages)
    assert any("合并域“考核内容”" in m and "域代码" in m for m in messages)
    words = _leftovers(check_text(part(old).encode("utf-8")))  # every letter's check
    assert any("合并域“单位名称”" in m for m in words) and any("«考核内容»" in m for m in words)


def test_a_field_showing_a_value_is_still_a_leftover(tmp_path: Path) -> None:
    # Word's 预览结果 leaves the first record's value as every letter's result.
    old = merge_template(
        tmp_path / "信.docx", [text("乙方：") + simple(" MERGEFIELD 单位名称 ", "县公安局")]
    )
    assert any("合并域“单位名称”" in m for m in _leftovers(check_docx(old).findings))


def test_templates_may_hold_fields(tmp_path: Path) -> None:
    template = merge_template(
        tmp_path / "模板.docx", [simple(" MERGEFIELD 单位名称 ", "«单位名称»")]
    )
    assert not _leftovers(check_docx(template, allow_tags=True).findings)


def test_page_fields_and_book_titles_are_not_leftovers(tmp_path: Path) -> None:
    doc = merge_template(
        tmp_path / "信.docx", [text("根据《中华人民共和国禁毒法》，") + simple(" PAGE ", "1")]
    )
    assert not _leftovers(check_docx(doc).findings)
