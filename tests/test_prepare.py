"""The per-document stages spread over worker processes: the workers never outlive the run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from articles import COUNCIL_BUDGET, LIBRARY_HOURS, RAIL_STRIKE

ARTICLES = 1_000  # enough that the workers are still busy when the main process is killed
WAIT_S = 60  # generous: what this catches is workers that never exit


def children(pid: int) -> list[int]:
    """Live processes whose parent is ``pid`` (zombies, already dead, left out)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = process_stat(int(entry))
            if stat is not None and stat[1] == pid and stat[0] != "Z":
                out.append(int(entry))
    return out


def process_stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    stat = process_stat(pid)
    return stat is not None and stat[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the worker processes")
def test_workers_exit_when_the_main_process_is_killed(tmp_path: Path) -> None:
    """SIGKILL of the main process alone (the OOM killer, kill -9): its workers, adopted by PID 1,
    used to stay blocked on a pipe for ever, holding 70-100 MB each. (-j 3: the main process
    and two workers prepare the articles.)"""
    texts = (RAIL_STRIKE, LIBRARY_HOURS, COUNCIL_BUDGET)
    for i in range(ARTICLES):
        (tmp_path / f"article-{i:04}.txt").write_text(f"Edition {i}.\n\n{texts[i % 3]}", encoding="utf-8")
    main = subprocess.Popen([sys.executable, "-m", "dedupe", "check", "-j", "3", "--no-cache", "-q", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + WAIT_S
        workers: list[int] = []
        while len(workers) < 2 and main.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
            workers = children(main.pid)
        assert main.poll() is None, "the run ended before its workers could be seen; make ARTICLES larger"
        assert len(workers) == 2
        main.send_signal(signal.SIGKILL)
        main.wait()
        deadline = time.monotonic() + WAIT_S
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [w for w in workers if alive(w)]
    finally:
        if main.poll() is None:
            main.kill()
    for w in left:  # clean up after a failure: only the workers this test saw
        os.kill(w, signal.SIGKILL)
    assert left == [], f"workers {left} outlived the main process"


def test_indexing_packed_units_leaves_them_packed() -> None:
    """A document from a worker keeps its unit rows marshal-ed while the index reads
    them (memory: every article's rows as tuples are several times their packed size);
    its units are still made when asked for."""
    from dedupe.model import Settings, pack, unit_rows, unpack
    from dedupe.prepare import prepare_text

    fresh = prepare_text("a.txt", RAIL_STRIKE, "text", (), Settings())
    packed = pack(fresh)
    again = unpack("a.txt", RAIL_STRIKE, packed["head"], packed["rows"], packed["words"], 0)
    assert list(unit_rows(again.units)) == list(unit_rows(fresh.units))
    assert isinstance(again.units.rows(), bytes)
    assert list(again.units) == list(fresh.units)


@pytest.mark.parametrize(("path", "fmt", "text"), [
    ("a.txt", "text", RAIL_STRIKE),
    ("b.txt", "text", "The council met late on\rTuesday.\n\n" + LIBRARY_HOURS),  # a lone CR: read as a newline
    ("c.md", "markdown", ("# Budget *plans*\n\nThe council said it would **freeze** the rates. "
                          "It will meet again in [March](https://example.org).\n")),
    ("d.html", "html", "<p>The library opens &amp; closes late on Thursdays.</p><p>Fees are waived.</p>"),
])
def test_packed_rows_leave_out_the_texts_that_are_slices_of_the_source_and_unpack_whole(
        path: str, fmt: str, text: str) -> None:
    """A unit's or block's text that is its slice of the source is not packed a second
    time (None in its place) and comes back from the source when the rows are unpacked,
    kept or passed over once; any other text (markup removed, a CR read as a newline)
    is packed as it is."""
    import marshal

    from dedupe.model import BlockList, Settings, UnitList, pack, unit_rows, unpack
    from dedupe.prepare import prepare_text

    fresh = prepare_text(path, text, fmt, (), Settings())
    blocks, units = pack(fresh)["rows"]
    for rows, made, kind in ((marshal.loads(units), list(unit_rows(fresh.units)), UnitList),
                             (marshal.loads(blocks), [(b.role, b.text, b.pieces, b.lines, b.suppressed)
                                                      for b in fresh.document.blocks], BlockList)):
        t = kind.TEXT
        assert [r[:t] + r[t + 1 :] for r in rows] == [r[:t] + r[t + 1 :] for r in made]
        for r, m in zip(rows, made):
            w = kind._where(m)
            assert r[t] is None if w is not None and text[w[0] : w[0] + w[1]] == m[t] else r[t] == m[t]
    packed = unpack(path, text, pack(fresh)["head"], (blocks, units), None, 0)
    assert list(packed.units.passing_rows()) == list(unit_rows(fresh.units))
    assert isinstance(packed.units.rows(), bytes)  # passed over, not kept unpacked
    assert [packed.units.text(i) for i in range(len(fresh.units))] == [u.text for u in fresh.units]
    assert packed.units.roles() == [u.role for u in fresh.units]
    assert list(packed.units) == list(fresh.units)
    assert list(packed.units.passing_rows()) == list(unit_rows(fresh.units))  # unpacked and kept: the same
    assert [marshal.loads(b) for b in pack(packed)["rows"]] == [marshal.loads(blocks), marshal.loads(units)]
    assert list(packed.document.blocks) == list(fresh.document.blocks)
    if fmt == "text":  # plain text: every text is a slice but the block with the lone CR
        assert all(r[2] is None for r in marshal.loads(units))
        assert sum(r[1] is not None for r in marshal.loads(blocks)) == (1 if "\r" in text else 0)
    else:
        assert any(r[2] is not None for r in marshal.loads(units))
    if any(r[2] is None for r in marshal.loads(units)):  # without the source, the texts cannot be put back
        with pytest.raises(ValueError, match="source"):
            list(UnitList(0, units, len(packed.units)))


def test_documents_shared_between_this_process_and_workers_come_back_whole_and_in_order(tmp_path: Path) -> None:
    """With jobs > 1 this process prepares chunks from the first on while workers take
    them from the last back: every document is prepared once, and they come back in
    their order with what one process makes of them, whatever the split."""
    from dedupe.model import Settings, unit_rows
    from dedupe.prepare import DOCS_PER_TASK, prepare_all

    texts = (RAIL_STRIKE, LIBRARY_HOURS, COUNCIL_BUDGET)
    n = 5 * DOCS_PER_TASK + 7  # chunks enough for both ends to take several, the last one short
    paths = []
    for i in range(n):
        path = tmp_path / f"article-{i:04}.txt"
        path.write_text(f"Edition {i}.\n\n{texts[i % 3]}", encoding="utf-8")
        paths.append((str(path), False, i, None))
    (tmp_path / "article-0100.txt").write_text("", encoding="utf-8")  # an empty file: a warning in its place

    def plain(out: list) -> list:  # type: ignore[type-arg]
        return [r if isinstance(r, str) else (r.doc, r.document.path, r.document.source, list(r.document.blocks),
                                              list(unit_rows(r.units)), r.keys, r.word_counts.tolist(),
                                              r.word_hashes.tolist()) for r in out]

    one = plain(prepare_all(paths, Settings(jobs=1), None))
    assert isinstance(one[100], str) and "empty" in one[100]
    assert [r[0] for r in one if not isinstance(r, str)] == [i for i in range(n) if i != 100]
    for jobs in (2, 3):
        seen: list[int] = []
        assert plain(prepare_all(paths, Settings(jobs=jobs), lambda done, total, seen=seen: seen.append(done))) == one
        assert seen == sorted(seen) and seen[-1] == n
