"""The only docxtpl / Jinja user: compile a .docx template once, render it many times.

Compiling reads the template's zip once, lets docxtpl clean the Word XML so Jinja tags
survive Word's run splitting (and turn ``{%p %}``/``{%tr %}`` tags into paragraph and row
loops), and compiles each templated part with a sandboxed, autoescaping, StrictUndefined
Jinja environment. Rendering is then "render XML, write zip".
"""

from __future__ import annotations

import io
import re
import traceback
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from xml.parsers import expat

import jinja2
from jinja2 import StrictUndefined, meta, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import escape

from officekit import (
    files,
    mergefields,
    mergeformat,
    package,
    pictures,
    safetext,
    tags,
    templatecache,
)
from officekit.errors import OfficekitError, TemplateError
from officekit.filters import FILTERS, FilterInputError
from officekit.gongwen import spec
from officekit.names import safe_segment
from officekit.tables import Row, Table, closest
from officekit.values import finalize, finalize_xml

# Parts of a .docx that may hold template tags.
TEMPLATED = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes|endnotes)|docProps/(core|app))\.xml$"
)
# Parts whose font names follow the job's font profile.
FONT_PARTS = re.compile(r"^word/(document|styles|header\d*|footer\d*|numbering|fontTable)\.xml$")
_TAG = re.compile(r"<[^>]+>")
# The modules whose code shapes a compiled template (their change invalidates the cache).
COMPILERS: tuple[str, ...] = (__file__, tags.__file__, *mergefields.COMPILERS)
_PARAGRAPH = re.compile(r"<w:p[ >]")


def make_environment() -> SandboxedEnvironment:
    """Sandboxed (a template cannot reach Python internals), autoescaped for XML, strict."""
    env = SandboxedEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=finalize_xml,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.filters.update(mergeformat.FILTERS)  # what Word's mail-merge fields become
    env.filters["图片"] = pictures.picture  # places a drawing: XML, not text, so not in FILTERS
    return env


def make_name_environment() -> SandboxedEnvironment:
    """Like :func:`make_environment` but for file names: plain text, no XML escaping."""
    env = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined, finalize=finalize)
    env.filters.update(FILTERS)
    return env


def syntax_problem(exc: jinja2.TemplateSyntaxError) -> str:
    """A Jinja syntax error in the words of a template author, with what to do."""
    message = exc.message or ""
    if match := re.match(r"No filter named '([^']+)'", message):
        return f"没有名为“{match.group(1)}”的过滤器（可用的有：{'、'.join(FILTERS)}），请改正过滤器名称"
    if match := re.match(r"No test named '([^']+)'", message):
        return f"没有名为“{match.group(1)}”的判断（is 后面的词），请改正"
    innermost = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    if message.startswith("Unexpected end of template"):
        if innermost:
            block = innermost.group(1)
            return f"有一个 {{%p {block} %}} 没有结束，请在它管的最后一段之后加一段 {{%p end{block} %}}"
        return "有 {%p for %} 或 {%p if %} 没有结束，请在后面加一段 {%p endfor %} 或 {%p endif %}"
    if match := re.match(r"Encountered unknown tag '([^']+)'", message):
        tag = match.group(1)
        if innermost:
            block = innermost.group(1)
            return f"“{tag}”之前的 {{%p {block} %}} 还没有结束，请先加一段 {{%p end{block} %}}（或检查拼写）"
        return f"“{tag}”没有对应的开头标签，或拼写有误，请检查 for/endfor、if/endif 是否成对"
    return f"模板语法有误（{message}），请检查 {{{{ }}}} 和 {{% %}} 是否成对、括号和引号是否完整"


def font_profile_map(profile: str) -> dict[str, str]:
    """Names to rewrite when a template written for one profile is built with another."""
    target = spec.FONT_PROFILES[profile]
    mapping: dict[str, str] = {}
    for other, faces in spec.FONT_PROFILES.items():
        if other == profile:
            continue
        for face, name in faces.items():
            if name != target[face]:
                mapping[name] = target[face]
    return mapping


_FONT_ENTRY = re.compile(r'<w:font w:name="([^"]+)".*?</w:font>', re.DOTALL)


def _remap_fonts(xml: str, mapping: dict[str, str]) -> str:
    for old, new in mapping.items():
        xml = xml.replace(f'"{old}"', f'"{new}"')
    return xml


def _dedupe_font_table(xml: str) -> str:
    """After a remap the font table may name a face twice (仿宋_GB2312 and 仿宋 both
    became 仿宋); keep the first entry of each name."""
    seen: set[str] = set()

    def first_only(match: re.Match[str]) -> str:
        if match.group(1) in seen:
            return ""
        seen.add(match.group(1))
        return match.group(0)

    return _FONT_ENTRY.sub(first_only, xml)


def paragraph_text(line: str) -> str:
    """Visible text of one XML line (one paragraph), tags removed, shortened."""
    text = _TAG.sub("", line).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = text.replace("&quot;", '"').strip()
    return text[:40] + ("…" if len(text) > 40 else "")


@dataclass
class CompiledPart:
    """One part of a template (document.xml, a footer) compiled to Jinja."""

    name: str
    template: jinja2.Template
    lines: list[str]  # template lines before docxtpl's clean-up, one paragraph per line
    source: str  # the Jinja source after clean-up
    code: Any = None  # the compiled Python code of ``source`` (kept by templatecache)
    names: frozenset[str] | None = None  # top-level names it reads, once found
    # What a rendered copy needs besides Jinja, found when compiling: "escapes" (docxtpl's
    # {_{ }_} print as {{ }}), "grid" ({%tc%}/{% hm %}/{% vm %}: table grids to match
    # their cells), "pictures" (the 图片 filter: media parts, rels, line spacing). Empty
    # for almost every template: the hot path checks one tuple.
    mends: tuple[str, ...] = ()


@dataclass
class CompiledTemplate:
    """A template ready to render: its zip entries and compiled Jinja parts."""

    path: Path
    entries: list[tuple[zipfile.ZipInfo, bytes]]
    parts: dict[str, CompiledPart] = field(default_factory=dict)
    # Untouched parts, deflated once (see officekit.package).
    packed: dict[str, package.Member] = field(default_factory=dict)
    root: Path | None = None  # where pictures named by relative paths are (the job folder)

    def variables(self) -> set[str]:
        """Top-level names the template reads (for ``officekit fields``)."""
        names: set[str] = set()
        for part in self.parts.values():
            if part.names is None:
                part.names = frozenset(_top_level(part))
            names |= part.names
        return names

    def constant_lookups(self) -> set[tuple[str, str]]:
        """Rows looked up by a constant key, such as 统计数据["破获毒品刑事案件"]."""
        found: set[tuple[str, str]] = set()
        for part in self.parts.values():
            ast = part.template.environment.parse(part.source)
            for node in ast.find_all(nodes.Getitem):
                if isinstance(node.node, nodes.Name) and isinstance(node.arg, nodes.Const):
                    found.add((node.node.name, str(node.arg.value)))
        return found

    def render(self, variables: dict[str, Any]) -> dict[str, bytes]:
        """Rendered XML of every templated part (and the pictures they placed)."""
        out: dict[str, bytes] = {}
        for name, part in self.parts.items():
            if "pictures" in part.mends:
                self._render_with_pictures(part, variables, out)
            else:
                out[name] = self._render_part(part, variables)
        return out

    def _render_with_pictures(
        self, part: CompiledPart, variables: dict[str, Any], out: dict[str, bytes]
    ) -> None:
        with pictures.collecting(self.root or self.path.parent) as placed:
            out[part.name] = self._render_part(part, variables)
        if placed.drawings:
            out[part.name] = pictures.unclip(out[part.name])
        if placed.files:
            rels_name = pictures.rels_name(part.name)
            types = out.get(CONTENT_TYPES) or self._original(CONTENT_TYPES)
            media, types = pictures.attach(
                placed, part.name, out.get(rels_name) or self._original(rels_name), types or b""
            )
            out.update(media)
            out[CONTENT_TYPES] = types

    def _original(self, name: str) -> bytes | None:
        """The template's own bytes of the part ``name`` (None when it has none)."""
        for info, data in self.entries:
            if info.filename == name:
                if data is not None:
                    return data
                return package.unpacked(self.packed[name])
        return None

    def _render_part(self, part: CompiledPart, variables: dict[str, Any]) -> bytes:
        name = part.name
        try:
            xml = part.template.render(variables)
        except TemplateError as exc:
            raise TemplateError(f"{self._where(part, exc)}：{exc.message}") from exc
        except FilterInputError as exc:
            raise TemplateError(
                f"{self._where(part, exc)}：{exc}；请检查工作簿中对应的单元格。"
            ) from exc
        except jinja2.UndefinedError as exc:
            raise TemplateError(
                f"{self._where(part, exc)}：用到了不存在的“{_missing_name(exc)}”"
                f"{_suggest(exc, variables)}；请改正模板，或在工作簿中补上它。"
            ) from exc
        except SecurityError as exc:
            raise TemplateError(
                f"{self._where(part, exc)}：模板试图访问不允许的内容（{exc}）。"
            ) from exc
        except (
            jinja2.TemplateError,
            TypeError,
            ValueError,
            ZeroDivisionError,
            ArithmeticError,
        ) as exc:
            raise TemplateError(
                f"{self._where(part, exc)}：计算出错（{exc}），请检查模板中的表达式和对应数据。"
            ) from exc
        xml = xml.replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ").replace("\n<", "<")
        if part.mends:
            xml = _mend(xml, part.mends)
        data = xml.encode("utf-8")
        # Well-formed, prefixes bound: checked by expat without building a tree (half
        # the time of lxml's parse, and a process that only renders needs no lxml).
        try:
            try:
                expat.ParserCreate(namespace_separator=" ").Parse(data, True)
            except expat.ExpatError:
                # A character XML cannot hold that did not come from the workbook (its
                # cells lose them on reading): a string in the template, a filter's
                # output. Shown as its mark, as everywhere (checked only on failure).
                if not safetext.ILLEGAL_XML.search(xml):
                    raise
                data = safetext.visible(xml).encode("utf-8")
                expat.ParserCreate(namespace_separator=" ").Parse(data, True)
        except (expat.ExpatError, ValueError, LookupError) as exc:  # and its declared encoding
            raise TemplateError(
                f"模板 {self.path.name} 生成的 {name} 不是合法的 Word 内容（{exc}）；"
                "多半是 {%p %} 或 {%tr %} 标签与普通文字放在了同一段，请让这类标签独占一段。"
            ) from exc
        return data

    def _where(self, part: CompiledPart, exc: BaseException) -> str:
        line = _template_line(exc, part.template)
        if line is None:
            return f"模板 {self.path.name}"
        return _paragraph_place(self.path, part, line)

    def write(
        self, rendered: dict[str, bytes | Iterator[bytes]], dest: Path, title: str | None = None
    ) -> None:
        """Write the .docx: rendered parts replace the template's, the rest is copied.

        A rendered part may come in pieces (an iterator), compressed as they come; the
        file is opened only once every part is ready. ``title`` replaces the template's
        document title (shown by Word and in PDFs).
        """
        dest.parent.mkdir(parents=True, exist_ok=True)
        members = []
        for info, data in self.entries:
            name = info.filename
            if name in rendered:
                part = rendered[name]
                if isinstance(part, bytes):
                    members.append(package.member(name, part, level=1))
                else:
                    members.append(package.member_from(name, part, level=1))
            elif title is not None and name == CORE_PROPERTIES:
                members.append(package.member(name, _retitle(data, title), level=1))
            else:
                if name not in self.packed:
                    self.packed[name] = package.member(name, data)
                members.append(self.packed[name])
        if len(rendered) > len(self.parts):  # parts the template lacks: pictures, their rels
            known = {info.filename for info, _ in self.entries}
            for name, part in rendered.items():
                if name not in known and isinstance(part, bytes):
                    members.append(package.member(name, part, level=1))
        package.write(dest, members)


CORE_PROPERTIES = "docProps/core.xml"
CONTENT_TYPES = "[Content_Types].xml"
_TITLE = re.compile(rb"<dc:title>.*?</dc:title>|<dc:title/>", re.DOTALL)


def _retitle(core: bytes, title: str) -> bytes:
    escaped = escape(safetext.visible(title)).encode("utf-8")
    if _TITLE.search(core):
        return _TITLE.sub(b"<dc:title>" + escaped + b"</dc:title>", core, count=1)
    return core.replace(
        b"</cp:coreProperties>", b"<dc:title>" + escaped + b"</dc:title></cp:coreProperties>"
    )


def _paragraph_place(path: Path, part: CompiledPart, line: int) -> str:
    """Where template line ``line`` is, as a clerk finds it in Word: the paragraph of the
    body (or header/footer), or the table cell ("表格 2 第 3 行第 2 列"), and its text."""
    where = (
        "正文"
        if part.name == "word/document.xml"
        else ("页脚" if "footer" in part.name else "页眉")
    )
    seen = part.lines[:line]
    text = paragraph_text(part.lines[line - 1]) if 0 < line <= len(part.lines) else ""
    quoted = f"（“{text}”）" if text else ""
    # Up to the paragraph's own start: its line also holds the closing tags after it.
    cell = _table_cell("".join(part.lines[: max(line - 1, 0)]))
    if cell is not None:
        table, row, column = cell
        return f"模板 {path.name} {where}表格 {table} 第 {row} 行第 {column} 列{quoted}"
    paragraph = max(1, sum(1 for text in seen if _PARAGRAPH.match(text)))
    return f"模板 {path.name} {where}第 {paragraph} 段{quoted}"


_TABLE_MARK = re.compile(r"<w:tbl>|</w:tbl>|<w:tr[ >]|<w:tc[ >]")


def _table_cell(before: str) -> tuple[int, int, int] | None:
    """(table, row, column), counted from 1 in the template, of the cell open at the end
    of ``before``; None outside tables. A nested table is named by its outer cell."""
    tables = 0
    open_tables: list[list[int]] = []  # per open table: [its number, row, column]
    for mark in _TABLE_MARK.finditer(before):
        tag = mark.group(0)
        if tag == "<w:tbl>":
            if not open_tables:
                tables += 1
            open_tables.append([tables, 0, 0])
        elif tag == "</w:tbl>":
            if open_tables:
                open_tables.pop()
        elif open_tables:
            current = open_tables[-1]
            if tag.startswith("<w:tr"):
                current[1], current[2] = current[1] + 1, 0
            else:
                current[2] += 1
    if not open_tables:
        return None
    number, row, column = open_tables[0]
    return number, max(row, 1), max(column, 1)


def _template_line(exc: BaseException, template: jinja2.Template) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == template.filename and frame.lineno:
            return frame.lineno
    return None


def _missing_name(exc: jinja2.UndefinedError) -> str:
    message = str(exc)
    match = re.search(r"has no attribute '([^']+)'", message) or re.search(
        r"'([^']+)' is undefined", message
    )
    return match.group(1) if match else message


def _suggest(exc: jinja2.UndefinedError, variables: dict[str, Any]) -> str:
    name = _missing_name(exc)
    candidates = list(variables)
    for value in variables.values():
        if isinstance(value, Table):
            candidates += value.columns
            if value.relations is not None:
                candidates += value.relations.relation_names(value.name)
        elif isinstance(value, Row):
            candidates += value.names()
    hint = closest(name, sorted(set(candidates)))
    return f"（{hint}）" if hint else ""


def _top_level(part: CompiledPart) -> set[str]:
    """Names read from the context: undeclared ones minus any the template assigns.

    ``find_undeclared_variables`` is conservative with ``{% set %}`` inside conditional
    branches; a name the template sets itself never comes from the workbook.
    """
    ast = part.template.environment.parse(part.source)
    assigned: set[str] = set()
    for node in ast.find_all((nodes.Assign, nodes.For)):
        target = node.target
        names = [target] if isinstance(target, nodes.Name) else list(target.find_all(nodes.Name))
        assigned |= {n.name for n in names}
    return set(meta.find_undeclared_variables(ast)) - assigned


LAYOUTS = ("gongwen", "keep")


def compile_template(
    path: Path,
    env: SandboxedEnvironment | None = None,
    profile: str = spec.DEFAULT_FONT_PROFILE,
    layout: str = "gongwen",
    root: Path | None = None,
    names: mergefields.Names | None = None,
) -> CompiledTemplate:
    """Read and compile ``path`` once; see the module docstring. ``layout`` "gongwen"
    gives the template the 公文 layout first (:mod:`officekit.gongwen.formatter`, once per
    template: kept in the cache); "keep" compiles it as the author set it. Pictures named
    by a relative path are read from ``root`` (the job folder; the template's own folder
    when None). ``names``: the workbook's, for the template's mail-merge fields
    (:func:`mergefields.bind`)."""
    env = env or make_environment()
    path = Path(path)
    if not path.exists():
        raise TemplateError(f"找不到模板 {path}；请检查 officekit.toml 中的 template 路径。")
    try:
        archive = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path) from exc
    if layout != "keep":
        archive = templatecache.formatted(archive, lambda data: _format(path, data))
    mapping = font_profile_map(profile)
    # The cached source has the profile's font names in it: the key holds the renaming
    # (and the layout, though the formatted bytes it hashes already differ).
    entry = templatecache.key(
        path,
        archive,
        f"{sorted(mapping.items())!r}|layout={layout}" + mergefields.cache_key(names),
        _environment_key(env),
        COMPILERS,
    )
    found = templatecache.load(entry)
    cached, packed = found or ({}, {})
    # Not decompressed whole to test it: every part read is read to its end, and zipfile
    # checks its CRC as it does. A template the cache knows (the key holds its bytes) was
    # inspected and read whole when its entry was made: only the parts the entry does
    # not hold are read again.
    if found is None:
        files.inspect(path, files.TEMPLATE, TemplateError, verify=False)
    try:
        infos = zipfile.ZipFile(io.BytesIO(archive)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _unreadable(path) from exc
    patcher = None
    compiled = CompiledTemplate(path=path, entries=[], root=root)
    stored = found is not None  # everything this build needs is in the cache entry
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        for info in infos:
            name = info.filename
            remapped = bool(mapping and FONT_PARTS.match(name))
            if found is not None and (name != CORE_PROPERTIES or name in cached):
                if name in cached:  # compiled code kept: its text is not needed
                    compiled.parts[name] = _cached_part(name, cached[name], env)
                    compiled.entries.append((info, None))
                    continue
                member = (
                    package.Member(name.encode("utf-8"), *packed[name])
                    if name in packed
                    else None
                    if remapped
                    else package.copied(archive, info)
                )
                if member is not None:
                    compiled.packed[name] = member
                    compiled.entries.append((info, None))
                    continue
            data = original = _read_part(zf, info, path)
            data = mergefields.finished_settings(name, data)  # no link to Word's data source
            if remapped:
                xml = _remap_fonts(_text(data, name, path), mapping)
                if name == "word/fontTable.xml":
                    xml = _dedupe_font_table(xml)
                data = xml.encode("utf-8")
            # Here only what the cache entry (if any) does not hold. A header or footer
            # without tags is the same in every document: it is copied, never rendered.
            merge = TEMPLATED.match(name) and mergefields.has_fields(data)
            if TEMPLATED.match(name) and (name == DOCUMENT_XML or _has_tags(data) or merge):
                patcher = patcher or _patcher()
                xml = _text(data, name, path)
                if name == DOCUMENT_XML and not _BODY.search(xml):
                    raise _no_body(path)
                xml = mergefields.convert(xml, path, name, names) if merge else xml
                compiled.parts[name] = _compile_part(path, name, xml, patcher, env)
                stored = False
            elif name != CORE_PROPERTIES:  # copied into every document: compressed once
                member = package.copied(archive, info) if data is original else None
                if member is None:
                    member = package.member(name, data)
                    packed[name] = (member.crc, member.size, member.data, member.method)
                    stored = False
                compiled.packed[name] = member
            compiled.entries.append((info, data))
    if DOCUMENT_XML not in compiled.parts:
        raise _no_body(path)
    if not stored or set(cached) != set(compiled.parts):
        compiled.variables()  # found once, kept with the compiled code
        templatecache.store(
            entry,
            {
                name: (part.lines, part.source, part.code, sorted(part.names or ()), part.mends)
                for name, part in compiled.parts.items()
            },
            {name: v for name, v in packed.items() if name in compiled.packed},
        )
    return compiled


DOCUMENT_XML = "word/document.xml"


def _format(path: Path, data: bytes) -> bytes:
    """The template's bytes with the 公文 layout applied (inspected first, as a template
    is before it is compiled)."""
    files.inspect(path, files.TEMPLATE, TemplateError, verify=False)
    _sound_main_part(path, data)  # a damaged template is named as the compiler names it
    from officekit.gongwen.formatter import format_docx

    try:
        return format_docx(data).data
    except OfficekitError as exc:
        raise TemplateError(f"模板 {path.name}：{exc}") from exc
    except Exception as exc:  # noqa: BLE001 - a shape the formatter does not know
        raise TemplateError(
            f"模板 {path.name} 无法自动套用公文格式（{type(exc).__name__}: {exc}）；"
            '请在 officekit.toml 这个文档的 [[documents]] 下写 layout = "keep"，按模板原样生成。'
        ) from exc


def _sound_main_part(path: Path, archive: bytes) -> None:
    """Word's main part is there, UTF-8 and a Word body, or one sentence says what is not."""
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as zf:
            info = zf.getinfo(DOCUMENT_XML)
            data = _read_part(zf, info, path)
    except KeyError:
        raise _no_body(path) from None
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _unreadable(path) from exc
    if not _BODY.search(_text(data, DOCUMENT_XML, path)):
        raise _no_body(path)


def _unreadable(path: Path) -> TemplateError:
    return TemplateError(
        f"模板 {path.name} 无法打开（不是有效的 .docx 文件）；请在 Word 中“另存为 Word 文档(.docx)”后重试。"
    )


# The body element of Word's main part, whatever prefix is bound to Word's namespace.
_BODY = re.compile(r"<(?:[\w.-]+:)?body[\s/>]")


def _no_body(path: Path) -> TemplateError:
    return TemplateError(
        f"模板 {path.name} 里没有 Word 正文（word/document.xml 缺失或不是正文），多半已损坏；"
        "请在 Word 中打开它，“另存为 Word 文档(.docx)”后重试。"
    )


def _text(data: bytes, name: str, path: Path) -> str:
    """An XML part's text; one Word never writes (not UTF-8) is named in one sentence."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateError(
            f"模板 {path.name} 的 {name} 不是 UTF-8 编码的 XML，多半已损坏；"
            "请在 Word 中打开它，“另存为 Word 文档(.docx)”后重试。"
        ) from exc


def _read_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> bytes:
    """A part of the template, its CRC checked; a damaged one named in one sentence."""
    try:
        return zf.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise TemplateError(
            f"模板 {path.name} 已损坏（{info.filename} 校验失败）；"
            "请在 Word 中打开它，“另存为 Word 文档(.docx)”后重试。"
        ) from exc
    except (KeyError, OSError, ValueError) as exc:
        raise _unreadable(path) from exc


def _has_tags(data: bytes) -> bool:
    return b"{{" in data or b"{%" in data or b"{#" in data


def _environment_key(env: SandboxedEnvironment) -> str:
    """What of ``env`` shapes the code Jinja compiles (for :mod:`officekit.templatecache`):
    a template compiled in one environment is never loaded into another."""
    settings = (
        type(env).__name__,
        env.autoescape,
        getattr(env.finalize, "__qualname__", None),
        env.keep_trailing_newline,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.block_start_string,
        env.variable_start_string,
        env.comment_start_string,
        env.line_statement_prefix,
        sorted(env.filters),
        sorted(env.tests),
        sorted(env.extensions),
    )
    return repr(settings)


def _patcher() -> Any:
    """docxtpl's tag clean-up (``patch_xml``: tags split across runs rejoined, ``{%p``/``{%tr``
    tags moved to their paragraph or row), without opening the template a second time
    through python-docx: ``patch_xml`` reads nothing of the instance.

    Imported here, not at the top: docxtpl imports python-docx, docxcompose and babel
    (40 ms), which a rebuild whose templates are cached does not need.
    """
    from docx.oxml.ns import nsmap
    from docxtpl import DocxTemplate

    # docxcompose (imported by docxtpl) rebinds python-docx's "cp" prefix to the
    # custom-properties namespace, after which python-docx writes lastModifiedBy/revision of
    # docProps/core.xml in the wrong namespace. officekit uses no custom properties, so the
    # core-properties binding wins.
    nsmap["cp"] = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    return DocxTemplate.__new__(DocxTemplate)


def _compile_part(path: Path, name: str, xml: str, patcher: Any, env) -> CompiledPart:
    # One line per paragraph, inserted before docxtpl's clean-up, so that a Jinja line
    # number is a paragraph number of the original template.
    xml = _PARAGRAPH.sub(lambda m: "\n" + m.group(0), xml)
    lines = xml.split("\n")
    # docxtpl rejoins the runs of each tag; what Writer, WPS or an input method left inside
    # it (&quot;, “ ”, （）) is made into Jinja by officekit.tags.
    source = tags.normalise(patcher.patch_xml(xml))
    mends = _mends(xml, source)
    part = CompiledPart(name=name, template=None, lines=lines, source=source)  # type: ignore[arg-type]
    try:
        code = env.compile(source, name=f"{path.name}:{name}", filename=f"{path}:{name}")
    except jinja2.TemplateSyntaxError as exc:
        where = _paragraph_place(path, part, exc.lineno or 0)
        raise TemplateError(f"{where}：{syntax_problem(exc)}。") from exc
    return _cached_part(name, (lines, source, code, None, mends), env)


_PICTURE = re.compile(r"\|\s*图片\b")
_CELL_TAG = re.compile(r"\{%-?\s*(?:tc\s|hm\s*-?%\}|vm\s*-?%\})")


def _mends(xml: str, source: str) -> tuple[str, ...]:
    """What a rendered copy of this part needs after Jinja (see CompiledPart.mends)."""
    mends = []
    if tags.has_literal_escapes(source):
        mends.append("escapes")
    if "<w:tbl>" in xml and _CELL_TAG.search(_TAG.sub("", xml)):
        mends.append("grid")
    if _PICTURE.search(source):
        mends.append("pictures")
    return tuple(mends)


def _mend(xml: str, mends: tuple[str, ...]) -> str:
    if "escapes" in mends:
        xml = tags.unescape_literals(xml)
    if "grid" in mends:
        from officekit import grid  # only templates with cell loops or merges need it

        xml = grid.fit(xml)
    return xml


def _cached_part(name: str, stored: tuple, env: SandboxedEnvironment) -> CompiledPart:
    """A part from its compiled code (just compiled, or kept by templatecache)."""
    lines, source, code, names, mends = stored
    template = env.template_class.from_code(env, code, env.make_globals(None), None)
    return CompiledPart(
        name, template, lines, source, code, None if names is None else frozenset(names), mends
    )


class Named(Protocol):
    """What a document's name is rendered from: its variables, and (for the names made
    only of fields) a lookup of one name that need not build them all."""

    @property
    def variables(self) -> dict[str, Any]: ...

    def __getitem__(self, name: str) -> Any: ...


def render_name(env: SandboxedEnvironment, pattern: str) -> NameRenderer:
    """Compile an output-name pattern once; the result is rendered per document, from its
    variables or from a :class:`Named` (a document context).

    "/" in the pattern separates folders; each part is rendered on its own and made safe
    for Windows, so a "/" inside a value (“县卫生健康局/县医保局”) cannot create a folder.
    ``env`` is only used for its filters; names are plain text, never XML-escaped.
    """
    pieces = [p for p in pattern.split("/") if p.strip()]
    compiled: list[Any] = []

    def segments() -> list[Any]:
        # Compiled when first needed: a pattern of plain fields (the usual one) is only
        # compiled to say which name a document lacks (3 ms of a rebuild otherwise).
        if not compiled:
            names_env = make_name_environment()
            names_env.filters.update(env.filters)
            try:
                compiled.extend(names_env.from_string(p) for p in pieces)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(
                    f"officekit.toml 中的输出文件名格式“{pattern}”有误：{syntax_problem(exc)}。"
                ) from exc
        return compiled

    plain = [_plain_segment(p) for p in pieces]
    fields: list[list[tuple[bool, str]]] | None = None
    if all(p is not None for p in plain):
        fields = [p for p in plain if p is not None]

        def render_plain(variables: dict[str, Any] | Named) -> str:
            # Looked up name by name: ten thousand letters' names need two fields each,
            # not every variable of every letter
            try:
                return _assemble(fields, lambda name: str(finalize(variables[name])))
            except KeyError:  # Jinja says which name is missing, in the user's words
                return render(variables)

        fast = render_plain
    else:
        fast = None
        segments()  # a mistake in the pattern said now, before any document is made

    def render(variables: dict[str, Any] | Named) -> str:
        if not isinstance(variables, dict):
            variables = variables.variables
        try:
            return "/".join(safe_segment(str(t.render(variables))) for t in segments())
        except jinja2.UndefinedError as exc:
            raise TemplateError(
                f"officekit.toml 中的输出文件名格式“{pattern}”用到了不存在的“{_missing_name(exc)}”"
                f"{_suggest(exc, variables)}，请改正。"
            ) from exc

    return NameRenderer(fast or render, fields)


class Columns(Protocol):
    """Documents that give one name's value for all of them at once (a table's rows)."""

    def __len__(self) -> int: ...

    def __getitem__(self, i: int) -> Named: ...

    def values(self, name: str) -> list[Any]: ...


class NameRenderer:
    """An output-name pattern compiled once (see :func:`render_name`): called with one
    document's variables, or given all of a per-row document's at once (:meth:`many`)."""

    def __init__(
        self,
        one: Callable[[dict[str, Any] | Named], str],
        fields: list[list[tuple[bool, str]]] | None,
    ) -> None:
        self._one, self._fields = one, fields

    def __call__(self, variables: dict[str, Any] | Named) -> str:
        return self._one(variables)

    def many(self, documents: Sequence[Named] | Columns) -> list[str]:
        """The names of all ``documents``, as one call each would give them; a pattern of
        plain fields reads each field as a column (ten thousand letters' names: no
        context, row or lookup made per letter)."""
        if self._fields is None or not hasattr(documents, "values"):
            return [self._one(d) for d in documents]
        try:
            columns = {
                piece: [str(finalize(v)) for v in documents.values(piece)]  # type: ignore[union-attr]
                for segment in self._fields
                for is_name, piece in segment
                if is_name
            }
        except KeyError:  # a missing name: said by the one-by-one path, in the user's words
            return [self._one(d) for d in documents]
        fields = self._fields
        return [
            _assemble(fields, lambda name, i=i: columns[name][i]) for i in range(len(documents))
        ]


def _assemble(fields: list[list[tuple[bool, str]]], value: Callable[[str], str]) -> str:
    """A name from its plain segments, ``value`` giving each field's text."""
    return "/".join(
        [
            safe_segment(
                "".join([value(piece) if is_name else piece for is_name, piece in segment])
            )
            for segment in fields
        ]
    )


# ``{{ 名称 }}`` with nothing else in the braces; Jinja's literals (true, none…) excepted.
_NAME_FIELD = re.compile(r"\{\{\s*([^\W\d]\w*)\s*\}\}")
_JINJA_WORDS = {"true", "false", "none", "True", "False", "None"}


def _plain_segment(segment: str) -> list[tuple[bool, str]] | None:
    """A name segment made only of text and ``{{ 名称 }}`` fields, as (is_name, text)
    pieces, or None when it needs Jinja: a build names ten thousand letters, and a
    Jinja render per name costs more than the lookup it does."""
    pieces: list[tuple[bool, str]] = []
    start = 0
    for match in _NAME_FIELD.finditer(segment):
        pieces.append((False, segment[start : match.start()]))
        if match.group(1) in _JINJA_WORDS:
            return None
        pieces.append((True, match.group(1)))
        start = match.end()
    pieces.append((False, segment[start:]))
    # Any other brace is Jinja syntax; Jinja drops a trailing newline.
    if any(not is_name and ("{" in t or "}" in t or "\n" in t) for is_name, t in pieces):
        return None
    return [(is_name, t) for is_name, t in pieces if is_name or t]
