"""Tests for officekit.job: reading and validating officekit.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from officekit.errors import JobError
from officekit.job import JOB_FILE, ColumnRule, DocumentSpec, SumCheck, load_job

HEAD = '[job]\nworkbook = "data.xlsx"\n'
DOC = '[[documents]]\nname = "通知"\ntemplate = "通知.docx"\n'


def write_job(folder: Path, text: str) -> Path:
    """Write ``text`` as the job file of ``folder`` and return the file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / JOB_FILE
    source.write_text(text, encoding="utf-8")
    return source


# ---- the shipped job ---------------------------------------------------------------------


def test_shipped_job_head(job_dir: Path) -> None:
    job = load_job(job_dir)
    folder = job_dir.resolve()
    assert job.folder == folder
    assert job.source == job_dir / JOB_FILE
    assert job.name == "全县禁毒工作会议"
    assert job.workbook == folder / "sheets" / "禁毒工作数据.xlsx"
    assert job.output == folder / "output"
    assert job.font_profile == "GB2312"
    assert job.pdf == "print"
    assert job.variables_sheet == "基本信息"
    assert job.ignore_sheets == ("说明",)


def test_shipped_job_tables(job_dir: Path) -> None:
    tables = load_job(job_dir).tables
    assert list(tables) == ["统计数据", "责任单位", "工作任务", "任务分工", "考核指标"]
    stats = tables["统计数据"]
    assert stats.sheet == "统计数据"
    assert stats.key == "指标名称"
    assert stats.columns["本年数"] == ColumnRule("数字", True)
    assert stats.columns["任务数"] == ColumnRule("数字", False)
    assert stats.columns["指标名称"] == ColumnRule("文本", True)
    assert stats.allowed["类别"] == ("打击整治", "管控戒治", "宣传预防", "源头治理", "保障支撑")
    assert tables["考核指标"].columns["分值"] == ColumnRule("整数", True)
    assert tables["考核指标"].columns["评分标准"] == ColumnRule("文本", False)


def test_shipped_job_references_and_keys(job_dir: Path) -> None:
    tables = load_job(job_dir).tables
    assignments = tables["任务分工"]
    assert assignments.key is None
    assert assignments.references == {"任务编号": "工作任务", "单位名称": "责任单位"}
    assert assignments.allowed == {"职责": ("牵头", "配合")}
    assert tables["考核指标"].references == {"单位名称": "责任单位"}
    assert tables["责任单位"].key == "单位名称"
    assert tables["工作任务"].key == "任务编号"


def test_shipped_job_checks(job_dir: Path) -> None:
    assert load_job(job_dir).checks == (
        SumCheck(table="考核指标", group="单位名称", column="分值", equals=100.0, per="责任单位"),
        SumCheck(
            table="任务分工",
            group="任务编号",
            column=None,
            equals=1.0,
            per="工作任务",
            kind="count",
            where=(("职责", "牵头"),),
        ),
    )


def test_shipped_job_documents(job_dir: Path) -> None:
    folder = job_dir.resolve()
    speech, letter = load_job(job_dir).documents
    assert speech == DocumentSpec(
        name="讲话稿",
        template=folder / "word_templates" / "讲话稿.docx",
        output="讲话稿",
    )
    assert letter == DocumentSpec(
        name="目标责任书",
        template=folder / "word_templates" / "责任书.docx",
        output="责任书/{{ 编号 }}-{{ 单位名称 }}",
        each="责任单位",
        as_name="单位",
        combined="责任书汇总",
    )
    assert speech.template.is_file()
    assert letter.template.is_file()


def test_job_file_path_or_folder_give_the_same_job(job_dir: Path) -> None:
    assert load_job(job_dir / JOB_FILE) == load_job(job_dir)


# ---- defaults ----------------------------------------------------------------------------


def test_defaults_of_a_minimal_job(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    write_job(folder, HEAD + DOC)
    job = load_job(folder)
    assert job.name == "会议"
    assert job.output == folder.resolve() / "output"
    assert job.font_profile == "GB2312"
    assert job.pdf == "print"
    assert job.variables_sheet is None
    assert job.ignore_sheets == ("说明",)
    assert job.tables == {}
    assert job.checks == ()
    (doc,) = job.documents
    assert doc.output == "通知"
    assert doc.each is None
    assert doc.as_name is None


def test_each_without_as_binds_the_row_as_行(tmp_path: Path) -> None:
    write_job(
        tmp_path,
        HEAD + '[[documents]]\nname = "通知"\ntemplate = "t.docx"\neach = "单位"\n',
    )
    (doc,) = load_job(tmp_path).documents
    assert doc.each == "单位"
    assert doc.as_name == "行"


@pytest.mark.parametrize("profile", ["GB2312", "Windows"])
def test_known_font_profiles(tmp_path: Path, profile: str) -> None:
    write_job(tmp_path, HEAD + f'font_profile = "{profile}"\n' + DOC)
    assert load_job(tmp_path).font_profile == profile


@pytest.mark.parametrize("mode", ["print", "all", "none"])
def test_known_pdf_modes(tmp_path: Path, mode: str) -> None:
    write_job(tmp_path, HEAD + f'pdf = "{mode}"\n' + DOC)
    assert load_job(tmp_path).pdf == mode


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("文本", ColumnRule("文本", False)),
        ("文本!", ColumnRule("文本", True)),
        ("数字", ColumnRule("数字", False)),
        ("整数!", ColumnRule("整数", True)),
        ("日期!", ColumnRule("日期", True)),
    ],
)
def test_column_types(tmp_path: Path, declared: str, expected: ColumnRule) -> None:
    write_job(tmp_path, HEAD + f'[tables."表"]\ncolumns = {{ "列" = "{declared}" }}\n' + DOC)
    assert load_job(tmp_path).tables["表"].columns["列"] == expected


# ---- errors ------------------------------------------------------------------------------


def test_missing_job_file(tmp_path: Path) -> None:
    with pytest.raises(JobError) as info:
        load_job(tmp_path)
    message = str(info.value)
    assert str(tmp_path / JOB_FILE) in message
    assert "找不到任务文件" in message
    assert "officekit init" in message
    assert info.value.exit_code == 2


def test_missing_job_file_given_by_path(tmp_path: Path) -> None:
    source = tmp_path / "other.toml"
    with pytest.raises(JobError, match="找不到任务文件"):
        load_job(source)


@pytest.mark.parametrize(
    "text",
    [
        "[job\nworkbook = 'a.xlsx'\n",
        '[job]\nworkbook = "a.xlsx\n',
        '[job]\nworkbook = "a.xlsx"\nworkbook = "b.xlsx"\n',
        "[tables.统计数据]\nkey = 'a'\n",  # non-ASCII bare key
    ],
    ids=["unclosed-table", "unclosed-string", "duplicate-key", "chinese-bare-key"],
)
def test_invalid_toml(tmp_path: Path, text: str) -> None:
    source = write_job(tmp_path, text)
    with pytest.raises(JobError) as info:
        load_job(tmp_path)
    message = str(info.value)
    assert str(source) in message
    assert "格式有误" in message
    assert "TOML" in message


def test_job_file_not_utf8(tmp_path: Path) -> None:
    source = tmp_path / JOB_FILE
    source.write_bytes('[job]\nname = "会议"\n'.encode("gbk"))
    with pytest.raises(JobError, match="格式有误") as info:
        load_job(tmp_path)
    assert str(source) in str(info.value)


# (job text, fragments the message must contain)
ERROR_CASES = [
    pytest.param(
        HEAD + '[tables."统计数据"]\ncolumns = { "本年数" = "数值!" }\n' + DOC,
        ["[tables.统计数据]", "本年数", "“数值!”", "不认识", "文本、数字、整数、日期"],
        id="unknown-column-type",
    ),
    pytest.param(
        HEAD
        + '[tables."任务分工"]\ncolumns = { "单位名称" = "文本!" }\n'
        + 'references = { "单位名称" = "责任单位" }\n'
        + DOC,
        ["[tables.任务分工]", "单位名称", "“责任单位”", "没有在 [tables.责任单位] 中声明"],
        id="reference-to-undeclared-table",
    ),
    pytest.param(
        HEAD
        + '[tables."责任单位"]\ncolumns = { "单位名称" = "文本!" }\n'
        + '[tables."任务分工"]\ncolumns = { "单位名称" = "文本!" }\n'
        + 'references = { "单位名称" = "责任单位" }\n'
        + DOC,
        ["[tables.责任单位]", "被引用但没有 key", 'key = "单位名称"'],
        id="referenced-table-without-key",
    ),
    pytest.param(
        HEAD + 'font_profile = "Mac"\n' + DOC,
        ["font_profile", "“Mac”", "不认识", "GB2312 或 Windows"],
        id="unknown-font-profile",
    ),
    pytest.param(
        HEAD + 'pdf = "some"\n' + DOC,
        ["pdf", "“some”", "不认识", "print、all 或 none"],
        id="unknown-pdf-mode",
    ),
    pytest.param(
        HEAD,
        ["没有 [[documents]]", "至少写一个"],
        id="no-documents",
    ),
    pytest.param(
        HEAD + DOC + '[[documents]]\nname = "通知"\ntemplate = "另一个.docx"\n',
        ["文档名“通知”", "出现了两次"],
        id="duplicate-document-names",
    ),
    pytest.param(
        '[job]\nname = "会议"\n' + DOC,
        ["[job]", "缺少 workbook"],
        id="no-workbook",
    ),
    pytest.param(
        HEAD + '[[documents]]\nname = "通知"\n',
        ["documents 第 1 项", "缺少 template"],
        id="document-without-template",
    ),
    pytest.param(
        HEAD + '[[documents]]\ntemplate = "a.docx"\n',
        ["documents 第 1 项", "缺少 name"],
        id="document-without-name",
    ),
    pytest.param(
        HEAD + '[[checks]]\ntable = "考核指标"\ngroup = "单位名称"\nequals = 100\n' + DOC,
        ["[checks]", "缺少 column"],
        id="check-without-column",
    ),
    pytest.param(
        HEAD
        + '[[checks]]\ntable = "考核指标"\ngroup = "单位名称"\ncolumn = "分值"\n'
        + 'equals = "一百"\n'
        + DOC,
        ["checks", "equals", "一百"],
        id="check-equals-not-a-number",
    ),
]


@pytest.mark.parametrize(("text", "fragments"), ERROR_CASES)
def test_job_errors_name_file_and_problem(tmp_path: Path, text: str, fragments: list[str]) -> None:
    source = write_job(tmp_path, text)
    with pytest.raises(JobError) as info:
        load_job(tmp_path)
    message = str(info.value)
    assert message.startswith(f"任务文件 {source}")
    assert message.endswith("。")
    for fragment in fragments:
        assert fragment in message


def test_duplicate_document_names_among_several(tmp_path: Path) -> None:
    docs = "".join(
        f'[[documents]]\nname = "{name}"\ntemplate = "{i}.docx"\n'
        for i, name in enumerate(["讲话稿", "责任书", "通报", "责任书"])
    )
    write_job(tmp_path, HEAD + docs)
    with pytest.raises(JobError, match="文档名“责任书”出现了两次"):
        load_job(tmp_path)


def test_duplex_and_copies(tmp_path: Path) -> None:
    from conftest import ROOT

    text = (ROOT / "officekit.toml").read_text(encoding="utf-8")
    job_file = tmp_path / "officekit.toml"
    job_file.write_text(text, encoding="utf-8")
    job = load_job(job_file)
    assert job.duplex is True and job.copies == 1
    letters = next(d for d in job.documents if d.combined)
    assert job.combined_start(letters) == "odd"
    assert job.combined_start(letters, duplex=False) == "page"  # the command line wins
    job_file.write_text(
        text.replace("duplex = true", "duplex = false").replace("copies = 1", "copies = 2"),
        encoding="utf-8",
    )
    job = load_job(job_file)
    assert job.duplex is False and job.copies == 2
    assert job.combined_start(letters) == "page"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("copies = 0", "copies 应为 1 到 20"),
        ('copies = "两份"', "copies"),
        ('duplex = "是"', "duplex"),
    ],
)
def test_bad_print_options(tmp_path: Path, line: str, expected: str) -> None:
    from conftest import ROOT

    text = (ROOT / "officekit.toml").read_text(encoding="utf-8")
    key = line.split(" ")[0]
    original = next(x for x in text.splitlines() if x.startswith(f"{key} ="))
    job_file = tmp_path / "officekit.toml"
    job_file.write_text(text.replace(original, line), encoding="utf-8")
    with pytest.raises(JobError) as info:
        load_job(job_file)
    assert expected in info.value.message


@pytest.mark.parametrize("layout", ["gongwen", "keep"])
def test_layout_per_document(tmp_path: Path, layout: str) -> None:
    (tmp_path / JOB_FILE).write_text(
        f'[job]\nworkbook = "a.xlsx"\n[[documents]]\nname = "通知"\ntemplate = "t.docx"\n'
        f'layout = "{layout}"\n[[documents]]\nname = "其他"\ntemplate = "t.docx"\n',
        encoding="utf-8",
    )
    documents = load_job(tmp_path).documents
    assert [d.layout for d in documents] == [layout, "gongwen"]  # the default: 公文 layout


def test_unknown_layout_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / JOB_FILE).write_text(
        '[job]\nworkbook = "a.xlsx"\n[[documents]]\nname = "通知"\ntemplate = "t.docx"\n'
        'layout = "原样"\n',
        encoding="utf-8",
    )
    with pytest.raises(JobError) as info:
        load_job(tmp_path)
    assert 'layout = "原样"' in info.value.message and 'layout = "keep"' in info.value.message


def _with_combined_start(tmp_path: Path, value: str, duplex: str = "true") -> Path:
    from conftest import ROOT

    text = (ROOT / "officekit.toml").read_text(encoding="utf-8")
    combined = next(x for x in text.splitlines() if x.startswith("combined = "))
    text = text.replace(combined, f"{combined}\ncombined_start = {value}").replace(
        "duplex = true", f"duplex = {duplex}"
    )
    job_file = tmp_path / "officekit.toml"
    job_file.write_text(text, encoding="utf-8")
    return job_file


@pytest.mark.parametrize(
    ("value", "duplex", "start"),
    [('"page"', "true", "page"), ('"odd"', "false", "odd"), ('"odd"', "true", "odd")],
)
def test_combined_start_of_a_document_wins_over_the_jobs_duplex(
    tmp_path: Path, value: str, duplex: str, start: str
) -> None:
    job = load_job(_with_combined_start(tmp_path, value, duplex))
    letters = next(d for d in job.documents if d.combined)
    assert letters.combined_start == start
    assert job.combined_start(letters) == start
    # The command line's --duplex/--simplex wins over both.
    assert job.combined_start(letters, duplex=True) == "odd"
    assert job.combined_start(letters, duplex=False) == "page"


@pytest.mark.parametrize("value", ['"even"', '"PAGE"', "1"])
def test_unknown_combined_start_is_named_with_its_document(tmp_path: Path, value: str) -> None:
    job_file = _with_combined_start(tmp_path, value)
    with pytest.raises(JobError) as info:
        load_job(job_file)
    shown = value.strip('"')
    assert info.value.message == (
        f"任务文件 {job_file} 的 documents 第 2 项 中 combined_start“{shown}”不认识，"
        "请改为 odd（每份从单页开始，双面打印用）或 page（接着下一页）。"
    )


@pytest.mark.parametrize("missing", ["equals", "table", "group", "column"])
def test_a_check_missing_a_key_names_it(tmp_path: Path, missing: str) -> None:
    keys = {"table": '"考核指标"', "group": '"单位名称"', "column": '"分值"', "equals": "100"}
    body = "".join(f"{k} = {v}\n" for k, v in keys.items() if k != missing)
    source = write_job(tmp_path, HEAD + "[[checks]]\n" + body + DOC)
    with pytest.raises(JobError) as info:
        load_job(tmp_path)
    assert info.value.message == f"任务文件 {source} 的 [checks] 缺少 {missing}，请补上后重试。"


def test_a_check_of_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    check = '[[checks]]\nkind = "avg"\ntable = "甲"\ngroup = "乙"\nequals = 1\n'
    source = write_job(tmp_path, HEAD + check + DOC)
    with pytest.raises(JobError) as info:
        load_job(tmp_path)
    assert info.value.message == (
        f"任务文件 {source} 的 [[checks]] 中 kind“avg”不认识，请改为 sum 或 count。"
    )


def test_a_table_rule_without_columns(tmp_path: Path) -> None:
    """A rule may give only references or allowed values; its columns are then none."""
    rule = '[tables."任务分工"]\nallowed = { "职责" = ["牵头", "配合"] }\n'
    write_job(tmp_path, HEAD + rule + DOC)
    job = load_job(tmp_path)
    assert job.tables["任务分工"].columns == {}
    assert job.tables["任务分工"].allowed == {"职责": ("牵头", "配合")}
