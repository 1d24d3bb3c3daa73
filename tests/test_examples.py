"""The second example job builds, meets GB/T 9704, and matches its build script."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
from conftest import ROOT, load_tool
from docx_helpers import texts
from gbt9704 import check_docx

from officekit.build import build
from officekit.job import load_job

EXAMPLE = ROOT / "examples" / "会议通知"


def test_notice_example_builds_one_notice_per_unit(tmp_path: Path) -> None:
    folder = tmp_path / "会议通知"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("output"))
    result = build(load_job(folder), pdf="none")
    assert result.ok and result.warnings == []
    notices = sorted((folder / "output" / "通知").glob("*.docx"))
    assert len(notices) == 8
    first = texts(notices[0])
    assert first[0] == "关于召开全县安全生产工作会议的通知"
    assert "城关镇：" in first
    assert "2026年3月12日上午9时，会期半天。" in first
    assert "0000-1234567" in "".join(first)  # text cell keeps its leading zeros
    for path in notices + [folder / "output" / "通知汇总.docx"]:
        assert check_docx(path) == [], path.name


def test_committed_example_matches_its_script(tmp_path: Path, monkeypatch) -> None:
    module = load_tool("build_example_notice")
    monkeypatch.setattr(module, "FOLDER", tmp_path)
    module.main()
    for name in ("通知.docx",):
        with zipfile.ZipFile(EXAMPLE / name) as a, zipfile.ZipFile(tmp_path / name) as b:
            assert {i.filename: a.read(i) for i in a.infolist()} == {
                i.filename: b.read(i) for i in b.infolist()
            }
    assert (tmp_path / "officekit.toml").read_text(encoding="utf-8") == (
        EXAMPLE / "officekit.toml"
    ).read_text(encoding="utf-8")
    old = openpyxl.load_workbook(EXAMPLE / "会议通知数据.xlsx")
    new = openpyxl.load_workbook(tmp_path / "会议通知数据.xlsx")
    for sheet in old.sheetnames:
        assert [[c.value for c in r] for r in old[sheet].iter_rows()] == [
            [c.value for c in r] for r in new[sheet].iter_rows()
        ]


# ---- a speech collection pasted from the web -------------------------------------------------

DRAFTS = ROOT / "examples" / "讲话稿草稿" / "网上合集.txt"

# (style name, start of text) of every heading in each typeset speech, in order.
HEADINGS = {
    "01-在全县禁毒工作会议上的讲话.docx": [
        ("一级标题", "一、科学研判形势，充分认识禁毒工作的长期性和复杂性"),
        ("二级标题", "（一）毒品来源渠道更加隐蔽"),
        ("二级标题", "（二）吸毒人员管控压力加大"),
        ("一级标题", "二、突出工作重点，坚决打好禁毒人民战争"),
        ("h2 run-in", "（一）保持严打高压。"),
        ("三级标题", "1.打团伙、摧网络"),
        ("三级标题", "2.强化寄递物流查缉"),
        ("h2 run-in", "（二）深化预防教育。"),
        ("一级标题", "三、强化责任落实，形成齐抓共管的工作格局"),
    ],
    "02-在全县禁毒宣传月启动仪式上的讲话.docx": [
        ("一级标题", "认识要再提高"),
        ("一级标题", "措施要再有力"),
    ],
    "03-在全县禁毒委员会全体会议上的讲话.docx": [
        ("h1 run-in", "第一，要打好禁毒重点整治攻坚战。"),
        ("h1 run-in", "第二，要抓好吸毒人员服务管理。"),
        ("h1 run-in", "第三，要夯实禁毒工作基础。"),
    ],
}
RUN_IN_FONT = {"h1 run-in": "黑体", "h2 run-in": "楷体_GB2312"}


def _headings(path: Path) -> list[tuple[str, str]]:
    import docx
    from docx.oxml.ns import qn

    found = []
    for paragraph in docx.Document(str(path)).paragraphs:
        style = paragraph.style.name
        if style in ("一级标题", "二级标题", "三级标题"):
            found.append((style, paragraph.text))
        elif paragraph.runs and len(paragraph.runs) > 1:
            fonts = paragraph.runs[0]._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            face = fonts.get(qn("w:eastAsia")) if fonts is not None else None
            kind = next((k for k, v in RUN_IN_FONT.items() if v == face), None)
            if kind:
                found.append((kind, paragraph.runs[0].text))
    return found


def test_web_collection_typesets_one_document_per_speech(tmp_path: Path) -> None:
    from officekit.gongwen.check import check_docx as officekit_check
    from officekit.gongwen.typeset import typeset

    result = typeset(DRAFTS, tmp_path / "排版")
    assert [p.name for p in result.outputs] == list(HEADINGS)
    for path in result.outputs:
        assert _headings(path) == HEADINGS[path.name], path.name
        assert officekit_check(path).findings == [], path.name
    # The web residue is gone and was reported, the text itself is kept.
    kinds = {c.kind for c in result.changes}
    assert {"删除广告行", "删除合集标记", "删除引用符号", "还原实体", "全角标点"} <= kinds
    speech = "".join(texts(result.outputs[0]))
    assert "“成绩来之不易”" in speech and "ldquo" not in speech and ">" not in speech
    assert "主要任务是总结去年工作，部署今年任务" in speech
    assert "层层分解责任；会上签订" in speech
    assert "VIP" not in speech and "【篇" not in speech
