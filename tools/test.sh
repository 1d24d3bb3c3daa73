#!/usr/bin/env bash
# Run the whole test suite on a fresh machine (Debian/Ubuntu): installs what the tests
# need when it is missing — LibreOffice (Writer and Calc), poppler, fontconfig and the free CJK
# stand-in fonts from Debian's packages — creates .venv, installs officekit with its test
# dependencies, lints, and runs pytest. Arguments are passed to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
PY="${PYTHON:-python3}"
# A bare Debian has no python3, or one without venv/ensurepip (package python3-venv).
command -v "$PY" >/dev/null 2>&1 || missing+=(python3)
"$PY" -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
# Calc re-saves workbooks in tests ("a file saved by another office suite").
[ -e /usr/lib/libreoffice/program/libsclo.so ] || missing+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
has_font() { command -v fc-list >/dev/null 2>&1 && fc-list : family | grep -F "$1" >/dev/null; }
has_font "Noto Sans CJK SC" || missing+=(fonts-noto-cjk)
has_font "Noto Serif CJK SC Black" || missing+=(fonts-noto-cjk-extra)
has_font "AR PL UKai CN" || missing+=(fonts-arphic-ukai)
has_font "LXGW WenKai" || missing+=(fonts-lxgw-wenkai)
[ -e /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf ] ||
  missing+=(texlive-lang-chinese)

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "tools/test.sh: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "tools/test.sh: please install ${missing[*]} (no apt-get here); tests needing them will fail in CI or be skipped locally" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --disable-pip-version-check -q -e ".[dev]"
.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
exec .venv/bin/python -m pytest "$@"
