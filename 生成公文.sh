#!/usr/bin/env bash
# 生成公文：双击（或在终端运行 bash 生成公文.sh）即把本文件夹的工作簿和模板生成为公文，
# 结果在 output/ 文件夹。
# 在 officekit 源码文件夹中：第一次运行会在 .venv/ 建立独立的 Python 环境并安装 officekit。
# 在 officekit init 建立的任务文件夹中：使用建立它的那个 officekit（记在 .officekit-python）。
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

find_python() {
  for candidate in python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

venv_with() {  # venv_with SOURCE: .venv with officekit installed from SOURCE (once per SOURCE)
  local source="$1" py want stamp="$VENV/.officekit-installed"
  py="$(find_python)" ||
    fail "没有找到 Python 3.10 或更新的版本；请先安装 Python（python.org 或系统软件商店）后再运行。"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "第一次运行：正在建立 Python 环境（$VENV）……"
    "$py" -m venv "$VENV" || fail "无法建立 Python 环境；Debian/Ubuntu 请先执行 sudo apt-get install python3-venv。"
  fi
  want="$source"
  [ -f pyproject.toml ] && want="$(cksum < pyproject.toml)"
  if ! "$VENV/bin/python" -m pip show -q officekit >/dev/null 2>&1 || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "正在安装 officekit（只需一次）……"
    if [ "$source" = "-e ." ]; then
      set -- -e .
    else
      set -- "$source"                                      # a path may contain spaces
    fi
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q "$@" ||
      fail "安装 officekit 失败；请检查网络后重试。"
    echo "$want" > "$stamp"
  fi
  RUN=("$VENV/bin/python" -m officekit)
}

VENV=".venv"
RUN=()
if [ -f pyproject.toml ] && [ -d officekit ]; then
  venv_with "-e ."                                        # officekit 源码文件夹
elif [ -f .officekit-python ] && "$(cat .officekit-python)" -m officekit --version >/dev/null 2>&1; then
  RUN=("$(cat .officekit-python)" -m officekit)           # officekit init 建立的文件夹
elif command -v officekit >/dev/null 2>&1; then
  RUN=(officekit)
elif [ -n "${OFFICEKIT_SOURCE:-}" ]; then
  venv_with "$OFFICEKIT_SOURCE"                           # 源码文件夹或 .whl 安装包的路径
else
  fail "没有找到 officekit；请在装有 officekit 的电脑上用 officekit init 建立本文件夹，或把 OFFICEKIT_SOURCE 设为 officekit 源码文件夹或安装包（.whl）的路径后重试。"
fi

"${RUN[@]}" build .
code=$?
if [ "$code" -eq 8 ]; then                                  # 生成了，但格式检查有错误
  echo
  echo "公文已生成，但格式检查发现错误：请按上面“公文格式检查”的提示修改后再运行一次，改好之前不要印发。"
elif [ "$code" -ne 0 ]; then
  fail "请按上面的提示修改后再运行一次。" "$code"
fi

if [ -z "${CI:-}" ] && [ -z "${OFFICEKIT_NO_OPEN:-}" ] && [ -d output ]; then
  if command -v xdg-open >/dev/null 2>&1 && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    xdg-open output >/dev/null 2>&1 &
  elif command -v open >/dev/null 2>&1 && [ "$(uname)" = "Darwin" ]; then
    open output
  fi
fi
pause_if_interactive  # 窗口留着，看清上面的汇总和警告
exit "$code"
