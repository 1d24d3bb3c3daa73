"""The 公文 typefaces on this machine: which are installed, which free fonts stand in.

Offices write 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体, 方正小标宋简体 (or the plain 仿宋/楷体
of newer Windows) into their files. Those are licensed fonts that Linux does not ship, so
for PDFs a fonts.conf maps every one of those names, from both profiles, to the best free
stand-in. fontconfig's ``accept`` binding keeps a really installed font first, and a name
that is installed gets no alias at all.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
from dataclasses import dataclass, field
from html import escape as _escape
from pathlib import Path

from officekit.gongwen import spec


def escape(text: str) -> str:
    # &, < and > as xml.sax.saxutils.escape does (which imports urllib.request: 15 ms).
    return _escape(text, quote=False)


# Typeface kind → free stand-ins, best first (Debian package in the comment).
STAND_INS: dict[str, list[str]] = {
    "仿宋": ["FandolFang"],  # texlive-lang-chinese
    "楷体": ["AR PL UKai CN", "LXGW WenKai"],  # fonts-arphic-ukai, fonts-lxgw-wenkai
    "黑体": ["Noto Sans CJK SC"],  # fonts-noto-cjk
    "宋体": ["Noto Serif CJK SC"],  # fonts-noto-cjk
    "小标宋": ["Noto Serif CJK SC Black", "Noto Serif CJK SC"],  # fonts-noto-cjk-extra
}
# FandolFang ships inside TeX Live without a fontconfig entry of its own.
FONT_DIRS = [Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")]
# Debian packages that provide the stand-ins (for the hint when none is found).
PACKAGES = "fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-ukai texlive-lang-chinese"


@dataclass(frozen=True)
class FontStatus:
    """One name as written into documents: its kind, whether it is installed, its stand-in."""

    name: str
    face: str  # 仿宋, 楷体, 黑体, 宋体, 小标宋
    profiles: tuple[str, ...]
    installed: bool
    stand_in: str | None  # None: installed, or nothing free available


def _fc_families() -> set[str]:
    try:
        out = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    families: set[str] = set()
    for line in out.splitlines():
        families.update(part.strip() for part in line.split(","))
    return families


def installed_families() -> set[str] | None:
    """Font families fontconfig knows, plus the fonts in FONT_DIRS; None where fontconfig is
    not used (Windows: LibreOffice takes the system's fonts directly)."""
    if platform.system() == "Windows" or shutil.which("fc-list") is None:
        return None
    installed = _fc_families()
    for folder in FONT_DIRS:
        if folder.exists():
            installed |= {p.stem.split("-")[0] for p in folder.glob("*.otf")}
    return installed


def font_names() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every name a 公文 may use → (typeface kind, profiles that write it)."""
    names: dict[str, tuple[str, tuple[str, ...]]] = {}
    for profile, faces in spec.FONT_PROFILES.items():
        for face, name in faces.items():
            kind, profiles = names.get(name, (face, ()))
            names[name] = (kind, (*profiles, profile))
    return names


def status(installed: set[str] | None = None) -> list[FontStatus]:
    """What happens to each 公文 font name on this machine."""
    if installed is None:
        installed = installed_families() or set()
    rows = []
    for name, (face, profiles) in font_names().items():
        present = name in installed
        stand_in = None
        if not present:
            stand_in = next((s for s in STAND_INS[face] if s in installed), None)
        rows.append(FontStatus(name, face, profiles, present, stand_in))
    return rows


@dataclass
class FontSetup:
    """A fonts.conf for LibreOffice and the names it stands in for (for the job's profile)."""

    config: Path | None
    substituted: dict[str, str] = field(default_factory=dict)  # name in file → stand-in

    def note(self) -> str:
        if not self.substituted:
            return ""
        pairs = "、".join(f"{a}→{b}" for a, b in self.substituted.items())
        return f"预览用替代字体：{pairs}（正式印刷请在装有这些字体的电脑上转换）"


def font_setup(workdir: Path, profile: str) -> FontSetup:
    """Write ``workdir/fonts.conf``: the system configuration plus an alias for every 公文
    name of both profiles that is not installed. ``substituted`` lists the names of
    ``profile`` (the ones the job's documents use)."""
    installed = installed_families()
    if installed is None:
        return FontSetup(None)
    aliases = []
    substituted: dict[str, str] = {}
    used = set(spec.FONT_PROFILES[profile].values())
    for row in status(installed):
        if row.stand_in is None:
            continue
        if row.name in used:
            substituted[row.name] = row.stand_in
        aliases.append(
            f'  <alias binding="strong"><family>{escape(row.name)}</family>'
            f"<accept><family>{escape(row.stand_in)}</family></accept></alias>"
        )
    dirs = "".join(f"  <dir>{escape(str(d))}</dir>\n" for d in FONT_DIRS if d.exists())
    include = '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
    config = workdir / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        + include
        + dirs
        + "\n".join(aliases)
        + f"\n  <cachedir>{escape(str(workdir / 'fc-cache'))}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return FontSetup(config, substituted)
