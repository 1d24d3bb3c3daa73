"""A compiled template whose documents get the red header and imprint of the job file.

:func:`wrap` gives a template whose ``render`` writes the paragraphs of
:mod:`officekit.gongwen.redheader` into every rendered document (and whose styles.xml
defines their styles); the rest of the build does not know the difference.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import jinja2
from jinja2 import meta

from officekit.errors import TemplateError
from officekit.gongwen import redheader, spec
from officekit.masthead import IMPRINT_KEYS, REQUIRED
from officekit.render import (
    DOCUMENT_XML,
    CompiledTemplate,
    _missing_name,
    _suggest,
    make_name_environment,
    syntax_problem,
)

STYLES_XML = "word/styles.xml"


class Masthead:
    """The compiled patterns of one document's red header and imprint."""

    def __init__(
        self,
        header: tuple[tuple[str, str], ...] | None,
        imprint: tuple[tuple[str, str], ...] | None,
        env: jinja2.Environment,
        profile: str = spec.DEFAULT_FONT_PROFILE,
    ) -> None:
        names_env = make_name_environment()
        names_env.filters.update(env.filters)
        self.profile = profile
        self.names: set[str] = set()
        self.header = self._compile(header or (), "red_header", names_env)
        self.imprint = self._compile(imprint or (), "imprint", names_env)
        self.has_header = header is not None
        self.has_imprint = imprint is not None

    def _compile(
        self, pairs: tuple[tuple[str, str], ...], table: str, env: jinja2.Environment
    ) -> dict[str, tuple[str, jinja2.Template]]:
        compiled = {}
        for key, pattern in pairs:
            try:
                self.names |= meta.find_undeclared_variables(env.parse(pattern))
                compiled[key] = (pattern, env.from_string(pattern))
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(
                    f"officekit.toml 中 [documents.{table}] 的 {key} = “{pattern}”有误："
                    f"{syntax_problem(exc)}。"
                ) from exc
        return compiled

    def _values(self, compiled: dict, table: str, variables: dict[str, Any]) -> dict[str, str]:
        values = {}
        for key, (pattern, template) in compiled.items():
            try:
                values[key] = str(template.render(variables)).strip()
            except jinja2.UndefinedError as exc:
                raise TemplateError(
                    f"officekit.toml 中 [documents.{table}] 的 {key} = “{pattern}”用到了不存在的"
                    f"“{_missing_name(exc)}”{_suggest(exc, variables)}；请改正，或在工作簿中补上它。"
                ) from exc
        return values

    def header_for(self, variables: dict[str, Any]) -> redheader.Header | None:
        if not self.has_header:
            return None
        values = self._values(self.header, "red_header", variables)
        if not values.get("organ"):
            raise TemplateError(
                "officekit.toml 中 [documents.red_header] 的 organ（发文机关标志）生成的文字是空的；"
                "请在工作簿中填写发文机关。"
            )
        return redheader.Header(**values)

    def imprint_for(self, variables: dict[str, Any]) -> redheader.Imprint | None:
        if not self.has_imprint:
            return None
        values = self._values(self.imprint, "imprint", variables)
        for key in REQUIRED["imprint"]:
            if not values.get(key):
                raise TemplateError(
                    f"officekit.toml 中 [documents.imprint] 的 {key}（{IMPRINT_KEYS[key]}）"
                    "生成的文字是空的；请在工作簿中填写它。"
                )
        return redheader.Imprint(**values)

    def apply(self, document_xml: bytes, variables: dict[str, Any]) -> bytes:
        """``document_xml`` with the red header first in its body and the imprint last."""
        text = document_xml.decode("utf-8")
        header = self.header_for(variables)
        if header is not None:
            start = text.index(">", text.index("<w:body")) + 1
            text = text[:start] + redheader.header_xml(header, self.profile) + text[start:]
        imprint = self.imprint_for(variables)
        if imprint is not None:
            end = text.rindex("<w:sectPr")
            breaks = _breaks(text, imprint)
            text = text[:end] + redheader.imprint_xml(imprint, self.profile, breaks) + text[end:]
        return text.encode("utf-8")


def _breaks(text: str, imprint: redheader.Imprint) -> int:
    # Imported here: only documents with an imprint need lxml in the rendering process.
    from lxml import etree

    from officekit.gongwen import pagefill
    from officekit.gongwen.styles import W

    root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False))
    body = root.find(W + "body")
    height = redheader.imprint_lines(imprint) * pagefill.stylesheet.PITCH
    return pagefill.breaks_before_imprint(pagefill.fill(body), height)


@dataclasses.dataclass
class MastheadTemplate(CompiledTemplate):
    """A compiled template whose documents get the job's red header and imprint."""

    masthead: Masthead | None = None

    def render(self, variables: dict[str, Any]) -> dict[str, bytes]:
        parts = super().render(variables)
        if self.masthead is not None:
            parts[DOCUMENT_XML] = self.masthead.apply(parts[DOCUMENT_XML], variables)
        return parts

    def variables(self) -> set[str]:
        found = super().variables()
        return found | self.masthead.names if self.masthead is not None else found


def wrap(
    template: CompiledTemplate,
    header: tuple[tuple[str, str], ...] | None,
    imprint: tuple[tuple[str, str], ...] | None,
    env: jinja2.Environment,
    profile: str = spec.DEFAULT_FONT_PROFILE,
) -> CompiledTemplate:
    """``template`` itself when the document asks for neither, else one that adds them."""
    if header is None and imprint is None:
        return template
    fields = {f.name: getattr(template, f.name) for f in dataclasses.fields(CompiledTemplate)}
    fields["packed"] = dict(template.packed)  # the template's own stays as it was
    wrapped = MastheadTemplate(**fields, masthead=Masthead(header, imprint, env, profile))
    styles = _styles_bytes(wrapped)
    if styles is not None:
        from officekit import package

        wrapped.packed[STYLES_XML] = package.member(STYLES_XML, redheader.with_styles(styles))
    return wrapped


def _styles_bytes(template: CompiledTemplate) -> bytes | None:
    from officekit import package

    if STYLES_XML in template.packed:
        return package.unpacked(template.packed[STYLES_XML])
    for info, data in template.entries:
        if info.filename == STYLES_XML and data is not None:
            return data
    return None
