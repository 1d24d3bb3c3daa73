"""Pictures named in the workbook (officekit/pictures.py), through whole builds."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import resave
from docx import Document
from docx.shared import Mm
from test_docxtpl_shapes import _png

from officekit.build import Options, build
from officekit.errors import WorkbookError
from officekit.gongwen import layout
from officekit.job import load_job


def _job(folder: Path, seals: list[str | None]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "officekit.toml").write_text(
        '[job]\nworkbook = "单位.xlsx"\npdf = "none"\n\n'
        '[[documents]]\nname = "函"\ntemplate = "函.docx"\neach = "单位"\nas = "单位"\n'
        'output = "函/{{ 编号 }}-{{ 名称 }}"\n',
        encoding="utf-8",
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(["名称", "公章"])
    for i, seal in enumerate(seals, start=1):
        ws.append([f"单位{i}", seal])
    wb.save(folder / "单位.xlsx")
    doc = layout.new_document()
    layout.add_paragraph(doc, "title", "关于{{ 名称 }}的函")
    layout.add_paragraph(doc, "body", "特此函告。")
    layout.add_paragraph(doc, "body", "盖章：{{ 单位.公章|图片(宽=42) }}")
    doc.save(folder / "函.docx")
    return folder


def test_each_letter_carries_its_own_picture(tmp_path: Path) -> None:
    folder = _job(tmp_path / "job", ["章/一.png", "章/二.png", None])
    (folder / "章").mkdir()
    _png(folder / "章" / "一.png", 120, 120)
    _png(folder / "章" / "二.png", 240, 120)
    result = build(load_job(folder), options=Options(jobs=1))
    assert result.ok and not result.format_findings, result.format_findings
    letters = sorted((folder / "output" / "函").glob("*.docx"))
    assert len(letters) == 3
    shapes = [Document(p).inline_shapes for p in letters]
    assert [len(s) for s in shapes] == [1, 1, 0]  # an empty cell places nothing
    assert (shapes[0][0].width, shapes[0][0].height) == (Mm(42), Mm(42))
    assert (shapes[1][0].width, shapes[1][0].height) == (Mm(42), Mm(21))
    blob = Document(letters[1]).inline_shapes[0]._inline.graphic.graphicData.pic.blipFill
    rid = blob.blip.embed
    assert Document(letters[1]).part.related_parts[rid].blob == (folder / "章/二.png").read_bytes()


def test_a_replaced_picture_makes_its_letters_again(tmp_path: Path) -> None:
    folder = _job(tmp_path / "job", ["章.png", "章.png"])
    _png(folder / "章.png", 100, 100)
    build(load_job(folder), options=Options(jobs=1))
    again = build(load_job(folder), options=Options(jobs=1))
    assert all(o.unchanged for o in again.outputs if o.relative.startswith("函/"))
    _png(folder / "章.png", 100, 50)  # same name, other picture
    os.utime(folder / "章.png", ns=(1, 1))
    third = build(load_job(folder), options=Options(jobs=1))
    letters = [o for o in third.outputs if o.relative.startswith("函/")]
    assert letters and not any(o.unchanged for o in letters)
    letter = sorted((folder / "output" / "函").glob("*.docx"))[0]
    assert Document(letter).inline_shapes[0].height == Mm(21)


def test_missing_picture_stops_the_build_naming_the_cell(tmp_path: Path) -> None:
    folder = _job(tmp_path / "job", ["章.png", "没有.png"])
    _png(folder / "章.png", 10, 10)
    with pytest.raises(WorkbookError) as caught:
        build(load_job(folder), options=Options(jobs=1))
    message = str(caught.value)
    assert message.startswith("「单位」表 B3 的图片“没有.png”找不到")
    assert not (folder / "output" / "函").exists()  # nothing half-written


def test_picture_prints_in_libreoffice(tmp_path: Path, soffice: Path) -> None:
    folder = _job(tmp_path / "job", ["章.png"])
    _png(folder / "章.png", 300, 300)
    build(load_job(folder), options=Options(jobs=1))
    letter = next((folder / "output" / "函").glob("*.docx"))
    pdf = resave(soffice, letter, tmp_path / "pdf", "pdf")
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    images = [line for line in listing.splitlines()[2:] if line.strip()]
    assert len(images) == 1 and " 300 " in images[0]  # the picture, at its own pixels
