"""Every option of build, pdf, check and typeset reaches the library: each is given on the
command line (typer's runner, in process) and its effect is read from the files written.

The job is a small one written here: three letters, one per row of a real .xlsx, and their
combined print file. LibreOffice runs only where the option is about PDFs (build --pdf,
pdf --simplex/--fonts, check --pdf).
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx_helpers import make_template
from pypdf import PdfReader
from typer.testing import CliRunner

from officekit.cli import app

runner = CliRunner()
UNITS = ["县公安局", "县教育局", "县卫健局"]


def _job(folder: Path, job_lines: str = "") -> Path:
    """A job of three letters (one per unit) and their combined file ``汇总``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "officekit.toml").write_text(
        '[job]\nworkbook = "data.xlsx"\noutput = "output"\n'
        + job_lines
        + '\n[[documents]]\nname = "通知书"\ntemplate = "信.docx"\neach = "单位"\n'
        'as = "单位"\noutput = "信/{{ 序号 }}-{{ 单位名称 }}"\ncombined = "汇总"\n',
        encoding="utf-8",
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(["序号", "单位名称"])
    for number, unit in enumerate(UNITS, start=1):
        ws.append([number, unit])
    wb.save(folder / "data.xlsx")
    make_template(folder / "信.docx", ["{{ 单位.单位名称 }}：", "请按要求做好禁毒工作。"])
    return folder


def _document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def _section_starts(path: Path) -> list[str]:
    """The start type of every section but the first (how each letter begins)."""
    return re.findall(r'<w:type w:val="(\w+)"/>', _document_xml(path))


def _build(folder: Path, *options: str) -> str:
    result = runner.invoke(app, ["build", str(folder), *options])
    assert result.exit_code == 0, result.output
    return result.output


# ---- build ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("job_lines", "options", "start"),
    [
        ("", [], "oddPage"),  # duplex by default: each letter starts on a front page
        ("", ["--simplex"], "nextPage"),
        ("duplex = false\n", [], "nextPage"),
        ("duplex = false\n", ["--duplex"], "oddPage"),
    ],
)
def test_build_duplex_and_simplex(
    tmp_path: Path, job_lines: str, options: list[str], start: str
) -> None:
    folder = _job(tmp_path / "job", job_lines)
    _build(folder, "--no-pdf", *options)
    starts = _section_starts(folder / "output" / "汇总.docx")
    assert starts == [start] * len(UNITS)


@pytest.mark.parametrize(("options", "copies"), [([], 1), (["--copies", "2"], 2)])
def test_build_copies(tmp_path: Path, options: list[str], copies: int) -> None:
    folder = _job(tmp_path / "job", "copies = 1\n")
    _build(folder, "--no-pdf", *options)
    xml = _document_xml(folder / "output" / "汇总.docx")
    assert [xml.count(f"{unit}：") for unit in UNITS] == [copies] * len(UNITS)
    # Each copy follows its original: 公安局, 公安局, 教育局, …
    order = re.findall("|".join(f"{u}：" for u in UNITS), xml)
    assert order == [f"{u}：" for u in UNITS for _ in range(copies)]


def test_build_copies_out_of_range_is_refused(tmp_path: Path) -> None:
    folder = _job(tmp_path / "job")
    result = runner.invoke(app, ["build", str(folder), "--no-pdf", "--copies", "21"])
    assert result.exit_code == 2
    assert not (folder / "output").exists()


@pytest.mark.parametrize(
    ("options", "volumes"),
    [
        ([], ["汇总.docx"]),
        (["--volume", "2"], ["汇总（第1册）.docx", "汇总（第2册）.docx"]),
        (["--volume", "1"], [f"汇总（第{n}册）.docx" for n in (1, 2, 3)]),
    ],
)
def test_build_volume(tmp_path: Path, options: list[str], volumes: list[str]) -> None:
    folder = _job(tmp_path / "job", "combined_volume = 0\n")
    _build(folder, "--no-pdf", *options)
    written = sorted(p.name for p in (folder / "output").glob("汇总*.docx"))
    assert written == sorted(volumes)
    units_per_volume = [
        sum(_document_xml(folder / "output" / v).count(f"{u}：") for u in UNITS) for v in volumes
    ]
    assert sum(units_per_volume) == len(UNITS)


def test_build_force_writes_unchanged_files_again(tmp_path: Path) -> None:
    folder = _job(tmp_path / "job")
    letter = folder / "output" / "信" / "1-县公安局.docx"
    _build(folder, "--no-pdf")
    first = letter.stat()
    _build(folder, "--no-pdf")
    second = letter.stat()
    assert (second.st_ino, second.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    _build(folder, "--no-pdf", "--force")
    third = letter.stat()
    assert (third.st_ino, third.st_mtime_ns) != (first.st_ino, first.st_mtime_ns)
    assert "县公安局：" in _document_xml(letter)


@pytest.mark.parametrize(("options", "jobs"), [([], None), (["--jobs", "1"], 1), (["-j", "3"], 3)])
def test_build_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: list[str], jobs: int | None
) -> None:
    """How many processes render cannot be seen in the files: the real build runs, and the
    options it was given are read on the way in."""
    from officekit import build as build_module

    seen = []
    real = build_module.build

    def recording(job, **kwargs):  # noqa: ANN001, ANN003, ANN202
        seen.append(kwargs["options"])
        return real(job, **kwargs)

    monkeypatch.setattr(build_module, "build", recording)
    folder = _job(tmp_path / "job")
    _build(folder, "--no-pdf", *options)
    assert [o.jobs for o in seen] == [jobs]
    assert (folder / "output" / "信" / "3-县卫健局.docx").exists()


def test_build_no_pdf_overrides_the_job_file(tmp_path: Path) -> None:
    folder = _job(tmp_path / "job", 'pdf = "all"\n')
    _build(folder, "--no-pdf")
    assert list((folder / "output").rglob("*.pdf")) == []
    assert (folder / "output" / "汇总.docx").exists()


def test_build_pdf_converts_every_document(tmp_path: Path, soffice: Path) -> None:
    """--pdf (the job file says "none"): a PDF beside every .docx, the letters included."""
    folder = _job(tmp_path / "job", 'pdf = "none"\nduplex = false\n')
    _build(folder, "--pdf")
    output = folder / "output"
    documents = sorted(p.relative_to(output).with_suffix("") for p in output.rglob("*.docx"))
    pdfs = sorted(p.relative_to(output).with_suffix("") for p in output.rglob("*.pdf"))
    assert len(documents) == len(UNITS) + 1
    assert pdfs == documents
    assert len(PdfReader(output / "汇总.pdf").pages) == len(UNITS)  # simplex: no blank pages


# ---- pdf --------------------------------------------------------------------------------


def _two_sections(path: Path, profile: str) -> Path:
    """Two one-page sections, the second starting on an odd page: duplex printing needs a
    blank page between them."""
    from docx.enum.section import WD_SECTION

    from officekit.gongwen import layout

    doc = layout.new_document(profile)
    layout.add_paragraph(doc, "body", "第一节的正文。")
    doc.add_section(WD_SECTION.ODD_PAGE)
    layout.add_paragraph(doc, "body", "第二节的正文。")
    doc.save(str(path))
    return path


@pytest.mark.parametrize(
    ("options", "pages", "note"),
    [
        ([], 3, "仿宋_GB2312→FandolFang"),
        (["--simplex", "--fonts", "Windows"], 2, "仿宋→FandolFang"),
    ],
)
def test_pdf_duplex_and_fonts(
    tmp_path: Path, soffice: Path, options: list[str], pages: int, note: str
) -> None:
    profile = "Windows" if "Windows" in options else "GB2312"
    source = _two_sections(tmp_path / "两节.docx", profile)
    result = runner.invoke(app, ["pdf", str(source), *options])
    assert result.exit_code == 0, result.output
    pdf = PdfReader(source.with_suffix(".pdf"))
    assert len(pdf.pages) == pages
    assert note in " ".join(result.output.split())
    assert note in pdf.metadata["/Keywords"]


# ---- check ------------------------------------------------------------------------------


def test_check_pdf_and_json_measure_the_rendered_pages(tmp_path: Path, soffice: Path) -> None:
    """--pdf adds the page measurements (a document set to 29 lines a page); --json prints
    them for programs. Without --pdf the same file has no measured finding."""
    from test_pdfcheck import DEFECTS, _long_document

    doc = _long_document()
    DEFECTS["lines"][0](doc)
    path = tmp_path / "行太密.docx"
    doc.save(str(path))
    plain = runner.invoke(app, ["check", "--json", str(path)])
    assert [f["rule"] for f in json.loads(plain.output)["files"][0]["findings"]] == ["行数"]
    result = runner.invoke(app, ["check", "--json", "--pdf", str(path)])
    assert result.exit_code == 1
    data = json.loads(result.output)
    rules = {f["rule"] for f in data["files"][0]["findings"]}
    assert rules == {"行数", "实测行数"}
    assert data["note"] == ""


def test_check_template_allows_tags_only_when_asked(tmp_path: Path) -> None:
    from test_layout import _build_document

    from officekit.gongwen import layout

    doc = _build_document()
    layout.add_paragraph(doc, "body", "请{{ 单位.单位名称 }}按要求办理。")
    template = tmp_path / "模板.docx"
    doc.save(str(template))
    strict = runner.invoke(app, ["check", "--json", str(template)])
    assert strict.exit_code == 1
    findings = json.loads(strict.output)["files"][0]["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("遗留标记", "error")]
    relaxed = runner.invoke(app, ["check", "--template", str(template)])
    assert relaxed.exit_code == 0, relaxed.output
    assert "✔ 模板.docx 符合 GB/T 9704-2012 公文格式" in relaxed.output


# ---- typeset ----------------------------------------------------------------------------

# 24 body lines, each with a half-width comma between Chinese words: 24 changes.
DRAFT = "在全县禁毒工作会议上的讲话\n同志们：\n" + "".join(
    f"第{n}项工作要抓紧,抓实。\n" for n in range(1, 25)
)


def _styles_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("word/styles.xml").decode("utf-8")


@pytest.mark.parametrize(
    ("options", "face"), [([], "仿宋_GB2312"), (["--fonts", "Windows"], "仿宋")]
)
def test_typeset_output_and_fonts(tmp_path: Path, options: list[str], face: str) -> None:
    source = tmp_path / "草稿.txt"
    source.write_text(DRAFT, encoding="utf-8")
    target = tmp_path / "排好" / "讲话.docx"
    result = runner.invoke(app, ["typeset", str(source), "-o", str(target), *options])
    assert result.exit_code == 0, result.output
    assert target.exists() and not source.with_suffix(".docx").exists()
    faces = set(re.findall(r'w:eastAsia="([^"]+)"', _styles_xml(target)))
    assert face in faces
    assert ("仿宋_GB2312" in faces) == (face == "仿宋_GB2312")


@pytest.mark.parametrize(("options", "rows"), [([], 20), (["--all"], 24)])
def test_typeset_all_lists_every_change(tmp_path: Path, options: list[str], rows: int) -> None:
    source = tmp_path / "草稿.txt"
    source.write_text(DRAFT, encoding="utf-8")
    result = runner.invoke(app, ["typeset", str(source), *options])
    assert result.exit_code == 0, result.output
    assert "24 处" in result.output  # the heading names the count (its wording is typeset's)
    listed = re.findall(r"抓紧,抓实", result.output)
    assert len(listed) == rows
    assert ("另有 4 处，加 --all 查看全部" in result.output) == (rows == 20)
