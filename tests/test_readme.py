"""The README's filter table shows real output: every example renders as written."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import ROOT

from officekit.filters import FILTERS
from officekit.render import make_environment
from officekit.values import Cell

README = (ROOT / "README.md").read_text(encoding="utf-8")

# Values behind the README's examples (91 对 80, 62 对 107, 91 对 89 …).
CONTEXT = {
    "同比": {"行": {"本年数": Cell(91), "上年数": Cell(80)}},
    "增减": {"行": {"本年数": Cell(62), "上年数": Cell(107)}},
    "完成率": {"行": {"本年数": Cell(91), "任务数": Cell(89)}},
    "中文日期": {"会议日期": Cell(dt.date(2026, 3, 5), "yyyy-m-d")},
    "大写日期": {"会议日期": Cell(dt.date(2026, 3, 5), "yyyy-m-d")},
    "顿号连接": {"名单": ["甲", "乙", "丙"]},
    "句子": {"任务内容": Cell("严厉打击毒品犯罪；")},
}
EXPECTED_SPECIAL = {"顿号连接": ["甲、乙、丙", "甲、乙、丙等"], "句子": ["严厉打击毒品犯罪。"]}


def _rows() -> list[tuple[str, list[str], list[str]]]:
    section = README.split("### 中文过滤器", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| ") or "`" not in line:
            continue
        # Cells are separated by " | "; filters inside code use "|" without spaces.
        name, example, result = (c.strip() for c in line.strip().strip("|").split(" | "))
        examples = re.findall(r"`(\{\{.*?\}\})`", example)
        result = result.split("；")[0]
        results = result.split("　") if "　" in result else result.split("、")
        rows.append((name.strip(), examples, [r for r in results if r]))
    return rows


ROWS = _rows()


def test_readme_documents_every_filter() -> None:
    assert [name for name, _, _ in ROWS] == list(FILTERS)


@pytest.mark.parametrize(("name", "examples", "results"), ROWS, ids=[r[0] for r in ROWS])
def test_examples_render_as_documented(name: str, examples: list[str], results: list[str]) -> None:
    env = make_environment()
    rendered = [env.from_string(e).render(CONTEXT.get(name, {})) for e in examples]
    assert rendered == EXPECTED_SPECIAL.get(name, results)
