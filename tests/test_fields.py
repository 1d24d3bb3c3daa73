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
