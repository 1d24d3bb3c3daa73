"""officekit.generate: documents written by workers equal those written in-process."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from docx_helpers import make_template

from officekit import generate
from officekit.render import compile_template, make_environment
from officekit.values import Cell


def _items(tmp: Path, n: int) -> list[generate.Item]:
    return [
        generate.Item(i, {"名称": Cell(f"单位{i}"), "日期": Cell(d)}, tmp, f"{i:03d}.docx")
        for i, d in ((i, "2026年3月5日" if i % 7 else "2026年03月05日") for i in range(1, n + 1))
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_render_all_writes_every_document_and_reports_words(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generate, "MIN_PER_WORKER", 3)
    template = compile_template(
        make_template(tmp_path / "t.docx", ["致{{ 名称 }}：", "会议于{{ 日期 }}召开。"]),
        make_environment(),
    )
    items = _items(tmp_path / "out", 20)
    (tmp_path / "out").mkdir()
    seen: list[int] = []
    findings = generate.run(template, items, jobs, seen.append).done
    assert seen[-1] == 20 and sorted(findings) == list(range(1, 21))
    flagged = sorted(i for i, done in findings.items() if done.findings)
    assert flagged == [7, 14]  # the zero-padded dates, found by the workers
    for item in items:
        with zipfile.ZipFile(item.target) as zf:
            xml = zf.read("word/document.xml").decode("utf-8")
        assert f"致单位{item.index}：" in xml


def _letters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A one-line letter template and 20 items for it, small enough chunks to fork."""
    monkeypatch.setattr(generate, "MIN_PER_WORKER", 3)
    template = compile_template(
        make_template(tmp_path / "t.docx", ["致{{ 名称 }}："]), make_environment()
    )
    (tmp_path / "out").mkdir()
    return template, _items(tmp_path / "out", 20)


@pytest.mark.parametrize("jobs", [1, 2])
def test_workers_skip_what_the_last_build_already_wrote(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    template, items = _letters(tmp_path, monkeypatch)
    kept = {"003.docx", "010.docx", "017.docx"}  # as if their digests matched the manifest
    results = generate.run(
        template,
        items,
        jobs,
        lambda done: None,
        digest=lambda item, variables: f"d{item.index}",
        unchanged=lambda relative, digest: relative in kept and digest == f"d{int(relative[:3])}",
    ).done
    assert {i: d.digest for i, d in results.items()} == {i: f"d{i}" for i in range(1, 21)}
    skipped = {f"{i:03d}.docx" for i, d in results.items() if d.findings is None}
    assert skipped == kept
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert written == {f"{i:03d}.docx" for i in range(1, 21)} - kept


@pytest.mark.parametrize("jobs", [1, 2])
def test_volumes_are_combined_as_their_letters_are_done_and_checks_come_back(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    template, items = _letters(tmp_path, monkeypatch)
    planned: list[tuple[int, list[int]]] = []

    def plan(group: int, done: list, letters) -> generate.Volume | None:  # noqa: ANN001
        planned.append((group, [item.index for item in letters()]))
        assert [d.index for d in done] == planned[-1][1]
        if group % 2:  # as if odd volumes were unchanged since the last build
            return None
        return generate.Volume(
            tmp_path / "out" / f"vol{group}.docx",
            f"vol{group}",
            tuple(item.target for item in letters()),
            1,
            "oddPage",
            check=group == 0,
        )

    outcome = generate.run(
        template, items, jobs, lambda done: None, volume_size=6, plan_volume=plan
    )
    assert sorted(planned) == [
        (0, [1, 2, 3, 4, 5, 6]),
        (1, [7, 8, 9, 10, 11, 12]),
        (2, [13, 14, 15, 16, 17, 18]),
        (3, [19, 20]),
    ]
    for group, count in ((0, 6), (2, 6)):
        with zipfile.ZipFile(tmp_path / "out" / f"vol{group}.docx") as zf:
            xml = zf.read("word/document.xml").decode("utf-8")
        assert xml.count("<w:sectPr") == count
        assert [f"致单位{i}：" in xml for i in range(1, 21)].count(True) == count
    assert not (tmp_path / "out" / "vol1.docx").exists()
    # The first letter was checked in full and volume 0 for its sections, by the workers.
    assert set(outcome.checks) == {items[0].target, tmp_path / "out" / "vol0.docx"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_known_letters_go_to_no_worker_and_their_volumes_are_decided_first(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Letters the build already knows unchanged are neither digested nor written; a
    volume all of whose letters are known is planned before any letter is rendered, the
    others when their last letter is done, each with every letter's Done."""
    template, items = _letters(tmp_path, monkeypatch)
    known = {i: generate.Done(i, f"old{i}", None) for i in range(1, 21) if i not in (8, 9)}
    digested: list[int] = []
    planned: list[tuple[int, list[str]]] = []

    def digest(item: generate.Item, variables: dict) -> str:
        digested.append(item.index)
        return f"new{item.index}"

    def plan(group: int, done: list, letters) -> None:  # noqa: ANN001
        planned.append((group, [d.digest for d in done]))

    outcome = generate.run(
        template, items, jobs, lambda done: None, digest=digest, volume_size=6,
        plan_volume=plan, known=known,
    )  # fmt: skip
    assert sorted(digested) == [8, 9]
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"008.docx", "009.docx"}
    assert [g for g, _ in planned][:3] == [0, 2, 3]  # decided up front
    assert dict(planned)[1] == ["old7", "new8", "new9", "old10", "old11", "old12"]
    assert outcome.done[8].findings is not None and outcome.done[7] == known[7]


def test_chunks_cover_every_index_once() -> None:
    for count, jobs in ((1, 2), (99, 2), (1000, 2), (10_000, 4)):
        positions = list(range(0, 3 * count, 3))  # the pending ones, not all in a row
        chunks = generate._chunks(positions, jobs)
        assert [i for c in chunks for i in c] == positions
        assert max(len(c) for c in chunks) <= generate.MIN_PER_WORKER


@pytest.mark.parametrize("copies", [1, 2])
def test_a_volume_whose_later_letter_is_not_joined_as_bytes_is_joined_as_trees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copies: int
) -> None:
    """A volume is compressed as it is spliced; a letter further on that is not of the
    spliced shape (a tracked change of its final section) sends the whole volume to the
    tree join, and the file is the one the tree join gives."""
    from officekit.combine import combine_trees

    template, items = _letters(tmp_path, monkeypatch)
    generate.run(template, items[:3], 1, lambda done: None)
    third = items[2].target
    with zipfile.ZipFile(third) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    xml = parts["word/document.xml"]
    at = xml.rfind(b"</w:sectPr>")
    parts["word/document.xml"] = (
        xml[:at] + b'<w:sectPrChange w:id="9" w:author="x"><w:sectPr/></w:sectPrChange>' + xml[at:]
    )
    with zipfile.ZipFile(third, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    bodies = []
    for item in items[:3]:
        with zipfile.ZipFile(item.target) as zf:
            bodies += [zf.read("word/document.xml")] * copies
    target = tmp_path / "out" / "volume.docx"
    volume = generate.Volume(target, "汇总", tuple(i.target for i in items[:3]), copies, "oddPage")
    generate._WORK.update(template=template)
    try:
        assert generate._write_volume(volume) is None
    finally:
        generate._WORK.clear()
    with zipfile.ZipFile(target) as zf:
        assert zf.testzip() is None
        assert zf.read("word/document.xml") == combine_trees(bodies, "oddPage")


def test_items_are_made_from_contexts_and_paths_when_asked_for(tmp_path: Path) -> None:
    from officekit.context import DocumentContext

    contexts = [DocumentContext({}, None, n) for n in (1, 2, 3)]
    items = generate.Items(contexts, ["a.docx", "b.docx", "c.docx"], tmp_path)
    assert len(items) == 3
    assert (items[0].index, items[0].relative, items[0].target) == (
        1,
        "a.docx",
        tmp_path / "a.docx",
    )
    assert [i.relative for i in items[1:]] == ["b.docx", "c.docx"]
    assert items[-1].index == 3 and [i.index for i in items] == [1, 2, 3]
    assert list(items.indices) == [1, 2, 3] == list(generate.index_of(list(items)))
    with pytest.raises(IndexError):
        items[3]
    with pytest.raises(ValueError):
        generate.Items(contexts, ["a.docx"], tmp_path)


def _pid(_: object) -> int:
    return os.getpid()


def _broken(_: object) -> int:
    raise ValueError("broken check")


def test_tasks_aside_run_in_one_helper_in_order_while_the_others_run_here() -> None:
    from officekit.prefetch import can_fork

    tasks = generate._Tasks(jobs=2, documents=1)  # too few for workers
    try:
        tasks.add(("check", 1), _pid, None, aside=True)
        tasks.add(("volume",), _pid, None)
        tasks.add(("check", 2), _pid, None, aside=True)
        found = [tasks.next() for _ in range(3)]
    finally:
        tasks.close()
    assert found[0] == (("volume",), os.getpid())  # done here while the helper works
    assert [tag for tag, _ in found[1:]] == [("check", 1), ("check", 2)]
    helpers = {pid for _, pid in found[1:]}
    assert len(helpers) == 1 and (os.getpid() not in helpers) == can_fork()
    one = generate._Tasks(jobs=1, documents=1)
    one.add(("check",), _pid, None, aside=True)
    assert one.next() == (("check",), os.getpid())  # --jobs 1: nothing forked


def test_a_task_aside_that_fails_fails_as_it_would_here() -> None:
    tasks = generate._Tasks(jobs=2, documents=1)
    try:
        tasks.add(("check", 1), _broken, None, aside=True)
        tasks.add(("check", 2), _pid, None, aside=True)
        with pytest.raises(ValueError, match="broken check"):
            tasks.next()
        assert tasks.next()[0] == ("check", 2)  # the helper goes on after a failure
    finally:
        tasks.close()


def _die_unless(pid: int) -> int:
    import signal

    if os.getpid() != pid:  # in the helper
        os.kill(os.getpid(), signal.SIGKILL)
    return os.getpid()


def test_a_helper_that_dies_leaves_its_tasks_to_this_process() -> None:
    tasks = generate._Tasks(jobs=2, documents=1)
    try:
        tasks.add(("check", 1), _die_unless, os.getpid(), aside=True)
        tasks.add(("check", 2), _pid, None, aside=True)
        found = dict(tasks.next() for _ in range(2))
    finally:
        tasks.close()
    assert found == {("check", 1): os.getpid(), ("check", 2): os.getpid()}


def _echo(data: bytes) -> bytes:
    return data + data


def test_big_calls_and_results_aside_do_not_block_each_other() -> None:
    """Calls (a volume's skeleton) and results larger than a pipe holds, sent while the
    helper still works on the one before: all come back, in order."""
    big = [bytes([n]) * 300_000 for n in range(3)]
    tasks = generate._Tasks(jobs=2, documents=1)
    try:
        for n, data in enumerate(big):
            tasks.add(("check", n), _echo, data, aside=True)
        found = dict(tasks.next() for _ in big)
    finally:
        tasks.close()
    assert found == {("check", n): data + data for n, data in enumerate(big)}


def test_a_helper_prepared_early_takes_the_checks_aside() -> None:
    """prepare_aside forks the helper before any check is known (a rebuild, while it
    reads the workbook); the checks aside then go to that very process, and
    release_aside stops one that got none."""
    from officekit.prefetch import can_fork

    if not can_fork():
        pytest.skip("fork is Linux-only; elsewhere checks run in the build process")
    generate.prepare_aside()
    early = generate._EARLY[0].pid
    tasks = generate._Tasks(jobs=2, documents=1)
    try:
        tasks.add(("check", 1), _pid, None, aside=True)
        assert tasks.next() == (("check", 1), early)
        assert not generate._EARLY
    finally:
        tasks.close()
    generate.prepare_aside()
    unused = generate._EARLY[0]
    generate.release_aside()
    assert not generate._EARLY and unused.results.closed and unused.pid is None
    # a pool takes over the checks: an early helper is not kept beside it
    generate.prepare_aside()
    pool = generate._Tasks(jobs=2, documents=2 * generate.MIN_PER_WORKER)
    try:
        assert not generate._EARLY
    finally:
        pool.close()


def _parsed_shared() -> int:
    from officekit.gongwen import check

    return check._shared_part.cache_info().currsize + check._stylesheet.cache_info().currsize


def test_the_early_helper_reads_what_letters_share_before_they_come(tmp_path: Path) -> None:
    """prepare_aside with the letters' template: the helper parses the template's
    styles, settings and footers while it waits, so the first letter's check finds them
    parsed (the same parts, byte for byte, as the check reads from the letter)."""
    from officekit.gongwen import check
    from officekit.prefetch import can_fork

    if not can_fork():
        pytest.skip("fork is Linux-only; elsewhere checks run in the build process")
    template = compile_template(
        make_template(tmp_path / "t.docx", ["{{ 单位 }}", "正文"]), make_environment()
    )
    letter = tmp_path / "out" / "a.docx"
    template.write(template.render({"单位": Cell("县公安局")}), letter)
    # nothing parsed here (other tests checked documents in this process)
    check._shared_part.cache_clear()
    check._stylesheet.cache_clear()
    generate.prepare_aside([template])
    tasks = generate._Tasks(jobs=2, documents=1)
    try:
        tasks.add(("count",), _count_then_check, letter, aside=True)
        _, (before, after) = tasks.next()
    finally:
        tasks.close()
    # styles as a part and as a style sheet, settings, footers: parsed before the check
    assert before >= 3
    assert after == 0  # the check of the letter parsed none of them again
    # a part that does not parse is left to the check (the helper lives on)
    assert check.read_shared([("word/styles.xml", b"<broken"), ("word/settings.xml", b"")]) is None


def _count_then_check(letter: Path) -> tuple[int, int]:
    from officekit.gongwen import check

    before = _parsed_shared()
    check.check_docx(letter, scope="full")
    return before, _parsed_shared() - before


def _with_landscape_section(source: Path, target: Path) -> Path:
    """A copy of letter ``source`` that starts with a landscape section of its own."""
    with zipfile.ZipFile(source) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    xml = parts["word/document.xml"]
    own = b'<w:p><w:pPr><w:sectPr><w:pgSz w:w="16838" w:h="11906"/></w:sectPr></w:pPr></w:p>'
    at = xml.find(b"<w:body>") + len(b"<w:body>")
    parts["word/document.xml"] = xml[:at] + own + xml[at:]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return target


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("own_section", [False, True])
def test_a_volume_checked_on_its_planned_skeleton_says_what_its_file_says(
    tmp_path: Path, jobs: int, own_section: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without workers (a rebuild), the volume to check is checked while it is written,
    on the skeleton planned from its first letter; when a letter brings sections of its
    own the plan is wrong, and the file is checked instead. Either way the findings are
    those of checking the written file."""
    from officekit.gongwen.check import check_docx

    template, items = _letters(tmp_path, monkeypatch)
    items = items[:2]  # too few for workers
    target = tmp_path / "out" / "vol.docx"

    def plan(group: int, done: list, letters) -> generate.Volume:  # noqa: ANN001
        second = letters()[1].target
        if own_section:
            second = _with_landscape_section(second, tmp_path / "out" / "own.docx")
        return generate.Volume(target, "vol", (letters()[0].target, second), 1, "oddPage", True)

    outcome = generate.run(
        template, items, jobs, lambda done: None, volume_size=2, plan_volume=plan
    )
    expected = check_docx(target, scope="sections").findings
    assert outcome.checks[target] == expected
    assert any("横向" in f.message for f in expected) == own_section
