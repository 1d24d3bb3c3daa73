"""officekit.gongwen.source: drafts read from .txt (UTF-8, GB18030) and messy .docx."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

from officekit.errors import DocumentError
from officekit.gongwen.source import decode, read_lines

LINES = ["在全乡禁毒工作推进会上的讲话", "同志们：", "　　今年以来，全乡共排查涉毒隐患37处；"]


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "gb18030", "utf-16"],  # utf-16 as Notepad's "Unicode", with BOM
)
def test_text_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "草稿.txt"
    path.write_bytes("\r\n".join(LINES).encode(encoding))
    assert read_lines(path) == LINES


def test_gb18030_bytes_are_not_taken_for_utf8() -> None:
    data = "禁毒宣传进校园".encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode(data, "x.txt") == "禁毒宣传进校园"


def test_bom_is_not_part_of_the_first_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "标题\n正文".encode())
    assert read_lines(path)[0] == "标题"


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfd\xfc\xfb\x80\x80",  # neither UTF-8 nor GB18030
        b"PK\x03\x04\x00\x00binary\x00\x00",  # a binary file renamed .txt
    ],
)
def test_undecodable_text_names_the_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "草稿.txt"
    path.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        read_lines(path)
    assert err.value.message == (
        "文件 草稿.txt 不是 UTF-8 或 GB18030 编码的文本，请用记事本另存为 UTF-8 后重试。"
    )
    assert err.value.exit_code == 7


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as err:
        read_lines(tmp_path / "没有这个文件.txt")
    assert "没有这个文件.txt" in err.value.message
    assert err.value.message.startswith("找不到文件")
    assert err.value.message.endswith("。")


@pytest.mark.parametrize(
    ("name", "words"),
    [("讲话.pdf", "不是 .txt 文本或 .docx 文档"), ("讲话.doc", "旧版 Word 格式")],
)
def test_wrong_extension(tmp_path: Path, name: str, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(DocumentError) as err:
        read_lines(path)
    assert name in err.value.message and words in err.value.message


@pytest.mark.parametrize("data", [b"this is not a zip", b"PK\x03\x04broken"])
def test_corrupt_docx(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "讲话稿.docx"
    path.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        read_lines(path)
    assert "讲话稿.docx" in err.value.message
    assert "另存为 .docx" in err.value.message


def test_docx_with_messy_formatting(tmp_path: Path) -> None:
    """Odd fonts and sizes, ideographic-space indents, a soft break and a table: only
    the texts come through, in order."""
    doc = Document()
    title = doc.add_paragraph()
    run = title.add_run("在全镇禁毒工作会议上的讲话")
    run.font.name = "Comic Sans MS"
    run.font.size = Pt(30)
    run.bold = True
    doc.add_paragraph("　　同志们：")
    body = doc.add_paragraph()
    for piece, size in (("　　今年", 9), ("全镇", 20), ("共收戒吸毒人员12人。", 12)):
        body.add_run(piece).font.size = Pt(size)
    broken = doc.add_paragraph()
    broken.add_run("一、提高认识")
    broken.add_run().add_break()  # Shift+Enter inside one paragraph
    broken.add_run("\t加强领导。")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "单位"
    table.cell(0, 1).text = "职责"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "镇派出所负责打击。"
    doc.add_paragraph("谢谢大家！")
    path = tmp_path / "草稿.docx"
    doc.save(path)

    assert read_lines(path) == [
        "在全镇禁毒工作会议上的讲话",
        "　　同志们：",
        "　　今年全镇共收戒吸毒人员12人。",
        "一、提高认识",
        " 加强领导。",
        "单位",
        "职责",
        "镇派出所负责打击。",
        "谢谢大家！",
    ]


def test_docx_whose_main_part_is_not_a_word_body(tmp_path: Path) -> None:
    """A package python-docx opens whose document.xml has no w:body (another program's
    XML under Word's name): one sentence, not an AttributeError."""
    import zipfile

    from officekit.gongwen import layout

    good, path = tmp_path / "好.docx", tmp_path / "讲话稿.docx"
    doc = layout.new_document()
    layout.add_paragraph(doc, "body", "正文")
    doc.save(str(good))
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
            dst.writestr(item, data)
    with pytest.raises(DocumentError) as err:
        read_lines(path)
    assert "讲话稿.docx" in err.value.message and "没有 Word 正文" in err.value.message
