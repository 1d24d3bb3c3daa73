@echo off
rem officekit: double-click to build all documents into the output folder.
chcp 65001 >nul
setlocal
cd /d "%~dp0"
set "PYEXE="
where py >nul 2>nul && set "PYEXE=py -3"
if not defined PYEXE (
  where python >nul 2>nul && set "PYEXE=python"
)
if not defined PYEXE (
  echo 没有找到 Python。请从 https://www.python.org/downloads/ 安装 Python 3.10 或更新版本，安装时勾选 "Add python.exe to PATH"，然后再双击本文件。
  goto :failed
)
%PYEXE% -c "import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)"
if errorlevel 1 (
  echo Python 版本太旧，需要 3.10 或更新版本。
  goto :failed
)
if not exist ".venv\Scripts\python.exe" (
  echo 第一次运行：正在建立 Python 环境……
  %PYEXE% -m venv .venv
  if errorlevel 1 (
    echo 无法建立 Python 环境。
    goto :failed
  )
)
set "VPY=.venv\Scripts\python.exe"
set "PYTHONUTF8=1"
"%VPY%" -m pip show -q officekit >nul 2>nul
if errorlevel 1 (
  echo 正在安装 officekit（只需一次）……
  if exist "pyproject.toml" (
    "%VPY%" -m pip install --disable-pip-version-check -q -e .
  ) else (
    if not defined OFFICEKIT_SOURCE set "OFFICEKIT_SOURCE=officekit"
    "%VPY%" -m pip install --disable-pip-version-check -q "%OFFICEKIT_SOURCE%"
  )
  if errorlevel 1 (
    echo 安装 officekit 失败，请检查网络后重试。
    goto :failed
  )
)
"%VPY%" -m officekit build .
if errorlevel 1 (
  echo.
  echo 请按上面的提示修改后再双击一次。
  goto :failed
)
if exist "output" start "" explorer "output"
endlocal
exit /b 0

:failed
echo.
pause
endlocal
exit /b 1
