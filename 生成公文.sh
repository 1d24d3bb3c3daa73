#!/usr/bin/env bash
# 生成公文：双击（或在终端运行 bash 生成公文.sh）即把本文件夹的工作簿和模板生成为公文，
# 结果在 output/ 文件夹。第一次运行会在 .venv/ 建立独立的 Python 环境并安装 officekit。
set -u
cd "$(dirname "$0")" || exit 1

pause_if_interactive() {
  if [ -t 0 ] && [ -z "${CI:-}" ]; then
    read -r -p "按回车键关闭窗口……" _
  fi
}
fail() {
  echo
  echo "生成失败：$1"
  pause_if_interactive
  exit "${2:-1}"
}

PY=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
    PY="$candidate"
    break
  fi
done
[ -n "$PY" ] || fail "没有找到 Python 3.10 或更新的版本；请先安装 Python（python.org 或系统软件商店）后再运行。"

VENV=".venv"
if [ ! -x "$VENV/bin/python" ]; then
  echo "第一次运行：正在建立 Python 环境（$VENV）……"
  "$PY" -m venv "$VENV" || fail "无法建立 Python 环境；Debian/Ubuntu 请先执行 sudo apt-get install python3-venv。"
fi
VPY="$VENV/bin/python"

# Installed, and for a source checkout installed from this pyproject.toml? (A plain
# "import officekit" would succeed from the source folder without any dependency.)
STAMP="$VENV/.officekit-installed"
WANT="installed"
[ -f pyproject.toml ] && WANT="$(cksum < pyproject.toml)"
if ! "$VPY" -m pip show -q officekit >/dev/null 2>&1 || [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  echo "正在安装 officekit（只需一次）……"
  if [ -f pyproject.toml ]; then
    SOURCE="-e ."                       # 在 officekit 源码文件夹中：安装本文件夹
  else
    SOURCE="${OFFICEKIT_SOURCE:-officekit}"   # 在 officekit init 建立的任务文件夹中
  fi
  # shellcheck disable=SC2086
  "$VPY" -m pip install --disable-pip-version-check -q $SOURCE ||
    fail "安装 officekit 失败；请检查网络，或设置 OFFICEKIT_SOURCE 为 officekit 源码文件夹后重试。"
  echo "$WANT" > "$STAMP"
fi

"$VPY" -m officekit build .
code=$?
if [ "$code" -ne 0 ]; then
  fail "请按上面的提示修改后再运行一次。" "$code"
fi

if [ -z "${CI:-}" ] && [ -z "${OFFICEKIT_NO_OPEN:-}" ] && [ -d output ]; then
  if command -v xdg-open >/dev/null 2>&1 && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    xdg-open output >/dev/null 2>&1 &
  elif command -v open >/dev/null 2>&1 && [ "$(uname)" = "Darwin" ]; then
    open output
  fi
fi
exit 0
