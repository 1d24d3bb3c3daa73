"""Names of WordprocessingML that code without an XML tree needs too (combining letters
as bytes): kept apart from :mod:`officekit.gongwen.oxml`, which brings lxml."""

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Children of w:sectPr in schema order (ECMA-376 CT_SectPr).
SECT_ORDER = [
    "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type",
    "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols",
    "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
    "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
]  # fmt: skip
