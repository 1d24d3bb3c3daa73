"""`fields`: the variables a template reads, and which the workbook lacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from docx_helpers import make_template

from officekit.errors import JobError
from officekit.fields import template_fields


def test_lists_top_level_names_but_not_names_the_template_sets(tmp_path: Path) -> None:
    tpl = make_template(
        tmp_path / "t.docx",
        [
            "{{ 县名 }}",
            "{%p for 行 in 统计数据 %}",
            "{{ 行.本年数 }}",
            "{%p endfor %}",
            "{% set 小计 = 1 %}{{ 小计 }}",
        ],
    )
    names = [n for n, _ in template_fields(tpl, None, tmp_path).rows]
    assert names == ["县名", "统计数据"]


def test_reports_missing_variables_and_missing_rows(tmp_path: Path) -> None:
    tpl = make_template(
        tmp_path / "t.docx", ['{{ 县名 }}{{ 镇名 }}{{ 统计数据["不存在的指标"].本年数 }}']
    )
    report = template_fields(tpl, ROOT / "sheets" / "禁毒工作数据.xlsx", ROOT)
    assert report.missing == ["镇名", '统计数据["不存在的指标"]']
    sources = dict(report.rows)
    assert sources["县名"] == "「基本信息」表的项目"


def test_comparing_needs_a_job_file(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["{{ 县名 }}"])
    with pytest.raises(JobError) as info:
        template_fields(tpl, ROOT / "sheets" / "禁毒工作数据.xlsx", tmp_path)
    assert "officekit.toml" in info.value.message


def test_lists_merge_fields_beside_tags_and_the_closest_name(tmp_path: Path) -> None:
    from merge_helpers import merge_template, simple, text

    tpl = merge_template(
        tmp_path / "责任书.docx",  # the shipped job's per-row letter: 责任单位 rows
        [
            text("{{ 县名 }}：") + simple(" MERGEFIELD 单位名称 ", "«单位名称»"),
            simple(' MERGEFIELD 签订日期 \\@ "yyyy年M月d日" ', "«签订日期»")
            + simple(" MERGEFIELD 单位类型 ", "«单位类型»"),
        ],
        table=[[simple(" MERGEFIELD 序号 ", "1"), simple(" MERGEFIELD 考核内容 ", "«考核内容»")]],
    )
    alone = template_fields(tpl, None, tmp_path)
    assert alone.rows == [
        ("县名", ""),
        ("«单位名称»", "Word 合并域"),
        ("«签订日期»", "Word 合并域"),
        ("«单位类型»", "Word 合并域"),
        ("«序号»", "Word 合并域"),
        ("«考核内容»", "Word 合并域"),
    ]
    assert "数据源不再使用" in alone.note
    report = template_fields(tpl, ROOT / "sheets" / "禁毒工作数据.xlsx", ROOT)
    sources = dict(report.rows)
    assert sources["«单位名称»"] == "合并域：「责任单位」表当前行的「单位名称」列"
    assert sources["«签订日期»"] == "合并域：「基本信息」表的项目「签订日期」"
    assert sources["«考核内容»"].startswith("合并域：「考核指标」表的「考核内容」列")
    assert sources["«序号»"].startswith("合并域：重复的表格行的序号")
    assert report.missing == ["«单位类型»"]
    assert "最接近的有：单位类别" in sources["«单位类型»"]
