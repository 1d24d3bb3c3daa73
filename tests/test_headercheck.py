"""officekit.gongwen.headercheck (and pagefill): the red header and imprint, on the .docx
and on pages LibreOffice really drew.

Notices of several lengths get the masthead as a build gives it; each must come out with
the imprint on an even last page, at its foot, and pass both checks. Planted defects must
each be reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from masthead_helpers import notice, with_masthead

from officekit import export
from officekit.gongwen import headercheck, pagefill
from officekit.gongwen.check import check_docx
from officekit.gongwen.pdfcheck import read_pages

LENGTHS = (1, 3, 6, 9, 12, 16)  # body paragraphs: the body ends on pages 1 to 3


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, soffice: Path) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("masthead")
    docs: dict[str, Path] = {}
    for n in LENGTHS:
        docs[f"good{n}"] = with_masthead(notice(n), folder / f"good{n}.docx")
        docs[f"plain{n}"] = with_masthead(notice(n), folder / f"plain{n}.docx", None, None)
    docs["black"] = with_masthead(
        notice(2), folder / "black.docx", edit=lambda x: x.replace('"FF0000"', '"000000"')
    )
    docs["low"] = with_masthead(
        notice(2),
        folder / "low.docx",
        edit=lambda x: x.replace('w:before="2018"', 'w:before="2600"'),
    )
    docs["odd"] = with_masthead(  # the imprint's page break taken out: it stays on page 1
        notice(1), folder / "odd.docx", edit=lambda x: x.replace('<w:br w:type="page"/>', "")
    )
    pairs = [(path, path.with_suffix(".pdf")) for path in docs.values()]
    export.convert_pairs(pairs, export.Target.pdf())
    return docs


@pytest.mark.parametrize("n", LENGTHS)
def test_estimate_matches_the_pages_drawn(rendered: dict[str, Path], n: int) -> None:
    from lxml import etree

    from officekit.gongwen.styles import W

    path = rendered[f"plain{n}"]
    import zipfile

    with zipfile.ZipFile(path) as zf:
        body = etree.fromstring(zf.read("word/document.xml")).find(W + "body")
    assert pagefill.fill(body).pages == len(read_pages(path.with_suffix(".pdf")))


@pytest.mark.parametrize("n", LENGTHS)
def test_notice_passes_on_the_docx_and_on_the_page(rendered: dict[str, Path], n: int) -> None:
    path = rendered[f"good{n}"]
    report = check_docx(path)
    assert report.findings == []
    pdf = path.with_suffix(".pdf")
    pages = read_pages(pdf)
    assert len(pages) % 2 == 0
    assert headercheck.measure(pdf, path, pdf.name) == []
    last = "".join(w.text for w in pages[-1].words)
    assert last.rstrip("—0123456789 ").endswith("2026年3月2日印发")


def _rules(findings) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(f.rule, f.message) for f in findings]


def test_black_mark_is_reported(rendered: dict[str, Path]) -> None:
    path = rendered["black"]
    docx = _rules(check_docx(path).findings)
    assert ("版头", "发文机关标志应为红色（FF0000），现在是 000000") in docx
    assert any("分隔线应为红色" in m for _, m in docx)
    page = _rules(headercheck.measure(path.with_suffix(".pdf"), path, "black.pdf"))
    assert page == [("实测版头", "第 1 页没有与版心等宽的红色分隔线")]


def test_mark_set_too_low_is_reported(rendered: dict[str, Path]) -> None:
    path = rendered["low"]
    assert any("距版心上边缘约 45 mm" in m for _, m in _rules(check_docx(path).findings))
    page = _rules(headercheck.measure(path.with_suffix(".pdf"), path, "low.pdf"))
    assert len(page) == 1 and "应为 35 mm" in page[0][1]


def test_imprint_on_an_odd_page_is_reported(rendered: dict[str, Path]) -> None:
    path = rendered["odd"]
    page = _rules(headercheck.measure(path.with_suffix(".pdf"), path, "odd.pdf"))
    assert page == [("实测版记", "版记在第 1 页（单页）；应在最后一页且为双页，请在版记前加一页")]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda x: x.replace("〔2026〕3号", "[2026]第03号"),
            "发文字号“青禁毒委[2026]第03号”应年份用六角括号",
        ),
        (lambda x: x.replace("〔2026〕3号", "2026年3号"), "发文字号“青禁毒委2026年3号”应写作"),
        (lambda x: x.replace("2026年3月2日印发", "2026.3.2印发"), "印发日期应写全年月日"),
        (lambda x: x.replace("抄送：", "抄送"), "抄送应写作“抄送：……。”"),
        (
            lambda x: x.replace(
                '<w:pBdr><w:bottom w:val="single"', '<w:pBdr><w:bottom w:val="nil"'
            ),
            "发文字号之下 4 mm 处应有一条红色分隔线",
        ),
    ],
)
def test_docx_defects(tmp_path: Path, edit, message: str) -> None:  # noqa: ANN001
    path = with_masthead(notice(2), tmp_path / "bad.docx", edit=edit)
    messages = [f.message for f in check_docx(path).findings]
    assert any(m.startswith(message) for m in messages), messages
