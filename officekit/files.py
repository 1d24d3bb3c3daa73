"""Look at an input file before any parser does: is it really an .xlsx/.docx, and safe?

Clerks get files by e-mail and USB stick: an old .xls or a WPS .et under a new name, a CSV
renamed to .xlsx, a workbook with an opening password (an encrypted OLE file, not a zip),
a half-copied file. Each gets a sentence saying what it is and how to save it properly,
instead of a parser's stack trace.

Hostile packages are refused before parsing, in bounded time and memory: a zip whose
members inflate to more than ``MAX_TOTAL_BYTES`` or at a ratio above ``MAX_RATIO``
(a zip bomb), and XML parts that declare a DTD or entities (billion laughs, external
entities). Office never writes either.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

from officekit.errors import OfficekitError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK"
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # inflated size of all members
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # inflated / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 4 * 1024 * 1024
XML_SNIFF = 4096  # bytes of each XML part read to look for a DTD


class Kind(NamedTuple):
    """What a package is for: how the clerk names it and how to save it properly."""

    noun: str  # 工作簿 / 模板
    suffix: str  # .xlsx / .docx
    program: str  # Excel / Word
    save_as: str  # the menu item in the clerk's words
    old: dict[str, str]  # old suffix → the program that writes it


WORKBOOK = Kind(
    "工作簿",
    ".xlsx",
    "Excel",
    "“另存为 Excel 工作簿(.xlsx)”",
    {".xls": "Excel 97-2003", ".et": "WPS 表格", ".ett": "WPS 表格"},
)
TEMPLATE = Kind(
    "模板",
    ".docx",
    "Word",
    "“另存为 Word 文档(.docx)”",
    {".doc": "Word 97-2003", ".wps": "WPS 文字", ".wpt": "WPS 文字"},
)


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable >= 0.95 * max(len(text), 1)
    return False


def inspect(path: Path, kind: Kind, error: type[OfficekitError], verify: bool = True) -> None:
    """Raise ``error`` with one sentence when ``path`` is not a usable ``kind`` package.

    ``verify``: also decompress every member to check its CRC. A caller that reads each
    member it uses to its end (zipfile then checks the CRC itself) and names the part
    that fails passes False: a workbook of ten thousand units is tens of megabytes of
    XML, and a rebuild reads little of it."""
    name = path.name
    fix = f"请在 {kind.program} 中打开它，{kind.save_as}后重试"
    if not path.is_file():
        raise error(f"找不到{kind.noun} {path}；请检查 officekit.toml 中的路径和文件名。")
    suffix = path.suffix.lower()
    if suffix in kind.old:
        raise error(
            f"{kind.noun} {name} 是 {kind.old[suffix]} 格式；请在 {kind.old[suffix].split()[0]}"
            f" 中打开它，{kind.save_as}，并在 officekit.toml 中改用 {path.stem}{kind.suffix}。"
        )
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if not head:
        raise error(
            f"{kind.noun} {name} 是空的（0 字节），多半是没有保存完或没有拷贝完整；请换用完整的文件。"
        )
    if head.startswith(OLE_MAGIC):
        raise error(
            f"{kind.noun} {name} 设置了打开密码，或其实是旧格式（97-2003 或 WPS）的文件；"
            f"请在 {kind.program} 中打开它，取消密码后{kind.save_as}再重试。"
        )
    if not head.startswith(ZIP_MAGIC):
        if _looks_like_text(head):
            raise error(
                f"{kind.noun} {name} 其实是文本（CSV）文件，只是扩展名改成了 {kind.suffix}；{fix}。"
            )
        raise error(f"{kind.noun} {name} 不是 {kind.suffix} 文件；{fix}。")
    _inspect_zip(path, kind, error, fix, verify)


def _inspect_zip(
    path: Path, kind: Kind, error: type[OfficekitError], fix: str, verify: bool
) -> None:
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = 0
            for info in infos:
                _check_member(info, name, kind, error, fix)
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if (
                    info.file_size > MAX_MEMBER_BYTES
                    or total > MAX_TOTAL_BYTES
                    or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO)
                ):
                    raise error(
                        f"{kind.noun} {name} 解压后异常巨大（{info.filename} 达 "
                        f"{info.file_size // (1024 * 1024)} MB），可能是恶意文件，已拒绝打开；"
                        "请向发件人要一份正常保存的文件。"
                    )
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    try:
                        with zf.open(info) as member:
                            sniff = member.read(XML_SNIFF)
                    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                        raise error(
                            f"{kind.noun} {name} 已损坏（{info.filename} 无法解压）；{fix}。"
                        ) from exc
                    if b"<!DOCTYPE" in sniff or b"<!ENTITY" in sniff:
                        raise error(
                            f"{kind.noun} {name} 的 {info.filename} 含有 DTD/实体声明，"
                            f"{kind.program} 从不这样保存，可能是恶意文件，已拒绝打开；"
                            "请向发件人要一份正常保存的文件。"
                        )
            bad = zf.testzip() if verify and total < 64 * 1024 * 1024 else None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise error(
            f"{kind.noun} {name} 已损坏（不完整或不是有效的 {kind.suffix} 压缩包）；{fix}。"
        ) from exc
    if bad is not None:
        raise error(f"{kind.noun} {name} 已损坏（{bad} 校验失败）；{fix}。")


# What Office writes: members stored or deflated, never encrypted inside the zip.
_OFFICE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _check_member(
    info: zipfile.ZipInfo, name: str, kind: Kind, error: type[OfficekitError], fix: str
) -> None:
    """Refuse a member zipfile would fail on later (RuntimeError, NotImplementedError): a
    package re-zipped with a password or by an archiver's own method (7-Zip's Deflate64)."""
    if info.flag_bits & 0x1:
        raise error(
            f"{kind.noun} {name} 被压缩软件加了密码（{info.filename} 已加密），{kind.program}"
            "从不这样保存；请换用原来的文件，或请发件人不加密码重新发送。"
        )
    if info.compress_type not in _OFFICE_METHODS:
        raise error(
            f"{kind.noun} {name} 被压缩软件用 {kind.program} 不支持的压缩方式重新打包过"
            f"（{info.filename}）；{fix}。"
        )


def lock_file(path: Path) -> Path | None:
    """The ``~$…`` file Word/Excel/WPS keep beside a document while it is open."""
    name = path.name
    for candidate in (f"~${name}", f"~${name[1:]}", f"~${name[2:]}"):
        lock = path.with_name(candidate)
        if lock != path and lock.exists():
            return lock
    return None


def open_warning(path: Path, kind: Kind) -> str | None:
    """A warning when ``path`` is open in Excel/Word: unsaved edits are not in the file."""
    if lock_file(path) is None:
        return None
    return (
        f"{kind.noun} {path.name} 正在 {kind.program} 中打开；生成用的是它上次保存的内容，"
        f"刚才的修改如果还没保存，请先在 {kind.program} 中保存后重新生成。"
    )
