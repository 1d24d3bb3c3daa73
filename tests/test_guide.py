"""docs/模板编写指南.md cannot go stale: every example in it is run here.

- ```jinja blocks: each line "模板 → 结果" is rendered with the variables of the blank
  job's first per-row document (城关镇) and must give the result shown;
- the first ```toml block is the blank job's officekit.toml, word for word;
- the second ```toml block (red header and imprint) is appended to the blank job, which
  must then build and pass `officekit check --pdf`;
- ```错误示例 blocks: the edits above "---" are made to a fresh blank job, `officekit
  build` is run, and the text below "---" must be in what it prints.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from typer.testing import CliRunner

from officekit import context, workbook
from officekit.cli import app
from officekit.job import load_job
from officekit.render import make_environment, make_name_environment

GUIDE = ROOT / "docs" / "模板编写指南.md"
BLANK = ROOT / "examples" / "空白任务"
_BLOCK = re.compile(r"^```(\S+)\n(.*?)^```", re.DOTALL | re.MULTILINE)
runner = CliRunner()


def _blocks(kind: str) -> list[str]:
    return [
        body for info, body in _BLOCK.findall(GUIDE.read_text(encoding="utf-8")) if info == kind
    ]


def _examples() -> list[tuple[str, str]]:
    pairs = []
    for block in _blocks("jinja"):
        for line in block.splitlines():
            template, _, result = line.rpartition(" → ")
            pairs.append((template, result))
    return pairs


@pytest.fixture(scope="module")
def variables(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("guide") / "空白任务"
    shutil.copytree(BLANK, folder)
    job = load_job(folder)
    book = workbook.load(job)
    spec = next(d for d in job.documents if d.each)
    return dict(context.document_contexts(spec, book)[0].variables)


def test_guide_has_examples_of_every_kind() -> None:
    assert len(_examples()) >= 30
    assert len(_blocks("toml")) == 2
    assert len(_blocks("错误示例")) >= 5


@pytest.mark.parametrize(("template", "result"), _examples())
def test_template_example(variables: dict, template: str, result: str) -> None:
    env = make_name_environment()
    env.filters.update(make_environment().filters)
    assert env.from_string(template).render(variables) == result


def test_job_file_shown_is_the_blank_jobs() -> None:
    assert _blocks("toml")[0] == (BLANK / "officekit.toml").read_text(encoding="utf-8")


def _fresh(tmp_path: Path) -> Path:
    folder = tmp_path / "空白任务"
    shutil.copytree(BLANK, folder)
    return folder


def test_red_header_section_builds_and_passes_check(tmp_path: Path, soffice: Path) -> None:
    folder = _fresh(tmp_path)
    toml = folder / "officekit.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n" + _blocks("toml")[1], encoding="utf-8")
    built = runner.invoke(app, ["build", str(folder), "--no-pdf"])
    assert built.exit_code == 0, built.output
    assert "全部符合" in built.output
    made = folder / "output" / "单位名单.docx"
    with zipfile.ZipFile(made) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert (
        "青禾县人民政府办公室文件" in xml
        and "青政办〔2026〕5号" in xml
        and "2026年3月2日印发" in xml
    )
    checked = runner.invoke(app, ["check", "--pdf", str(made)])
    assert checked.exit_code == 0, checked.output


_CELL = re.compile(r"^工作簿 (\S+)!([A-Z]+[0-9]+) = (.*)$")
_REPLACE = re.compile(r"^(模板 (\S+)|任务文件) 把 “(.*)” 换成 “(.*)”$")


def _apply(folder: Path, actions: str) -> None:
    lines = actions.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("  "):
            continue  # the lines of an 追加
        if cell := _CELL.match(line):
            book = openpyxl.load_workbook(folder / "工作簿.xlsx")
            book[cell[1]][cell[2]] = cell[3]
            book.save(folder / "工作簿.xlsx")
        elif replace := _REPLACE.match(line):
            _replace(folder / (replace[2] or "officekit.toml"), replace[3], replace[4])
        elif line == "任务文件 追加":
            more = [m[2:] for m in lines[index + 1 :] if m.startswith("  ")]
            toml = folder / "officekit.toml"
            toml.write_text(
                toml.read_text(encoding="utf-8") + "\n" + "\n".join(more) + "\n", encoding="utf-8"
            )
        else:
            raise AssertionError(f"指南中看不懂的改动：{line}")


def _replace(path: Path, old: str, new: str) -> None:
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as zf:
            parts = {i.filename: zf.read(i) for i in zf.infolist()}
        xml = parts["word/document.xml"].decode("utf-8")
        assert old in xml, old
        parts["word/document.xml"] = xml.replace(old, new).encode("utf-8")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in parts.items():
                zf.writestr(name, data)
        return
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("block", _blocks("错误示例"))
def test_mistake_gives_the_message_shown(tmp_path: Path, block: str) -> None:
    actions, _, message = block.partition("---\n")
    folder = _fresh(tmp_path)
    _apply(folder, actions)
    result = runner.invoke(app, ["build", str(folder), "--no-pdf"])
    printed = result.output.replace("\n", "")
    assert message.strip() in printed, printed
    if message.startswith("错误："):
        assert result.exit_code != 0
