"""Effective formatting of a paragraph or run, as Word resolves it.

Word takes a run property from the first place that sets it, in this order: the run's
own ``w:rPr``, its character style (and that style's ``basedOn`` chain), the paragraph
style chain, the table style chain, then ``w:docDefaults``. A theme attribute
(``w:eastAsiaTheme``) in a layer wins over the plain name in the same layer, so a theme
font can silently replace 仿宋 — the checker reports that, so it is resolved here as
``Font(theme=…)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from officekit.gongwen.schema import W_NS

W = f"{{{W_NS}}}"


def val(element: etree._Element | None, attr: str = "val") -> str | None:
    """``w:attr`` of ``element``, None when the element or the attribute is absent."""
    return None if element is None else element.get(W + attr)


def on_off(element: etree._Element | None) -> bool | None:
    """An on/off property (``<w:b/>``, ``<w:b w:val="0"/>``); None when absent."""
    if element is None:
        return None
    return element.get(W + "val") not in ("0", "false", "off")


def text_of(p: etree._Element) -> str:
    """The visible text of a paragraph (tabs as spaces, field results included)."""
    parts: list[str] = []
    for el in p.iter(W + "t", W + "tab"):
        parts.append(el.text or "" if el.tag == W + "t" else " ")
    return "".join(parts)


@dataclass(frozen=True)
class Font:
    """The East Asian typeface of a run: a name, a theme reference, or nothing set."""

    name: str | None = None
    theme: str | None = None
    where: str = ""  # which layer set it ("run", "style GwTitle", "docDefaults")
    shadows: str | None = None  # a theme: the explicit name a lower layer gives, now hidden


@dataclass
class StyleSheet:
    """styles.xml: styles by id, ``basedOn`` chains and the document defaults."""

    root: etree._Element | None
    by_id: dict[str, etree._Element] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)  # style type → default id
    _chains: dict[tuple[str | None, str], list[etree._Element]] = field(default_factory=dict)
    _doc_defaults: dict[str, etree._Element | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for tag in ("pPr", "rPr"):
            self._doc_defaults[tag] = (
                None
                if self.root is None
                else self.root.find(f"{W}docDefaults/{W}{tag}Default/{W}{tag}")
            )
        if self.root is None:
            return
        for style in self.root.iter(W + "style"):
            sid = style.get(W + "styleId")
            if sid is None:
                continue
            self.by_id[sid] = style
            if style.get(W + "default") in ("1", "true", "on"):
                self.defaults.setdefault(style.get(W + "type") or "paragraph", sid)

    def chain(self, style_id: str | None, kind: str) -> list[etree._Element]:
        """The style and its ``basedOn`` ancestors, most derived first; the default style of
        ``kind`` when ``style_id`` is absent or unknown."""
        key = (style_id, kind)
        if key not in self._chains:
            self._chains[key] = self._chain(style_id, kind)
        return self._chains[key]

    def _chain(self, style_id: str | None, kind: str) -> list[etree._Element]:
        if style_id is None or style_id not in self.by_id:
            style_id = self.defaults.get(kind)
        result: list[etree._Element] = []
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            result.append(style)
            style_id = val(style.find(W + "basedOn"))
        return result

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or "")
        return (val(style.find(W + "name")) or "") if style is not None else ""

    def _default(self, tag: str) -> etree._Element | None:
        return self._doc_defaults[tag]

    # ---- layers, highest precedence first ------------------------------------------------

    def paragraph_layers(self, p: etree._Element) -> list[tuple[str, etree._Element]]:
        """(label, pPr) layers of a paragraph: its own, its style chain, the defaults."""
        layers: list[tuple[str, etree._Element]] = []
        ppr = p.find(W + "pPr")
        if ppr is not None:
            layers.append(("段落", ppr))
        for style in self.chain(paragraph_style_id(p), "paragraph"):
            layers.extend((_style_label(style), x) for x in style.findall(W + "pPr"))
        default = self._default("pPr")
        if default is not None:
            layers.append(("文档默认格式", default))
        return layers

    def run_layers(
        self, p: etree._Element, r: etree._Element | None
    ) -> list[tuple[str, etree._Element]]:
        """(label, rPr) layers of run ``r`` in paragraph ``p`` (``r`` None: the paragraph's
        own text properties without any run)."""
        layers: list[tuple[str, etree._Element]] = []
        rpr = r.find(W + "rPr") if r is not None else None
        if rpr is not None:
            layers.append(("文字", rpr))
        for style in self.chain(
            val(rpr.find(W + "rStyle")) if rpr is not None else None, "character"
        ):
            layers.extend((_style_label(style), x) for x in style.findall(W + "rPr"))
        for style in self.chain(paragraph_style_id(p), "paragraph"):
            layers.extend((_style_label(style), x) for x in style.findall(W + "rPr"))
        table_style = _table_style_id(p)
        if table_style is not None:
            for style in self.chain(table_style, "table"):
                layers.extend((_style_label(style), x) for x in style.findall(W + "rPr"))
        default = self._default("rPr")
        if default is not None:
            layers.append(("文档默认格式", default))
        return layers


def _style_label(style: etree._Element) -> str:
    name = val(style.find(W + "name")) or style.get(W + "styleId") or ""
    return f"样式“{name}”"


def paragraph_style_id(p: etree._Element) -> str | None:
    return val(p.find(f"{W}pPr/{W}pStyle"))


def _table_style_id(p: etree._Element) -> str | None:
    tbl = next(p.iterancestors(W + "tbl"), None)
    if tbl is None:
        return None
    # A table without a style takes the default table style (which may set fonts).
    return val(tbl.find(f"{W}tblPr/{W}tblStyle")) or "\0default"


def first(layers: list[tuple[str, etree._Element]], tag: str, attr: str = "val") -> str | None:
    """``attr`` of child ``tag`` in the first layer that sets it."""
    for _, layer in layers:
        value = val(layer.find(W + tag), attr)
        if value is not None:
            return value
    return None


def first_on(layers: list[tuple[str, etree._Element]], tag: str) -> bool:
    for _, layer in layers:
        state = on_off(layer.find(W + tag))
        if state is not None:
            return state
    return False


def resolved_font(layers: list[tuple[str, etree._Element]], script: str = "eastAsia") -> Font:
    """The font ``script`` text is drawn with (``eastAsia`` for Chinese, ``ascii`` for
    digits and Latin); a theme attribute beats a name in its layer."""
    for index, (label, rpr) in enumerate(layers):
        fonts = rpr.find(W + "rFonts")
        if fonts is None:
            continue
        theme = fonts.get(W + script + "Theme")
        if theme:
            below = resolved_font(layers[index + 1 :], script) if index + 1 < len(layers) else None
            hidden = fonts.get(W + script) or (below.name if below is not None else None)
            return Font(theme=theme, where=label, shadows=hidden)
        name = fonts.get(W + script)
        if name:
            return Font(name=name, where=label)
    return Font()


def east_asian_font(layers: list[tuple[str, etree._Element]]) -> Font:
    """The font Chinese text is drawn with."""
    return resolved_font(layers, "eastAsia")


def size_pt(layers: list[tuple[str, etree._Element]]) -> float | None:
    """East Asian text size in points (``w:szCs`` is for complex scripts, not Chinese)."""
    size = first(layers, "sz")
    return int(size) / 2 if size is not None else None


def scale_percent(layers: list[tuple[str, etree._Element]]) -> int:
    return int(first(layers, "w") or 100)


def spacing_twips(layers: list[tuple[str, etree._Element]]) -> int:
    return int(first(layers, "spacing") or 0)
