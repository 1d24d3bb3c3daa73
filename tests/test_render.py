"""Compile-once rendering: escaping, strictness, sandbox, loops, error places."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx_helpers import make_template, part, texts

from officekit.errors import TemplateError
from officekit.render import compile_template, font_profile_map, make_environment, render_name
from officekit.tables import Table
from officekit.values import Cell


def _render(path: Path, variables: dict, out: Path) -> list[str]:
    compiled = compile_template(path)
    compiled.write(compiled.render(variables), out)
    return texts(out)


def test_renders_variables_as_excel_shows_them(tmp_path: Path) -> None:
    tpl = make_template(
        tmp_path / "t.docx", ["{{ 县名 }}共破获{{ 案件 }}起，执行率{{ 率 }}，{{ 日期 }}"]
    )
    variables = {
        "县名": Cell("青禾县"),
        "案件": Cell(91.0, "0"),
        "率": Cell(0.962, "0.0%"),
        "日期": Cell(dt.date(2026, 3, 5), "yyyy-mm-dd"),
    }
    assert (
        _render(tpl, variables, tmp_path / "o.docx")[0]
        == "青禾县共破获91起，执行率96.2%，2026年3月5日"
    )


def test_autoescape_keeps_xml_valid(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["单位：{{ 名称 }}"])
    out = _render(tpl, {"名称": Cell("A&B <县>")}, tmp_path / "o.docx")
    assert out[0] == "单位：A&B <县>"
    assert "A&amp;B &lt;县&gt;" in part(tmp_path / "o.docx")


def test_multiline_cell_becomes_line_breaks(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["{{ 地址 }}"])
    _render(tpl, {"地址": Cell("第一行\n第二行")}, tmp_path / "o.docx")
    xml = part(tmp_path / "o.docx")
    assert '第一行</w:t><w:br/><w:t xml:space="preserve">第二行' in xml


def test_paragraph_loop_repeats_paragraphs_and_leaves_no_tags(tmp_path: Path) -> None:
    tpl = make_template(
        tmp_path / "t.docx",
        ["{%p for 名 in 名单 %}", "{{ loop.index }}. {{ 名 }}", "{%p endfor %}", "完"],
    )
    out = _render(tpl, {"名单": ["甲", "乙", "丙"]}, tmp_path / "o.docx")
    assert out == ["1. 甲", "2. 乙", "3. 丙", "完"]


def test_compiled_once_renders_many_independent_documents(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["{{ 名 }}"])
    compiled = compile_template(tpl)
    for name in ("甲", "乙"):
        compiled.write(compiled.render({"名": name}), tmp_path / f"{name}.docx")
    assert texts(tmp_path / "甲.docx") == ["甲"]
    assert texts(tmp_path / "乙.docx") == ["乙"]


def test_unknown_variable_names_template_paragraph_and_closest(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "讲话.docx", ["开头", "第二段{{ 县明 }}"])
    compiled = compile_template(tpl)
    with pytest.raises(TemplateError) as info:
        compiled.render({"县名": "青禾县", "会议名称": "会"})
    message = info.value.message
    assert "讲话.docx" in message
    assert "第 2 段" in message
    assert "县明" in message
    assert "县名" in message  # the closest existing name


def test_missing_column_on_row_suggests_columns(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["{{ 数据.甲.本年 }}"])
    table = Table("数据", ["指标", "本年数"])
    table.add(2, {"指标": Cell("甲"), "本年数": Cell(1)})
    table.index_by("指标")
    with pytest.raises(TemplateError) as info:
        compile_template(tpl).render({"数据": table})
    assert "本年" in info.value.message and "本年数" in info.value.message


def test_syntax_error_names_paragraph(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["好的", "坏的{{ 县名 }"])
    with pytest.raises(TemplateError) as info:
        compile_template(tpl)
    assert "第 2 段" in info.value.message and "坏的" in info.value.message


def test_sandbox_blocks_python_internals(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["{{ 名.__class__.__mro__[1].__subclasses__() }}"])
    with pytest.raises(TemplateError):
        compile_template(tpl).render({"名": "x"})


def test_filter_error_names_paragraph(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["{{ 本年|同比(上年) }}"])
    with pytest.raises(TemplateError) as info:
        compile_template(tpl).render({"本年": Cell("九十一"), "上年": Cell(80)})
    assert "同比" in info.value.message and "第 1 段" in info.value.message


def test_font_profile_rewrites_names(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["正文"])
    compiled = compile_template(tpl, profile="Windows")
    compiled.write(compiled.render({}), tmp_path / "o.docx")
    styles = part(tmp_path / "o.docx", "word/styles.xml")
    assert "仿宋_GB2312" not in styles and '"仿宋"' in styles
    assert font_profile_map("Windows")["楷体_GB2312"] == "楷体"
    assert font_profile_map("GB2312")["仿宋"] == "仿宋_GB2312"


def test_not_a_docx_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(TemplateError) as info:
        compile_template(bad)
    assert "坏.docx" in info.value.message


def test_name_pattern_is_not_xml_escaped() -> None:
    render = render_name(make_environment(), "{{ 编号 }}-{{ 单位名称 }}")
    assert render({"编号": "01", "单位名称": Cell("A&B")}) == "01-A&B"
    with pytest.raises(TemplateError) as info:
        render({"编号": "01"})
    assert "单位名称" in info.value.message


@pytest.mark.parametrize(
    "pattern",
    [
        "{{ 编号 }}-{{ 单位名称 }}",
        "责任书/{{编号}}、{{  单位名称  }}（{{ 分值 }}）",
        "{{ 日期 }} {{ 比例 }}",
        "{{ 单位名称|string }}",  # a filter: Jinja's path
        "{% if 编号 %}{{ 编号 }}{% endif %}",  # a tag: Jinja's path
        "固定名称",
    ],
)
def test_plain_name_patterns_render_as_jinja_does(pattern: str) -> None:
    """Names made only of text and {{ 名称 }} skip Jinja; they must come out the same."""
    import datetime as dt

    from officekit.names import safe_segment
    from officekit.render import make_name_environment

    values = {
        "编号": "08",
        "单位名称": Cell("县卫生健康局/县医保局"),
        "分值": Cell(25.0, "0"),
        "日期": dt.date(2026, 3, 1),
        "比例": 0.1 + 0.2,
    }
    env = make_name_environment()
    expected = "/".join(
        safe_segment(env.from_string(p).render(values)) for p in pattern.split("/") if p.strip()
    )
    assert render_name(make_environment(), pattern)(values) == expected

    class Context:  # a document context: looks names up, or gives all its variables
        variables = values

        def __getitem__(self, name: str) -> object:
            return values[name]

    assert render_name(make_environment(), pattern)(Context()) == expected


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (["{{ 本年|同比率(上年) }}"], ["没有名为“同比率”的过滤器", "同比"]),
        (["{%p for 名 in 名单 %}", "{{ 名 }}"], ["没有结束", "{%p endfor %}"]),
        (["{{ 名 }}", "{%p endfor %}"], ["“endfor”没有对应的开头标签"]),
    ],
)
def test_syntax_errors_are_explained_in_chinese(
    tmp_path: Path, paragraphs: list[str], expected: list[str]
) -> None:
    tpl = make_template(tmp_path / "t.docx", paragraphs)
    with pytest.raises(TemplateError) as info:
        compile_template(tpl)
    for fragment in expected:
        assert fragment in info.value.message
    assert "No filter" not in info.value.message and "Unexpected" not in info.value.message


def test_line_break_survives_a_filter(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["{{ 目标|句子 }}"])
    _render(tpl, {"目标": Cell("第一行\n第二行")}, tmp_path / "o.docx")
    assert '第一行</w:t><w:br/><w:t xml:space="preserve">第二行。' in part(tmp_path / "o.docx")


def test_slash_in_a_value_does_not_make_a_folder() -> None:
    render = render_name(make_environment(), "责任书/{{ 编号 }}-{{ 单位名称 }}")
    assert (
        render({"编号": "08", "单位名称": Cell("县卫生健康局/县医保局")})
        == "责任书/08-县卫生健康局_县医保局"
    )


def test_missing_endfor_before_endif_names_the_open_for(tmp_path: Path) -> None:
    tpl = make_template(
        tmp_path / "t.docx", ["{%p if 名单 %}", "{%p for 名 in 名单 %}", "{{ 名 }}", "{%p endif %}"]
    )
    with pytest.raises(TemplateError) as info:
        compile_template(tpl)
    assert "{%p for %} 还没有结束" in info.value.message and "{%p endfor %}" in info.value.message


def test_a_damaged_part_of_a_template_is_named(tmp_path: Path) -> None:
    """Parts are checked as they are read (no separate pass over the whole package): a
    damaged one still ends in one sentence naming it."""
    import zipfile

    tpl = make_template(tmp_path / "t.docx", ["{{ 县名 }}"])
    data = bytearray(tpl.read_bytes())
    with zipfile.ZipFile(tpl) as zf:
        info = zf.getinfo("word/styles.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for at in range(start + 10, start + info.compress_size - 10, 7):
        data[at] ^= 0x55
    tpl.write_bytes(bytes(data))
    with pytest.raises(TemplateError) as info_:
        compile_template(tpl)
    message = info_.value.message
    assert "t.docx" in message and "word/styles.xml" in message and "已损坏" in message
    assert message.count("。") == 1


@pytest.mark.parametrize(
    ("markup", "problem"),
    [("<w:p>", "mismatched tag"), ("<q:x/>", "unbound prefix"), ("&bogus;", "undefined entity")],
)
def test_a_template_that_makes_broken_xml_is_stopped(
    tmp_path: Path, markup: str, problem: str
) -> None:
    """Markup let through unescaped (``safe``) that breaks the document: the render stops
    with the template's name and what is wrong, no file is written."""
    tpl = make_template(tmp_path / "t.docx", ["甲{{ 标记 | safe }}乙"])
    compiled = compile_template(tpl)
    with pytest.raises(TemplateError) as caught:
        compiled.render({"标记": markup})
    message = str(caught.value)
    assert message.startswith("模板 t.docx 生成的 word/document.xml 不是合法的 Word 内容（")
    assert problem in message
    assert compiled.render({"标记": "丙"})  # the same template with text renders


@pytest.mark.parametrize("encoding", ["GB18030", "x-bogus"])
def test_a_part_declaring_an_encoding_expat_cannot_read_is_a_template_error(
    tmp_path: Path, encoding: str
) -> None:
    """The rendered part is written as UTF-8; a template whose document.xml declares
    another encoding is named, not a crash."""
    import zipfile

    source = make_template(tmp_path / "src.docx", ["{{ 单位 }}"])
    tpl = tmp_path / "t.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(tpl, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"encoding='UTF-8'", f"encoding='{encoding}'".encode(), 1)
                assert encoding.encode() in data
            zout.writestr(info, data)
    with pytest.raises(
        TemplateError, match="模板 t.docx 生成的 word/document.xml 不是合法的 Word 内容"
    ):
        compile_template(tpl).render({"单位": "县公安局"})


def _table_template(path: Path, cells: list[list[str]], tables: int = 1) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("前言")
    for _ in range(tables):
        table = doc.add_table(rows=len(cells), cols=len(cells[0]))
        for r, row in enumerate(cells):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        doc.add_paragraph("")
    doc.save(path)
    return path


def test_error_in_a_table_names_table_row_and_column(tmp_path: Path) -> None:
    tpl = _table_template(
        tmp_path / "t.docx", [["考核内容", "分值"], ["{{ 内容 }}", "{{ 分直 }}"]], tables=2
    )
    with pytest.raises(TemplateError) as info:
        compile_template(tpl).render({"内容": "甲", "分值": 5})
    message = info.value.message
    assert "表格 1 第 2 行第 2 列" in message and "{{ 分直 }}" in message
    assert "分值" in message  # the closest name


def test_syntax_error_in_a_later_table_cell(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    from docx import Document

    doc = Document()
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "好"
    doc.add_paragraph("中间")
    table = doc.add_table(rows=3, cols=3)
    table.cell(2, 2).text = "{{ 名称 }"
    doc.save(path)
    with pytest.raises(TemplateError) as info:
        compile_template(path)
    assert "正文表格 2 第 3 行第 3 列（“{{ 名称 }”）" in info.value.message


def test_place_of_an_empty_paragraph_has_no_empty_quote(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["甲", "{%p if 条件 %}", "乙", "{%p endif %}"])
    with pytest.raises(TemplateError) as info:
        compile_template(tpl).render({"条件件": True})
    assert "（“”）" not in info.value.message
    assert "第 2 段" in info.value.message
