"""officekit.masthead / mastheadtemplate: [documents.red_header] and [documents.imprint]
in a job file, through a real build."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from officekit.build import build
from officekit.errors import JobError, TemplateError
from officekit.gongwen import layout
from officekit.gongwen.check import check_docx
from officekit.job import load_job

MASTHEAD = """
[documents.red_header]
organ = "{{ 发文机关 }}文件"
number = "{{ 发文字号 }}"
[documents.imprint]
cc = "{{ 抄送 }}"
printer = "{{ 发文机关 }}办公室"
date = "{{ 印发日期 }}"
"""


def _job(folder: Path, masthead: str = MASTHEAD, rows: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "officekit.toml").write_text(
        '[job]\nworkbook = "数据.xlsx"\npdf = "none"\n[variables]\nsheet = "基本信息"\n'
        '[[documents]]\nname = "通知"\ntemplate = "通知.docx"\neach = "主送"\nas = "组"\n'
        'output = "{{ 编号 }}-{{ 名称 }}"\n' + masthead,
        encoding="utf-8",
    )
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "基本信息"
    for row in (
        ["项目", "内容"],
        ["发文机关", "青禾县禁毒委员会"],
        ["发文字号", "青禁毒委〔2026〕3号"],
        ["印发日期", "2026年3月2日"],
    ):
        info.append(row)
    groups = wb.create_sheet("主送")
    groups.append(["名称", "抄送"])
    for n in range(rows):
        groups.append([f"第{n + 1}组", "县委办公室，县政府办公室"])
    wb.save(folder / "数据.xlsx")
    doc = layout.new_document()
    layout.add_paragraph(doc, "title", "关于印发禁毒工作目标责任书的通知")
    layout.add_paragraph(doc, "greeting", "{{ 名称 }}各单位：")
    layout.add_paragraph(doc, "body", "现将责任书印发给你们，请认真抓好落实。")
    doc.save(folder / "通知.docx")
    return folder


def test_build_puts_the_masthead_into_every_document(tmp_path: Path) -> None:
    job = load_job(_job(tmp_path / "job"))
    result = build(job)
    letters = sorted((tmp_path / "job" / "output").glob("*.docx"))
    assert [p.name for p in letters] == ["01-第1组.docx", "02-第2组.docx"]
    for letter in letters:
        with zipfile.ZipFile(letter) as zf:
            xml = zf.read("word/document.xml").decode("utf-8")
            styles = zf.read("word/styles.xml").decode("utf-8")
        assert (
            xml.index("青禾县禁毒委员会文件")
            < xml.index("青禁毒委〔2026〕3号")
            < xml.index("关于印发")
        )
        assert "抄送：县委办公室，县政府办公室。" in xml and "2026年3月2日印发" in xml
        assert 'w:styleId="GwMark"' in styles
        assert check_docx(letter).findings == []
    assert result.format_findings == []


def test_changing_the_masthead_rebuilds(tmp_path: Path) -> None:
    folder = _job(tmp_path / "job")
    build(load_job(folder))
    toml = folder / "officekit.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('办公室"', '秘书科"'), encoding="utf-8"
    )
    build(load_job(folder))
    with zipfile.ZipFile(folder / "output" / "01-第1组.docx") as zf:
        assert "青禾县禁毒委员会秘书科" in zf.read("word/document.xml").decode("utf-8")


def test_unknown_name_in_a_pattern_names_the_closest(tmp_path: Path) -> None:
    folder = _job(tmp_path / "job", MASTHEAD.replace("{{ 发文字号 }}", "{{ 发文字 }}"))
    with pytest.raises(TemplateError) as caught:
        build(load_job(folder))
    assert "[documents.red_header] 的 number" in caught.value.message
    assert "“发文字”" in caught.value.message and "发文字号" in caught.value.message


@pytest.mark.parametrize(
    ("masthead", "message"),
    [
        ('\n[documents.red_header]\nnumber = "x"\n', "缺少 organ（发文机关标志）"),
        ('\n[documents.red_header]\norgan = "x"\ncolor = "red"\n', "没有“color”这一项"),
        ('\n[documents.imprint]\nprinter = "x"\n', "缺少 date（印发日期）"),
        ('\n[[documents]]\nname = "x"\ntemplate = "x.docx"\nimprint = "x"\n', "imprint 应是一个表"),
    ],
)
def test_job_file_mistakes(tmp_path: Path, masthead: str, message: str) -> None:
    folder = _job(tmp_path / "job", masthead)
    with pytest.raises(JobError) as caught:
        load_job(folder)
    assert message in caught.value.message
