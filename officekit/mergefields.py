"""Word/WPS mail-merge fields read as the engine's own tags, once per template.

An office's 邮件合并 template holds fields, not tags (:mod:`officekit.mergeparse` reads
them). When a template is compiled, before its tags are read, each merge field becomes a
Jinja expression in one run with the field result's formatting; the field code does not
reach the letters. :mod:`officekit.mergenames` says what a field's name means in the
workbook, :mod:`officekit.mergeformat` applies Word's switches at render time.
``IF «职责» = "牵头" "（牵头）" ""`` becomes ``{% if %}``; a table row (or paragraph) of
fields naming a related table's columns repeats for each of its rows. NEXT, NEXTIF and
SKIPIF have no meaning in a job of one document per row: they are refused in a sentence
saying what to do instead. Word's link to its data source is dropped from the letters'
settings (the workbook named in officekit.toml is the data; Word would otherwise ask to
run its SQL query each time a letter is opened).

A template is compiled before its workbook is read (names taken as written), then, when
it holds merge fields, once more with the workbook's names (:func:`bind`); both are kept
by :mod:`officekit.templatecache`, so a rebuild does neither again.
"""

from __future__ import annotations

import codecs
import copy
import re
from pathlib import Path
from typing import Any

from lxml import etree

from officekit import mergeformat, mergenames, mergeparse
from officekit.errors import TemplateError
from officekit.mergenames import LOOP, Names, literal
from officekit.mergeparse import Field, Token, W, find_fields, switches, text_of, tokens
from officekit.tables import closest

MARK = "{#合并域#}"
# A warning kept in the compiled source as a comment holding an ASCII literal: the tag
# reader (officekit.tags) leaves literals as they are, but not full-width signs around them.
_NOTE = re.compile(r'\{#合并域提醒 "([^"]*)" #\}')
_HINT = re.compile(rb"MERGEFIELD|NEXTIF|SKIPIF|MERGEREC|MERGESEQ|\bNEXT\b", re.IGNORECASE)
MERGE_KINDS = {"MERGEFIELD", "IF", "NEXT", "NEXTIF", "SKIPIF", "MERGEREC", "MERGESEQ"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
# The modules whose change changes the compiled code (templatecache.key stamps them).
COMPILERS = (__file__, mergenames.__file__, mergeformat.__file__, mergeparse.__file__)
_REFUSED = {
    "NEXT": ("“下一记录”（NEXT）", "在一份文档里接着印下一行数据"),
    "NEXTIF": ("“下一记录条件”（NEXTIF）", "在一份文档里按条件接着印下一行数据"),
    "SKIPIF": ("“跳过记录条件”（SKIPIF）", "按条件跳过某一份"),
}
_OPERATORS = {"=", "<>", "<", ">", "<=", ">="}


def cache_key(names: Names | None) -> str:
    """What of the merge-field reading shapes a compiled template (part of its cache key)."""
    return f"|mergefields {names!r}"


_INSTR = re.compile(rb"<w:instrText(?: [^>]*)?>([^<]*)</w:instrText>")


def has_fields(data: bytes) -> bool:
    """Whether a part may hold merge fields (a quick test before it is parsed). A
    complex field's code may be split anywhere (``MER`` ``GEFIELD``): its pieces are
    joined first."""
    if _HINT.search(data):
        return True
    return b"instrText" in data and bool(_HINT.search(b"".join(_INSTR.findall(data))))


def has_merge(template: Any) -> bool:
    """Whether a compiled template was made from merge fields."""
    return any(MARK in part.source for part in template.parts.values())


def notes(template: Any) -> list[str]:
    """The warnings its fields gave when it was compiled (kept in its compiled source)."""
    found = [n for part in template.parts.values() for n in _NOTE.findall(part.source)]
    return [codecs.decode(n, "unicode_escape") for n in found]


class _Places:
    """Where a field is, in the words of the template's other messages."""

    def __init__(self, root: etree._Element, template: Path, part: str) -> None:
        # The dict holds the elements: lxml gives the same proxy for a node while one lives.
        self.numbers = {p: n for n, p in enumerate(root.iter(W + "p"), start=1)}
        self.template = template
        self.where = (
            "正文" if part == "word/document.xml" else ("页脚" if "footer" in part else "页眉")
        )

    def __call__(self, f: Field) -> str:
        text = "".join(t.text or "" for t in f.paragraph.iter(W + "t")).strip()
        text = text[:40] + ("…" if len(text) > 40 else "")
        number = self.numbers.get(f.paragraph, 0)
        return f"模板 {self.template.name} {self.where}第 {number} 段（“{text}”）"


def convert(xml: str, template: Path, part: str, names: Names | None) -> str:
    """``xml`` of one part with its merge fields turned into tags (see the module)."""
    data = xml.encode("utf-8")
    if not has_fields(data):
        return xml
    root = etree.fromstring(data, _PARSER)
    place = _Places(root, template, part)
    found = [f for f in find_fields(root) if _is_merge(f, place)]
    if not found:
        return xml
    repeats = _repeats(found, names, place)
    said: list[str] = []
    for number, f in enumerate(found):
        source = repeats.get(_container(f))
        jinja = _jinja(f, names, source[1] if source else None, place, said)
        _replace(f, (MARK if number == 0 else "") + jinja)
    for container, (expression, _, _) in repeats.items():
        _wrap(container, f"for {LOOP} in {expression}")
    if said:
        first = next(t for t in root.iter(W + "t") if t.text and MARK in t.text)
        comments = "".join(f"{{#合并域提醒 {_ascii(s)} #}}" for s in said)
        first.text = comments + first.text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).decode(
        "utf-8"
    )


def _ascii(text: str) -> str:
    escaped = text.encode("unicode_escape").decode("ascii")
    return '"' + escaped.replace('"', "\\x22").replace("}", "\\x7d") + '"'


def _is_merge(f: Field, place: _Places) -> bool:
    kind = f.kind
    if kind in _REFUSED:
        name, what = _REFUSED[kind]
        instead = (
            "要在一份文档里列出多行，请把要列出的合并域放在表格的同一行，officekit 会按数据逐行重复这一行"
            if kind != "SKIPIF"
            else "不要生成的行请从工作簿的这张表中删去（或移到另一张表）"
        )
        raise TemplateError(
            f"{place(f)}有{name}域：officekit 每行数据生成一份文档，不{what}；"
            f"请在 Word 中按 Alt+F9 显示域代码，删除这个域。{instead}。"
        )
    if kind in MERGE_KINDS:
        return kind != "IF" or bool(f.merge_names())
    if f.merge_names():
        raise TemplateError(
            f"{place(f)}的“{kind}”域里用到了合并域，officekit 不计算这种域；请在 Word 中按 Alt+F9 "
            "显示域代码，把整个域换成标签，如 {{ 列名 * 100 }}，或只留下其中的合并域。"
        )
    return False


def _container(f: Field) -> etree._Element:
    row = next((a for a in f.paragraph.iterancestors(W + "tr")), None)
    return row if row is not None else f.paragraph


def _repeats(
    found: list[Field], names: Names | None, place: _Places
) -> dict[etree._Element, tuple[str, tuple[str, ...], str]]:
    """The containers whose fields name another table's columns: what each repeats over.
    A name found nowhere is refused here, with the closest names."""
    wanted: dict[etree._Element, list[tuple[Field, str]]] = {}
    for f in found:
        for name in f.merge_names():
            wanted.setdefault(_container(f), []).append((f, name))
    repeats = {}
    for container, fields in wanted.items():
        missing = [(f, n) for f, n in fields if mergenames.document_expression(n, names) is None]
        if not missing:
            continue
        source = mergenames.repeat_source([n for _, n in missing], names)
        if source is not None:
            repeats[container] = source
            missing = [(f, n) for f, n in missing if not mergenames.row_expression(n, source[1])]
        if missing and names is not None:
            f, name = missing[0]
            raise TemplateError(_missing(place(f), name, names))
    return repeats


def _missing(where: str, name: str, names: Names) -> str:
    hint = closest(name, mergenames.all_names(names))
    what = f"「{names.items_sheet}」表的项目名"
    if names.table:
        what = f"「{names.table}」表的列名或{what}"
    return (
        f"{where}的合并域“{name}”在工作簿中找不到{f'（{hint}）' if hint else ''}；"
        f"请在 Word 中右键这个域，选“编辑域”，改成{what}，或在工作簿中补上它。"
    )


def _expression(name: str, names: Names | None, columns: tuple[str, ...] | None) -> str:
    found = mergenames.document_expression(name, names)
    if found is None and columns is not None:
        found = mergenames.row_expression(name, columns)
    return found or mergenames.literal(name) + "|合并域取值"


def _jinja(
    f: Field, names: Names | None, columns: tuple[str, ...] | None, place: _Places, said: list[str]
) -> str:
    kind = f.kind
    if kind in ("MERGEREC", "MERGESEQ"):
        if columns is not None:
            return "{{ loop.index }}"
        return "{{ 编号|int }}" if names is None or names.row else "1"
    if kind == "IF":
        return _if(f, names, columns, place)
    name = mergeparse.merge_name(f)
    if not name:
        raise TemplateError(
            f"{place(f)}有一个没有写名称的合并域；请在 Word 中右键它，选“编辑域”，选一个域名。"
        )
    return "{{ " + _formatted(f, name, names, columns, place, said) + " }}"


def _formatted(
    f: Field,
    name: str,
    names: Names | None,
    columns: tuple[str, ...] | None,
    place: _Places,
    said: list[str],
) -> str:
    found, _ = switches(tokens(f.code)[1:])
    arguments: list[str] = []
    formats: list[str] = []
    for switch, argument in found:
        if switch == "\\@":
            arguments.append(f"日期={literal(argument)}")
        elif switch == "\\#":
            arguments.append(f"数字={literal(argument)}")
        elif switch == "\\b":
            arguments.append(f"前={literal(argument)}")
        elif switch == "\\f":
            arguments.append(f"后={literal(argument)}")
        elif switch == "\\*" and mergeformat.known_format(argument):
            if argument.lower() not in mergeformat.LAYOUT_FORMATS:
                formats.append(literal(argument))
        elif switch not in ("\\m", "\\v"):
            said.append(
                f"{place(f)}的合并域“{name}”带有 officekit 不认识的开关“{switch} {argument}”，"
                "已按 Excel 中显示的样子印出"
            )
    if formats:
        arguments.append(f"格式=({', '.join(formats)},)")
    expression = _expression(name, names, columns)
    return f"{expression}|合并域({', '.join(arguments)})" if arguments else expression


def _if(f: Field, names: Names | None, columns: tuple[str, ...] | None, place: _Places) -> str:
    _, parts = switches(tokens(f.code)[1:])
    if len(parts) < 3 or text_of(parts[1]) not in _OPERATORS:
        raise TemplateError(
            f'{place(f)}的 IF 域写法无法识别；请写成 IF «职责» = "牵头" "（牵头）" "" 的样子'
            '（比较符两边留空格，文字用英文双引号），或改用 {% if 职责 == "牵头" %}（牵头）{% endif %}。'
        )
    left, operator, right = parts[0], text_of(parts[1]), parts[2]
    texts = [_text(t, names, columns) for t in parts[3:5]] + ["", ""]
    test = (
        f"{_operand(left, names, columns)}|合并域比较({literal(operator)}, "
        f"{_operand(right, names, columns)})"
    )
    return f"{{% if {test} %}}{texts[0]}{{% else %}}{texts[1]}{{% endif %}}"


def _operand(token: Token, names: Names | None, columns: tuple[str, ...] | None) -> str:
    fields = [p for p in token[1] if isinstance(p, Field)]
    if fields and fields[0].kind == "MERGEFIELD":
        return _expression(mergeparse.merge_name(fields[0]), names, columns)
    return literal(text_of(token))


def _text(token: Token, names: Names | None, columns: tuple[str, ...] | None) -> str:
    out = ""
    for piece in token[1]:
        if isinstance(piece, Field):
            if piece.kind == "MERGEFIELD":
                out += "{{ " + _expression(mergeparse.merge_name(piece), names, columns) + " }}"
        elif any(c in piece for c in "{}%#"):
            out += "{{ " + literal(piece) + " }}"
        else:
            out += piece
    return out


def _replace(f: Field, jinja: str) -> None:
    """One run holding ``jinja`` where the field was, with its result's formatting."""
    charformat = any(
        s == "\\*" and a.lower() == "charformat" for s, a in switches(tokens(f.code)[1:])[0]
    )
    model = f.code_run if charformat or not f.result else f.result[0]
    run = etree.Element(W + "r")
    props = model.find(W + "rPr") if model is not None else None
    if props is not None:
        run.append(copy.deepcopy(props))
    text = etree.SubElement(run, W + "t")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = jinja
    f.elements[0].addprevious(run)
    for element in f.elements:
        element.getparent().remove(element)


def _wrap(container: etree._Element, loop: str) -> None:
    """``{%tr for … %}`` rows (``{%p`` paragraphs) around a repeated container."""
    row = container.tag == W + "tr"
    for tag, where in ((loop, "addprevious"), ("endfor", "addnext")):
        p = etree.Element(W + "p")
        r = etree.SubElement(p, W + "r")
        etree.SubElement(r, W + "t").text = f"{{%{'tr' if row else 'p'} {tag} %}}"
        if row:
            tr = etree.Element(W + "tr")
            etree.SubElement(tr, W + "tc").append(p)
            p = tr
        getattr(container, where)(p)


# ---- the letters' settings: no link to Word's data source ---------------------------------

SETTINGS = "word/settings.xml"
SETTINGS_RELS = "word/_rels/settings.xml.rels"
_MAIL_MERGE = re.compile(rb"<w:mailMerge\s*/>|<w:mailMerge[ >].*?</w:mailMerge>", re.DOTALL)
_SOURCE_REL = re.compile(
    rb"<Relationship\s[^>]*Type=\"[^\"]*/(?:mailMergeSource|mailMergeHeaderSource|recipientData)\""
    rb"[^>]*/>"
)


def finished_settings(name: str, data: bytes) -> bytes:
    """``data`` of part ``name`` without Word's mail-merge data source (the same object
    when it has none)."""
    if name == SETTINGS and b"mailMerge" in data:
        return _MAIL_MERGE.sub(b"", data)
    if name == SETTINGS_RELS and _SOURCE_REL.search(data):
        return _SOURCE_REL.sub(b"", data)
    return data


# ---- binding: the workbook's names, once per build ---------------------------------------


def bind(
    documents: list[Any],
    book: Any,
    compiled: dict[Path, Any],
    compile_with: Any,
    items_sheet: str | None,
    problems: list[Any],
) -> dict[str, Any]:
    """For each document whose template holds merge fields, its template compiled with
    the names ``book`` gives it (``compile_with(path, names=…)``); a field that names
    nothing in the workbook is a problem appended to ``problems``."""
    bound: dict[str, Any] = {}
    for spec in documents:
        template = compiled.get(spec.template)
        if template is None or not has_merge(template):
            continue
        names = mergenames.names_for(spec.each, spec.as_name, book, items_sheet or "基本信息")
        try:
            bound[spec.name] = compile_with(spec.template, names=names)
        except TemplateError as exc:
            problems.append(exc)
    return bound


def listed(path: Path) -> list[str]:
    """The names of the merge fields in template ``path``, each once, in order."""
    import zipfile

    from officekit.render import TEMPLATED

    found: list[str] = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if not TEMPLATED.match(info.filename):
                continue
            data = zf.read(info)
            if not has_fields(data):
                continue
            for f in find_fields(etree.fromstring(data, _PARSER)):
                found += [n for n in f.merge_names() if n and n not in found]
    return found
