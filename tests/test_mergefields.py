"""Word/WPS mail-merge templates built as they are (officekit.mergefields)."""

from __future__ import annotations

import importlib.util
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, make_job, resave
from docx import Document
from docx_helpers import part, texts
from merge_helpers import complex_field, merge_template, nested_if, simple, text, to_complex

from officekit import mergefields
from officekit.build import build
from officekit.errors import TemplateError
from officekit.gongwen.check import check_docx
from officekit.job import load_job
from officekit.render import compile_template, make_environment

LETTERS = Path("output") / "责任书"


def _bench() -> object:
    """bench/render.py, whose MERGEFIELD template is the one docx-mailmerge2 is given."""
    spec = importlib.util.spec_from_file_location(
        "officekit_bench_render", ROOT / "bench/render.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped job built once with its Jinja templates (33 letters)."""
    from officekit.shipped import JOB_FILES

    folder = tmp_path_factory.mktemp("shipped") / "job"
    for name in JOB_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, folder / name)
    assert build(load_job(folder), pdf="none").ok
    return folder


def _merge_job(shipped: Path, where: Path, template: Path | None = None) -> Path:
    """The shipped job whose letter template is the bench's MERGEFIELD template."""
    shutil.copytree(shipped, where, ignore=shutil.ignore_patterns("output"))
    first = sorted((shipped / LETTERS).glob("*.docx"))[0]
    target = where / "word_templates" / "责任书.docx"
    if template is None:
        _bench()._mailmerge_template(first, first.stem.split("-", 1)[1], target)  # type: ignore[attr-defined]
    else:
        shutil.copyfile(template, target)
    return where


def _mailmerge2_letters(job: Path, out: Path) -> list[list[str]]:
    """What docx-mailmerge2 makes of the same template and data, as bench/render.py has it."""
    from mailmerge import MailMerge

    from officekit import context, workbook

    loaded = load_job(job)
    book = workbook.load(loaded)
    spec = next(d for d in loaded.documents if d.each)
    made = []
    bench = _bench()
    for i, ctx in enumerate(context.document_contexts(spec, book)):
        target = out / f"{i}.docx"
        template = job / "word_templates" / "责任书.docx"
        bench.mailmerge_letter(MailMerge, template, ctx.variables, target)  # type: ignore[attr-defined]
        made.append(texts(target))
    return made


def _assessment_and_signature(letter: Path) -> list[list[str]]:
    """The assessment table's rows (without its total) and the signature's 乙方 cell."""
    doc = Document(letter)
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号")
    rows = [[c.text for c in r.cells] for r in table.rows if r.cells[0].text != "合计"]
    signature = doc.tables[-1].rows[1].cells[1].text
    return [*rows, [signature]]


def _check_merged(job: Path, shipped: Path, tmp_path: Path) -> None:
    result = build(load_job(job), pdf="none")
    assert result.ok and not result.format_findings
    letters = sorted((job / LETTERS).glob("*.docx"))
    jinja = sorted((shipped / LETTERS).glob("*.docx"))
    assert len(letters) == len(jinja) == 33
    peer = tmp_path / "mailmerge2"
    peer.mkdir()
    assert [texts(p) for p in letters] == _mailmerge2_letters(job, peer)
    for ours, theirs in zip(letters, jinja, strict=True):
        assert _assessment_and_signature(ours) == _assessment_and_signature(theirs)
        xml = part(ours)
        assert "MERGEFIELD" not in xml and "«" not in xml and "»" not in xml
        assert "fldSimple" not in xml and "instrText" not in xml
        assert check_docx(ours).ok


def test_bench_mergefield_template_builds_33_letters(shipped: Path, tmp_path: Path) -> None:
    _check_merged(_merge_job(shipped, tmp_path / "job"), shipped, tmp_path)


def test_complex_fields_split_over_runs(shipped: Path, tmp_path: Path) -> None:
    job = _merge_job(shipped, tmp_path / "job")
    template = job / "word_templates" / "责任书.docx"
    to_complex(template, tmp_path / "complex.docx", pieces=4)
    assert "instrText" in part(tmp_path / "complex.docx")
    shutil.copyfile(tmp_path / "complex.docx", template)
    _check_merged(job, shipped, tmp_path)


def test_template_resaved_by_libreoffice(shipped: Path, tmp_path: Path, soffice: Path) -> None:
    job = _merge_job(shipped, tmp_path / "job")
    template = job / "word_templates" / "责任书.docx"
    resaved = resave(soffice, template, tmp_path / "resaved", "docx:MS Word 2007 XML")
    assert "MERGEFIELD" in part(resaved)  # the fields survive, as complex fields
    shutil.copyfile(resaved, template)
    _check_merged(job, shipped, tmp_path)


def _small_job(tmp_path: Path, template: Path, each: bool = True) -> Path:
    """A job of two units, 基本信息 with a date and a percent, and their tasks."""
    folder = make_job(
        tmp_path / "job",
        '[variables]\nsheet = "基本信息"\n'
        '[tables."单位"]\nkey = "单位名称"\n'
        '[tables."分工"]\nreferences = { "单位名称" = "单位" }\n',
        {
            "基本信息": [
                ["项目", "内容"],
                ["会议日期", None],
                ["完成率", 0.962],
                ["县名", "青禾县"],
            ],
            "单位": [
                ["单位名称", "负责人", "Unit Code"],
                ["县公安局", "张三", "ga"],
                ["县教育局", "李四", "jy"],
            ],
            "分工": [
                ["单位名称", "任务", "职责"],
                ["县公安局", "打击毒品犯罪", "牵头"],
                ["县公安局", "校园宣传", "配合"],
                ["县教育局", "校园宣传", "牵头"],
            ],
        },
    )
    import datetime as dt

    import openpyxl

    wb = openpyxl.load_workbook(folder / "data.xlsx")
    wb["基本信息"]["B2"] = dt.datetime(2026, 3, 5)
    wb["基本信息"]["B2"].number_format = "yyyy-mm-dd"
    wb["基本信息"]["B3"].number_format = "0.0%"
    wb.save(folder / "data.xlsx")
    toml = folder / "officekit.toml"
    body = toml.read_text(encoding="utf-8")
    if each:
        body += 'each = "单位"\nas = "单位"\noutput = "信/{{ 单位名称 }}"\n'
    toml.write_text(body, encoding="utf-8")
    shutil.copyfile(template, folder / "通知.docx")
    return folder


def _letters(folder: Path) -> dict[str, list[str]]:
    return {p.stem: [t for t in texts(p) if t] for p in sorted((folder / "output").rglob("*.docx"))}


def test_date_and_number_switches_print_as_written(tmp_path: Path) -> None:
    template = merge_template(
        tmp_path / "t.docx",
        [
            text("会议日期：")
            + complex_field(
                ' MERGEFIELD 会议日期 \\@ "yyyy年M月d日" \\* MERGEFORMAT ', "«会议日期»"
            )
            + text("，完成率")
            + simple(' MERGEFIELD 完成率 \\# "0.0%" ', "«完成率»"),
            text("大写：") + simple(' MERGEFIELD 会议日期 \\@ "yyyy-MM-dd dddd" ', "«x»"),
        ],
    )
    folder = _small_job(tmp_path, template, each=False)
    result = build(load_job(folder), pdf="none")
    assert result.ok, result.warnings
    assert _letters(folder)["通知"] == [
        "会议日期：2026年3月5日，完成率96.2%",
        "大写：2026-03-05 星期四",
    ]


def test_field_result_formatting_is_kept(tmp_path: Path) -> None:
    bold = '<w:rPr><w:b/><w:color w:val="C00000"/></w:rPr>'
    template = merge_template(
        tmp_path / "t.docx",
        [text("乙方：") + complex_field(" MERGEFIELD 单位名称 ", "«单位名称»", rpr=bold)],
    )
    folder = _small_job(tmp_path, template)
    assert build(load_job(folder), pdf="none").ok
    doc = Document(folder / "output" / "信" / "县公安局.docx")
    run = next(r for p in doc.paragraphs for r in p.runs if r.text == "县公安局")
    assert run.bold and str(run.font.color.rgb) == "C00000"


def test_names_match_ignoring_spaces_full_width_and_case(tmp_path: Path) -> None:
    template = merge_template(
        tmp_path / "t.docx",
        [
            simple(" MERGEFIELD 单位_名称 \\* Upper ", "«单位_名称»")
            + text("|")
            + simple(' MERGEFIELD "unit code" \\* Upper ', "«unit code»")
            + text("|")
            + simple(" MERGEFIELD 县名 ", "«县名»")
        ],
    )
    folder = _small_job(tmp_path, template)
    assert build(load_job(folder), pdf="none").ok
    assert _letters(folder)["县公安局"] == ["县公安局|GA|青禾县"]


def test_unknown_name_is_refused_with_the_closest(tmp_path: Path) -> None:
    template = merge_template(
        tmp_path / "t.docx", [text("乙方：") + simple(" MERGEFIELD 单位名 ", "«单位名»")]
    )
    folder = _small_job(tmp_path, template)
    with pytest.raises(TemplateError) as caught:
        build(load_job(folder), pdf="none")
    message = caught.value.message
    assert "合并域“单位名”在工作簿中找不到" in message and "单位名称" in message
    assert "正文第 1 段" in message and "编辑域" in message
    assert not (folder / "output" / "信").exists()


def test_if_field_around_merge_field_in_a_repeated_row(tmp_path: Path) -> None:
    template = merge_template(
        tmp_path / "t.docx",
        [text("乙方：") + simple(" MERGEFIELD 单位名称 ", "«单位名称»")],
        table=[
            [text("序号"), text("任务")],
            [
                simple(" MERGESEQ ", "1"),
                simple(" MERGEFIELD 任务 ", "«任务»")
                + nested_if("职责", "=", "牵头", "（牵头）", ""),
            ],
        ],
    )
    folder = _small_job(tmp_path, template)
    assert build(load_job(folder), pdf="none").ok
    letters = _letters(folder)
    assert letters["县公安局"] == [
        "乙方：县公安局",
        "序号",
        "任务",
        "1",
        "打击毒品犯罪（牵头）",
        "2",
        "校园宣传",
    ]
    assert letters["县教育局"] == ["乙方：县教育局", "序号", "任务", "1", "校园宣传（牵头）"]


def test_fields_and_jinja_tags_mix(tmp_path: Path) -> None:
    template = merge_template(
        tmp_path / "t.docx",
        [
            simple(" MERGEFIELD 单位名称 ", "«单位名称»") + text("（{{ 编号 }}）：{{ 负责人 }}"),
            text('{% if 单位名称 == "县公安局" %}公安{% endif %}')
            + simple(" MERGEFIELD 负责人 \\b 负责人 ", "«负责人»"),
        ],
    )
    folder = _small_job(tmp_path, template)
    assert build(load_job(folder), pdf="none").ok
    assert _letters(folder)["县公安局"] == ["县公安局（01）：张三", "公安负责人张三"]


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (" NEXT ", "“下一记录”（NEXT）域"),
        (' NEXTIF «职责» = "配合" ', "“下一记录条件”（NEXTIF）域"),
        (' SKIPIF 职责 = "配合" ', "“跳过记录条件”（SKIPIF）域"),
    ],
)
def test_merge_only_fields_are_refused_with_what_to_do(
    tmp_path: Path, code: str, said: str
) -> None:
    template = merge_template(
        tmp_path / "t.docx", [text("甲"), simple(" MERGEFIELD 单位名称 ", "x") + simple(code, "")]
    )
    with pytest.raises(TemplateError) as caught:
        compile_template(template, make_environment())
    message = caught.value.message
    assert said in message and "正文第 2 段" in message and "删除这个域" in message


def test_unknown_switch_warns_and_prints_as_excel_shows(tmp_path: Path) -> None:
    template = merge_template(
        tmp_path / "t.docx", [simple(" MERGEFIELD 完成率 \\* CardText ", "«完成率»")]
    )
    folder = _small_job(tmp_path, template, each=False)
    result = build(load_job(folder), pdf="none")
    assert _letters(folder)["通知"] == ["96.2%"]
    assert any("“完成率”" in w and "\\* CardText" in w for w in result.warnings)


def test_word_data_source_link_is_not_in_the_letters(tmp_path: Path) -> None:
    template = merge_template(tmp_path / "t.docx", [simple(" MERGEFIELD 单位名称 ", "«单位名称»")])
    linked = tmp_path / "linked.docx"
    with zipfile.ZipFile(template) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    source = (
        b'<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/>'
        b'<w:dataType w:val="native"/><w:query w:val="SELECT * FROM `Sheet1$`"/>'
        b'<w:dataSource r:id="rId9"/></w:mailMerge>'
    )
    settings = parts["word/settings.xml"]
    parts["word/settings.xml"] = settings.replace(b"</w:settings>", source + b"</w:settings>")
    parts["word/_rels/settings.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        b'Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'mailMergeSource" Target="file:///C:\\Users\\clerk\\data.xlsx" TargetMode="External"/>'
        b"</Relationships>"
    )
    with zipfile.ZipFile(linked, "w") as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    folder = _small_job(tmp_path, linked)
    assert build(load_job(folder), pdf="none").ok
    letter = folder / "output" / "信" / "县公安局.docx"
    assert "mailMerge" not in part(letter, "word/settings.xml")
    assert "mailMergeSource" not in part(letter, "word/_rels/settings.xml.rels")


def test_compiled_once_then_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = merge_template(tmp_path / "t.docx", [simple(" MERGEFIELD 单位名称 ", "«单位名称»")])
    folder = _small_job(tmp_path, template)
    monkeypatch.setenv("OFFICEKIT_CACHE", str(tmp_path / "cache"))
    calls: list[str] = []
    real = mergefields.convert
    monkeypatch.setattr(mergefields, "convert", lambda *a: calls.append(a[2]) or real(*a))
    assert build(load_job(folder), pdf="none").ok
    assert calls == ["word/document.xml", "word/document.xml"]  # as written, then bound
    calls.clear()
    assert build(load_job(folder), pdf="none", options=None).ok
    assert calls == []


def test_paragraph_of_related_fields_repeats_and_single_document_lists_a_table(
    tmp_path: Path,
) -> None:
    template = merge_template(
        tmp_path / "t.docx",
        [
            simple(" MERGEFIELD 单位名称 ", "«单位名称»") + text("："),
            simple(" MERGEFIELD 任务 ", "«任务»")
            + text("，")
            + nested_if("职责", "=", "牵头", "牵头", "配合"),
        ],
    )
    folder = _small_job(tmp_path, template)
    assert build(load_job(folder), pdf="none").ok
    assert _letters(folder)["县公安局"] == ["县公安局：", "打击毒品犯罪，牵头", "校园宣传，配合"]
    listing = merge_template(
        tmp_path / "目录.docx",
        [text("{{ 县名 }}各单位：")],
        table=[
            [
                simple(" MERGEFIELD 单位名称 ", "«单位名称»"),
                simple(" MERGEFIELD 负责人 ", "«负责人»"),
            ]
        ],
    )
    folder = _small_job(tmp_path / "single", listing, each=False)
    assert build(load_job(folder), pdf="none").ok
    assert _letters(folder)["通知"] == ["青禾县各单位：", "县公安局", "张三", "县教育局", "李四"]


def test_changed_related_row_rebuilds_its_letter(tmp_path: Path) -> None:
    from conftest import edit_cells

    template = merge_template(
        tmp_path / "t.docx",
        [simple(" MERGEFIELD 单位名称 ", "«单位名称»")],
        table=[[simple(" MERGEFIELD 任务 ", "«任务»")]],
    )
    folder = _small_job(tmp_path, template)
    assert build(load_job(folder), pdf="none").ok
    edit_cells(folder / "data.xlsx", "分工", {"B2": "打击制毒犯罪"})
    assert build(load_job(folder), pdf="none").ok
    letters = _letters(folder)
    assert letters["县公安局"] == ["县公安局", "打击制毒犯罪", "校园宣传"]
    assert letters["县教育局"] == ["县教育局", "校园宣传"]


def test_compiled_without_the_workbook_names_are_taken_as_written(tmp_path: Path) -> None:
    template = merge_template(
        tmp_path / "t.docx",
        [simple(" MERGEFIELD 县名 ", "«县名»") + simple(' MERGEFIELD "Unit Code" ', "«x»")],
    )
    compiled = compile_template(template, make_environment())
    xml = compiled.render({"县名": "青禾县", "unit_code": "ga"})["word/document.xml"].decode()
    assert "青禾县" in xml and ">ga<" in xml and "MERGEFIELD" not in xml


def test_old_outputs_with_fields_left_in_fail_the_check(
    shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As officekit built the bench's template before it read fields: 33 letters that
    print «单位名称»; the check no longer calls them 符合."""
    job = _merge_job(shipped, tmp_path / "job")
    monkeypatch.setattr(mergefields, "has_fields", lambda data: False)
    monkeypatch.setenv("OFFICEKIT_CACHE", str(tmp_path / "cache"))
    result = build(load_job(job), pdf="none")
    letters = sorted((job / LETTERS).glob("*.docx"))
    assert len(letters) == 33 and "«单位名称»" in texts(letters[0])
    left = [f for _, f in result.format_findings if f.rule == "遗留标记"]
    assert left and all(f.severity == "error" for f in left)
    report = check_docx(letters[0])
    assert not report.ok
    assert {"有未替换的合并域“«单位名称»”", "有未合并的合并域“单位名称”"} <= {
        f.message.split("；")[0].split("（")[0] for f in report.errors
    }


def test_fields_in_a_header_are_filled_too(tmp_path: Path) -> None:
    from merge_helpers import runs

    template = merge_template(tmp_path / "t.docx", [text("正文")])
    doc = Document(template)
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    for run in runs(text("报送：") + complex_field(" MERGEFIELD 单位名称 ", "«单位名称»", 2)):
        header.paragraphs[0]._p.append(run)
    doc.save(template)
    folder = _small_job(tmp_path, template)
    assert build(load_job(folder), pdf="none").ok
    letter = folder / "output" / "信" / "县教育局.docx"
    with zipfile.ZipFile(letter) as zf:
        headers = [zf.read(n).decode() for n in zf.namelist() if n.startswith("word/header")]
    assert any("报送：" in h and "县教育局" in h and "MERGEFIELD" not in h for h in headers)
