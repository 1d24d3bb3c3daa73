@echo off
rem officekit: double-click to build all documents of this folder into "output".
rem In the officekit source folder: creates .venv on first run and installs officekit.
rem In a folder made by "officekit init": uses that officekit (path kept in .officekit-python).
chcp 65001 >nul
setlocal
cd /d "%~dp0"
set "PYTHONUTF8=1"
set "RUNPY="

if exist "pyproject.toml" if exist "officekit\" goto :source
if exist ".officekit-python" (
  set /p RUNPY=<".officekit-python"
)
if defined RUNPY (
  "%RUNPY%" -m officekit --version >nul 2>nul
  if not errorlevel 1 goto :build
  set "RUNPY="
)
where officekit >nul 2>nul
if not errorlevel 1 (
  officekit build .
  goto :after
)
if defined OFFICEKIT_SOURCE goto :source
echo 没有找到 officekit。请在装有 officekit 的电脑上用 officekit init 建立本文件夹，或把 OFFICEKIT_SOURCE 设为 officekit 源码文件夹或安装包（.whl）的路径后重试。
goto :failed

:source
set "PYEXE="
where py >nul 2>nul && set "PYEXE=py -3"
if not defined PYEXE (
  where python >nul 2>nul && set "PYEXE=python"
)
if not defined PYEXE (
  echo 没有找到 Python。请从 https://www.python.org/downloads/ 安装 Python 3.10 或更新版本，安装时勾选 "Add python.exe to PATH"，然后再双击本文件。
  goto :failed
)
%PYEXE% -c "import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)" >nul 2>nul
if errorlevel 1 (
  echo 没有找到可用的 Python 3.10 或更新版本。请从 https://www.python.org/downloads/ 安装（不要用应用商店里的占位程序），然后再双击本文件。
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
set "RUNPY=%CD%\.venv\Scripts\python.exe"
"%RUNPY%" -m pip show -q officekit >nul 2>nul
if errorlevel 1 (
  echo 正在安装 officekit（只需一次）……
  if exist "pyproject.toml" (
    "%RUNPY%" -m pip install --disable-pip-version-check -q -e .
  ) else (
    "%RUNPY%" -m pip install --disable-pip-version-check -q "%OFFICEKIT_SOURCE%"
  )
  if errorlevel 1 (
    echo 安装 officekit 失败，请检查网络后重试。
    goto :failed
  )
)

:build
"%RUNPY%" -m officekit build .

:after
if %errorlevel% equ 8 goto :format_errors
if errorlevel 1 (
  echo.
  echo 请按上面的提示修改后再双击一次。
  goto :failed
)
if exist "output" start "" explorer "output"
echo.
echo 已完成。请查看上面的汇总和警告。
pause
endlocal
exit /b 0

:format_errors
if exist "output" start "" explorer "output"
echo.
echo 公文已生成，但格式检查发现错误：请按上面“公文格式检查”的提示修改后再双击一次，改好之前不要印发。
pause
endlocal
exit /b 8

:failed
echo.
pause
endlocal
exit /b 1
