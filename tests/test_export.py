"""PDF export with a real LibreOffice; font stand-ins; discovery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx_helpers import make_template
from pdf_helpers import POSTSCRIPT_OF_STAND_IN, embedded_fonts, stand_ins_named
from pypdf import PdfReader

from officekit import export, fonts
from officekit.errors import ExportError


def test_converts_many_files_in_one_call_and_records_stand_ins(
    tmp_path: Path, soffice: Path
) -> None:
    files = [make_template(tmp_path / f"文档{i}.docx", [f"第{i}份文档的正文"]) for i in range(3)]
    pdfs, fonts = export.to_pdf(files, tmp_path / "pdf", soffice=soffice)
    assert [p.name for p in pdfs] == ["文档0.pdf", "文档1.pdf", "文档2.pdf"]
    for i, pdf in enumerate(pdfs):
        reader = PdfReader(pdf)
        assert len(reader.pages) == 1
        # LibreOffice puts a thin space between Chinese and digits; the text extractor shows it.
        assert f"第{i}份文档的正文" in reader.pages[0].extract_text().replace(" ", "")
        assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4 in points
    # A Linux test machine has none of the licensed fonts: every name is stood in for.
    assert fonts.substituted["仿宋_GB2312"] == "FandolFang"
    assert PdfReader(pdfs[0]).metadata["/Keywords"] == fonts.note()


@pytest.mark.parametrize("profile", ["GB2312", "Windows"])
def test_pdf_embeds_the_stand_ins_the_summary_names(
    tmp_path: Path, soffice: Path, profile: str
) -> None:
    """Every typeface of a 公文 (小标宋 title, 黑体/楷体/仿宋 headings and text, 宋体 page
    numbers) reaches the PDF as the stand-in the summary and the PDF's Keywords name — not
    as whatever fontconfig would pick without officekit's fonts.conf."""
    from officekit.gongwen import layout

    doc = layout.new_document(profile)
    for role, text in [
        ("title", "关于禁毒工作的讲话"),
        ("greeting", "同志们："),
        ("h1", "一、认清形势"),
        ("h2", "（一）严打整治"),
        ("body", "全年共破获毒品刑事案件91起，同比增长13.8%。"),
    ]:
        layout.add_paragraph(doc, role, text)
    doc.save(str(tmp_path / "五种字体.docx"))
    (pdf,), fonts = export.to_pdf(
        [tmp_path / "五种字体.docx"], tmp_path / "pdf", soffice=soffice, profile=profile
    )
    keywords = PdfReader(pdf).metadata["/Keywords"]
    assert keywords == fonts.note()
    claimed = stand_ins_named(keywords)
    assert claimed == fonts.substituted
    assert len(claimed) == 5  # 仿宋, 楷体, 黑体, 宋体, 小标宋 of this profile
    assert embedded_fonts(pdf) == {POSTSCRIPT_OF_STAND_IN[s] for s in claimed.values()}


def test_font_setup_writes_aliases_for_missing_names(tmp_path: Path, soffice: Path) -> None:
    setup = fonts.font_setup(tmp_path, "Windows")
    assert setup.config is not None
    text = setup.config.read_text(encoding="utf-8")
    for name, stand_in in setup.substituted.items():
        assert f"<family>{name}</family><accept><family>{stand_in}</family>" in text
    assert "仿宋" in setup.substituted  # no licensed 仿宋 on a Linux test machine
    assert "仿宋→" in setup.note()


def test_missing_libreoffice_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "find_soffice", lambda: None)
    with pytest.raises(ExportError) as info:
        export.to_pdf([tmp_path / "a.docx"], tmp_path)
    assert "LibreOffice" in info.value.message and "docx" in info.value.message


def test_find_soffice_honours_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("")
    monkeypatch.setenv("OFFICEKIT_SOFFICE", str(fake))
    assert export.find_soffice() == fake


def test_missing_input_is_named(tmp_path: Path, soffice: Path) -> None:
    with pytest.raises(ExportError) as info:
        export.to_pdf([tmp_path / "坏文件.docx"], tmp_path / "pdf", soffice=soffice)
    assert "坏文件.docx" in info.value.message and "找不到" in info.value.message


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    """A stand-in for soffice: a Python script receiving LibreOffice's arguments."""
    script = tmp_path / "fake-soffice"
    script.write_text(f"#!{sys.executable}\nimport sys, pathlib\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_crashed_batch_is_retried_once_then_reported_by_name(tmp_path: Path) -> None:
    calls = tmp_path / "calls.txt"
    # Never writes anything: every batch "crashes".
    fake = _fake_soffice(
        tmp_path, f"open({str(calls)!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')"
    )
    files = [make_template(tmp_path / f"信{i}.docx", ["正文"]) for i in range(4)]
    with pytest.raises(ExportError) as info:
        export.to_pdf(files, tmp_path / "pdf", soffice=fake, workers=2)
    assert "两次" in info.value.message
    assert all(f.name in info.value.message for f in files)
    lines = calls.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4  # 2 workers × (first try + one retry)
    # The retry runs in a fresh profile folder.
    profiles = {part for line in lines for part in line.split() if "UserInstallation" in part}
    assert len(profiles) == 4


def test_retry_converts_what_the_crash_left(tmp_path: Path) -> None:
    marker = tmp_path / "crashed-once"
    # First call: "crash" without output. Later calls: write an output per input.
    fake = _fake_soffice(
        tmp_path,
        f"""marker = pathlib.Path({str(marker)!r})
if not marker.exists():
    marker.write_text('x')
    sys.exit(1)
args = sys.argv[1:]
out = pathlib.Path(args[args.index('--outdir') + 1])
for name in args[args.index('--outdir') + 2:]:
    (out / (pathlib.Path(name).stem + '.png')).write_bytes(b'PNG fake')""",
    )
    files = [make_template(tmp_path / f"信{i}.docx", ["正文"]) for i in range(3)]
    pdfs, _ = export.convert(
        files, tmp_path / "pdf", export.Target("png", ".png"), soffice=fake, workers=1
    )
    assert [p.name for p in pdfs] == ["信0.png", "信1.png", "信2.png"]
    assert all(p.read_bytes() == b"PNG fake" for p in pdfs)


def _alive(marker: str) -> list[str]:
    """Processes (not yet reaped zombies excluded) whose command line holds ``marker``."""
    out = subprocess.run(
        ["ps", "-eww", "-o", "stat=,args="], capture_output=True, text=True, check=True
    ).stdout
    return [
        line
        for line in out.splitlines()
        if marker in line and not line.lstrip().startswith("Z") and "ps -eww" not in line
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")
def test_hung_libreoffice_ends_in_the_timeout_message_with_nothing_left_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A LibreOffice that never finishes (a stand-in that starts its own child, as soffice
    starts soffice.bin, and sleeps) is killed with its child when the batch's time is up,
    retried once, and reported as a timeout through the CLI with exit code 6."""
    from typer.testing import CliRunner

    from officekit.cli import app

    marker = f"hung-{tmp_path.name}"
    fake = _fake_soffice(
        tmp_path,
        f"""import subprocess, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(20)", {marker!r}])
time.sleep(20)""",
    )
    monkeypatch.setattr(export, "STARTUP_SECONDS", 1)
    monkeypatch.setattr(export, "SECONDS_PER_FILE", 1)
    monkeypatch.setenv("OFFICEKIT_SOFFICE", str(fake))
    letter = make_template(tmp_path / "卡住的信.docx", ["正文"])
    result = CliRunner().invoke(app, ["pdf", str(letter)])
    assert result.exit_code == 6, result.output
    message = " ".join(result.output.split())
    assert "卡住的信.docx" in message and "两次都超时" in message
    assert "限 1 秒加每个文件 1 秒" in message
    assert "Traceback" not in result.output
    assert _alive(marker) == [] and _alive(str(fake)) == []
    assert not letter.with_suffix(".pdf").exists()


def test_build_without_libreoffice_still_makes_docx(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officekit.build import build
    from officekit.job import load_job

    monkeypatch.setattr(export, "find_soffice", lambda: None)
    result = build(load_job(job_dir))
    assert result.ok
    assert "LibreOffice" in result.pdf_note
    assert (job_dir / "output" / "讲话稿.docx").exists()
    assert not (job_dir / "output" / "讲话稿.pdf").exists()


def _our_libreoffices(marker: str) -> list[str]:
    """Command lines of LibreOffice processes started by the build under test: their
    profile and staging folders are inside its private TMPDIR, ``marker`` (other builds on
    a shared machine have their own)."""
    out = subprocess.run(
        ["ps", "-eww", "-o", "args"], capture_output=True, text=True, check=True
    ).stdout
    return [
        line
        for line in out.splitlines()
        if "officekit-lo-" in line and marker in line and "ps -eww" not in line
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_during_conversion_leaves_no_libreoffice_and_no_staging(
    job_dir: Path, soffice: Path, tmp_path: Path
) -> None:
    private = tmp_path / "tmp"
    private.mkdir()
    marker = str(private)
    assert _our_libreoffices(marker) == []
    build = subprocess.Popen(
        # 20 copies of every letter: a conversion long enough that the signal lands in it.
        [sys.executable, "-m", "officekit", "build", str(job_dir), "--pdf", "--copies", "20"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": marker},
    )
    deadline = time.monotonic() + 120
    while not _our_libreoffices(marker):
        assert build.poll() is None, "build ended before LibreOffice started"
        assert time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(1)  # well inside the conversion
    assert build.poll() is None, "build ended before the signal"
    build.send_signal(signal.SIGINT)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 130
    assert "已中断" in err.decode("utf-8") and "Traceback" not in err.decode("utf-8")
    time.sleep(0.5)
    assert _our_libreoffices(marker) == []
    assert not list(private.iterdir())  # the staging and profile folders are gone too
    assert not list((job_dir / "output").glob(".officekit-*"))
    assert not (job_dir / "output" / "讲话稿.docx").exists()  # nothing half-published


def test_pad_to_even_adds_one_blank_page(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    pdf = tmp_path / "三页.pdf"
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595.3, height=841.9)
    writer.write(pdf)
    assert export.pad_to_even(pdf) is True
    reader = PdfReader(pdf)
    assert len(reader.pages) == 4
    assert float(reader.pages[3].mediabox.height) == pytest.approx(841.9)
    assert export.pad_to_even(pdf) is False and len(PdfReader(pdf).pages) == 4


def test_collect_documents(tmp_path: Path) -> None:
    a = make_template(tmp_path / "a" / "1.docx", ["x"])
    b = make_template(tmp_path / "a" / "sub" / "2.docx", ["x"])
    (tmp_path / "a" / "~$1.docx").write_bytes(b"lock")
    staging = tmp_path / "a" / ".officekit-123"
    make_template(staging / "3.docx", ["x"])
    assert export.collect_documents([tmp_path / "a", a]) == [a, b]
    with pytest.raises(ExportError) as info:
        export.collect_documents([tmp_path / "无"])
    assert "找不到" in info.value.message
