"""What a PDF really carries: the fonts embedded in it, read with poppler's pdffonts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

# Each free stand-in (a fontconfig family, as officekit's summary names it) → the PostScript
# name LibreOffice embeds, without subset prefix, region (the Noto .ttc files hold every
# region's face: LibreOffice may embed the JP one) or "-Regular"/"-VKana".
POSTSCRIPT_OF_STAND_IN = {
    "FandolFang": "fandolfang",
    "AR PL UKai CN": "ukaicn",
    "LXGW WenKai": "lxgwwenkai",
    "Noto Sans CJK SC": "notosanscjk",
    "Noto Serif CJK SC": "notoserifcjk",
    "Noto Serif CJK SC Black": "notoserifcjk-black",
}


def embedded_fonts(pdf: Path) -> set[str]:
    """The fonts embedded in ``pdf``, as keys comparable with POSTSCRIPT_OF_STAND_IN."""
    tool = shutil.which("pdffonts")
    assert tool is not None, "pdffonts (poppler-utils) is needed; tools/test.sh installs it"
    out = subprocess.run([tool, str(pdf)], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert lines[1].startswith("-----"), out
    names = set()
    for line in lines[2:]:
        name = line.split()[0]
        assert line.split()[-5] == "yes", f"{name} is not embedded in {pdf.name}"
        names.add(_key(name))
    return names


def _key(postscript: str) -> str:
    name = postscript.split("+", 1)[-1]
    name = re.sub(r"CJK(sc|jp|tc|kr|hk)", "CJK", name)
    name = re.sub(r"-(Regular|VKana)\b", "", name)
    return name.lower()


def stand_ins_named(note: str) -> dict[str, str]:
    """``仿宋_GB2312→FandolFang、…`` (the summary's and the PDF Keywords' wording) as a dict."""
    body = note.split("：", 1)[1].split("（", 1)[0]
    return dict(pair.split("→") for pair in body.split("、"))
