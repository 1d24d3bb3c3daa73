"""officekit.files: inputs are looked at before any parser; hostile packages are refused.

The hostile files are built here: a zip bomb (a member inflating to 1 GiB from about
1 MiB), and "billion laughs" / external-entity XML inside an otherwise valid package.
Each is refused by ``inspect`` with bounded memory (tracemalloc), and the build that
meets one ends with the classified message, not a parser's crash.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from officekit import files
from officekit.cli import app
from officekit.errors import TemplateError, WorkbookError

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]><worksheet>&lol9;</worksheet>"
)
EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<w:document>&xxe;</w:document>"
)


def _zip_bomb(path: Path, base: Path) -> Path:
    """A copy of ``base`` plus one member of 1 GiB of zeros (about 1 MiB compressed)."""
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item.filename))
        with dst.open("xl/media/bomb.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(1024):
                member.write(chunk)
    return path


def _with_part(path: Path, base: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, data if item.filename == name else src.read(item.filename))
    return path


def _refused_with_bounded_memory(path: Path, kind: files.Kind, error: type) -> str:
    tracemalloc.start()
    try:
        with pytest.raises(error) as info:
            files.inspect(path, kind, error)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, f"peak {peak} bytes while refusing"
    return info.value.message


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bomb")
    return _zip_bomb(folder / "炸弹.xlsx", ROOT / "sheets" / "禁毒工作数据.xlsx")


def test_zip_bomb_workbook_is_refused(bomb: Path) -> None:
    assert bomb.stat().st_size < 8 * 1024 * 1024
    message = _refused_with_bounded_memory(bomb, files.WORKBOOK, WorkbookError)
    assert "炸弹.xlsx" in message and "恶意" in message and "1024 MB" in message


def test_zip_bomb_template_is_refused(tmp_path: Path) -> None:
    path = _zip_bomb(tmp_path / "模板.docx", ROOT / "word_templates" / "责任书.docx")
    message = _refused_with_bounded_memory(path, files.TEMPLATE, TemplateError)
    assert "模板 模板.docx" in message and "恶意" in message


def test_billion_laughs_in_a_workbook_is_refused(tmp_path: Path) -> None:
    path = _with_part(
        tmp_path / "笑.xlsx",
        ROOT / "sheets" / "禁毒工作数据.xlsx",
        "xl/worksheets/sheet2.xml",
        LAUGHS,
    )
    message = _refused_with_bounded_memory(path, files.WORKBOOK, WorkbookError)
    assert "xl/worksheets/sheet2.xml" in message and "实体" in message


def test_external_entity_in_a_template_is_refused(tmp_path: Path) -> None:
    path = _with_part(
        tmp_path / "外部.docx",
        ROOT / "word_templates" / "责任书.docx",
        "word/document.xml",
        EXTERNAL,
    )
    message = _refused_with_bounded_memory(path, files.TEMPLATE, TemplateError)
    assert "word/document.xml" in message


def test_build_with_a_hostile_workbook_ends_in_a_message(job_dir: Path) -> None:
    book = job_dir / "sheets" / "禁毒工作数据.xlsx"
    _with_part(book.with_name("x.xlsx"), book, "xl/worksheets/sheet2.xml", LAUGHS).replace(book)
    result = CliRunner().invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert result.exit_code == 3
    assert "恶意文件" in result.output and "Traceback" not in result.output
    assert not (job_dir / "output" / "讲话稿.docx").exists()


def test_normal_packages_pass() -> None:
    files.inspect(ROOT / "sheets" / "禁毒工作数据.xlsx", files.WORKBOOK, WorkbookError)
    for template in (ROOT / "word_templates").glob("*.docx"):
        files.inspect(template, files.TEMPLATE, TemplateError)


@pytest.mark.parametrize(
    ("lock", "found"),
    [("~$禁毒工作数据.xlsx", True), ("~$工作数据.xlsx", True), ("~$其他.xlsx", False)],
)
def test_lock_files(tmp_path: Path, lock: str, found: bool) -> None:
    book = tmp_path / "禁毒工作数据.xlsx"
    book.write_bytes(b"PK")
    (tmp_path / lock).write_bytes(b"\0")
    assert (files.lock_file(book) is not None) is found
    warning = files.open_warning(book, files.WORKBOOK)
    assert (warning is not None and "正在 Excel 中打开" in warning) is found


def test_text_sniffing() -> None:
    assert files._looks_like_text("单位名称,职责\n县公安局,牵头\n".encode("gb18030"))
    assert not files._looks_like_text(io.BytesIO(bytes(range(256))).read())


@pytest.mark.parametrize(
    ("options", "said"),
    [({"encrypted": True}, "加了密码"), ({"method": 9}, "不支持的压缩方式")],
)
def test_a_package_re_zipped_by_an_archiver_is_one_sentence(
    tmp_path: Path, options: dict, said: str
) -> None:
    from zip_helpers import repacked

    for base, kind, error in (
        (ROOT / "sheets" / "禁毒工作数据.xlsx", files.WORKBOOK, WorkbookError),
        (ROOT / "word_templates" / "责任书.docx", files.TEMPLATE, TemplateError),
    ):
        path = repacked(base, tmp_path / base.name, **options)
        with pytest.raises(error) as caught:
            files.inspect(path, kind, error, verify=False)
        assert said in caught.value.message and base.name in caught.value.message


def test_build_with_a_re_zipped_workbook_ends_in_a_message(job_dir: Path) -> None:
    from zip_helpers import repacked

    book = job_dir / "sheets" / "禁毒工作数据.xlsx"
    repacked(book, book.with_name("x.xlsx"), encrypted=True).replace(book)
    for command in (["build", str(job_dir), "--no-pdf"], ["validate", "--job", str(job_dir)]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 3, result.output
        assert "加了密码" in result.output and "内部错误" not in result.output
