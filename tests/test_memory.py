"""The memory budget (memory.py, --max-memory): sizes read as users write them, the
default taken from the machine or its control group, and a run past its budget that
keeps the shared-run search in its own process, says so, and finds the same."""

from __future__ import annotations

import pathlib

import pytest
from click.testing import CliRunner

import dedupe
from dedupe import config, memory, pipeline
from dedupe.cli import cli
from dedupe.model import DedupeError, Settings

BBC = pathlib.Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc" / "business"


@pytest.mark.parametrize(("text", "size"), [
    ("2G", 2 << 30), ("512M", 512 << 20), ("1.5 GB", 3 << 29), ("300MiB", 300 << 20), ("64k", 64 << 10),
    ("1048576", 1 << 20), (4096, 4096), ("0", 0),
])
def test_sizes_are_read_as_users_write_them(text: str | int, size: int) -> None:
    assert memory.parse_size(text) == size


@pytest.mark.parametrize("text", ["", "2X", "G", "-1G", "lots", "1e9", True, -5])
def test_what_is_no_size_is_refused(text: object) -> None:
    with pytest.raises(ValueError):
        memory.parse_size(text)  # type: ignore[arg-type]


def test_a_config_file_takes_a_size_and_names_itself_when_it_cannot(tmp_path: pathlib.Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('max-memory = "1G"\n')
    assert config.load(str(good)).max_memory == 1 << 30
    bad = tmp_path / "bad.toml"
    bad.write_text('max-memory = "a lot"\n')
    with pytest.raises(DedupeError, match=r"bad\.toml.*max-memory must be a size"):
        config.load(str(bad))


def test_a_bad_size_on_the_command_line_is_one_line_and_exit_2(tmp_path: pathlib.Path) -> None:
    (tmp_path / "a.txt").write_text("One sentence here for the check to read. Another sentence follows it.\n")
    got = CliRunner().invoke(cli, ["check", str(tmp_path), "--no-cache", "--max-memory", "10X"], prog_name="dedupe")
    assert got.exit_code == 2
    assert "--max-memory must be a size" in got.output and "Traceback" not in got.output


def fake_machine(tmp_path: pathlib.Path, available_kib: int, *limits: str) -> tuple[str, tuple[str, ...]]:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text(f"MemTotal:       32000000 kB\nMemFree:         1000000 kB\nMemAvailable:   {available_kib} kB\n")
    paths = []
    for n, limit in enumerate(limits):
        path = tmp_path / f"limit{n}"
        path.write_text(limit + "\n")
        paths.append(str(path))
    return str(meminfo), (*paths, str(tmp_path / "absent"))


def test_the_default_budget_is_a_share_of_what_the_machine_has_free(tmp_path: pathlib.Path) -> None:
    meminfo, limits = fake_machine(tmp_path, 10_000_000, "max")  # cgroup v2 without a limit
    assert memory.machine_budget(meminfo, limits) == int(10_000_000 * 1024 * memory.MACHINE_SHARE)


def test_a_control_group_limit_below_what_is_free_bounds_the_default(tmp_path: pathlib.Path) -> None:
    meminfo, limits = fake_machine(tmp_path, 10_000_000, str(2 << 30), str(1 << 62))  # a CI job's 2 GB; v1's "none"
    assert memory.machine_budget(meminfo, limits) == int((2 << 30) * memory.MACHINE_SHARE)


def test_the_control_group_and_its_parents_are_looked_up_in_v1_and_v2(tmp_path: pathlib.Path) -> None:
    own = tmp_path / "cgroup"
    own.write_text("4:memory:/ci/job7\n3:cpuset:/\n0::/user.slice/run\n")
    files = memory.cgroup_limit_files(str(own), "/cg")
    assert files[:3] == ["/cg/memory/ci/job7/memory.limit_in_bytes", "/cg/memory/ci/memory.limit_in_bytes",
                         "/cg/memory/memory.limit_in_bytes"]
    assert "/cg/user.slice/run/memory.max" in files and "/cg/memory.max" in files
    assert not any("cpuset" in f for f in files)


def test_a_parent_groups_limit_counts_as_well(tmp_path: pathlib.Path) -> None:
    own = tmp_path / "cgroup"
    own.write_text("4:memory:/ci/job7\n")
    root = tmp_path / "cg"
    (root / "memory" / "ci" / "job7").mkdir(parents=True)
    (root / "memory" / "ci" / "job7" / "memory.limit_in_bytes").write_text(str(1 << 62))
    (root / "memory" / "ci" / "memory.limit_in_bytes").write_text(str(1 << 30))
    meminfo, _ = fake_machine(tmp_path, 10_000_000)
    assert memory.machine_budget(meminfo, tuple(memory.cgroup_limit_files(str(own), str(root)))) == int(
        (1 << 30) * memory.MACHINE_SHARE)


def test_without_figures_to_read_there_is_no_budget(tmp_path: pathlib.Path) -> None:
    assert memory.machine_budget(str(tmp_path / "none"), (str(tmp_path / "none2"),)) == 0


def test_without_a_budget_the_search_may_always_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "machine_budget", lambda: 0)  # another system than Linux
    assert memory.plan(10**12, 10**6, 0) == memory.Plan(fork=True, spill=False, warning=None)


def test_the_search_is_forked_only_while_the_estimate_fits_and_the_comparison_spills_past_the_leaner() -> None:
    text = 20 * 10**6  # four times BBC
    forked, lean = memory.estimate(text, forked=True), memory.estimate(text, forked=False)
    assert forked > lean
    assert memory.plan(text, 8900, forked) == memory.Plan(fork=True, spill=False, warning=None)
    assert memory.plan(text, 8900, forked - 1) == memory.Plan(fork=False, spill=False, warning=None)
    assert memory.plan(text, 8900, lean) == memory.Plan(fork=False, spill=False, warning=None)
    tight = memory.plan(text, 8900, 512 << 20)
    assert not tight.fork and tight.spill
    warning = tight.warning
    assert warning is not None and "8,900 articles" in warning and "512 MB" in warning and "--max-memory" in warning


@pytest.mark.skipif(not BBC.is_dir(), reason="needs ../shared/corpora/bbc")
def test_past_its_budget_a_run_keeps_the_search_here_says_so_and_finds_the_same(
        monkeypatch: pytest.MonkeyPatch, forks: list[bool]) -> None:
    monkeypatch.setattr(pipeline, "RUNS_ASIDE_MIN_WORDS", 0)
    roomy = dedupe.check([str(BBC)], settings=Settings(jobs=2, max_memory=64 << 30))
    tight = dedupe.check([str(BBC)], settings=Settings(jobs=2, max_memory=16 << 20))
    assert forks == [True, False]
    assert tight.findings == roomy.findings
    assert not any("likely to need" in w for w in roomy.warnings)
    assert any("likely to need" in w and "16 MB" in w for w in tight.warnings)


def test_spilled_arrays_live_in_files_of_their_own_folder_until_closed(tmp_path: pathlib.Path) -> None:
    import numpy as np

    spill = memory.Spill(str(tmp_path / "cache"))
    assert pathlib.Path(spill.folder).parent == tmp_path / "cache"
    kept = spill.kept(np.arange(10, dtype=np.uint64))
    made = spill.empty((4, 3), np.uint32, "F")
    assert isinstance(kept, np.memmap) and isinstance(made, np.memmap) and made.flags.f_contiguous
    assert kept.tolist() == list(range(10)) and not made.any()
    assert spill.empty((0, 128), np.uint32).shape == (0, 128)  # no file can map nothing
    assert len(list(pathlib.Path(spill.folder).iterdir())) == 2
    spill.close()
    assert not pathlib.Path(spill.folder).exists()


def test_a_spill_folder_left_by_a_killed_run_is_removed_by_the_next_once_stale(tmp_path: pathlib.Path) -> None:
    import os
    import time

    old = tmp_path / "dedupe-spill-killed"
    old.mkdir()
    (old / "1.bin").write_bytes(b"\0" * 64)
    recent = tmp_path / "dedupe-spill-running"  # another run's, still comparing
    recent.mkdir()
    mine = tmp_path / "dedupe-notes"  # not a spill folder
    mine.mkdir()
    day_ago = time.time() - memory.Spill.STALE_S - 60
    os.utime(old, (day_ago, day_ago))
    os.utime(mine, (day_ago, day_ago))
    spill = memory.Spill(str(tmp_path))
    assert not old.exists() and recent.exists() and mine.exists()
    spill.close()


def test_a_spill_folder_that_cannot_be_made_falls_back_to_the_systems(tmp_path: pathlib.Path) -> None:
    import tempfile

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache's folder would be")
    spill = memory.Spill(str(blocked / "cache"))
    try:
        assert spill.folder is not None and pathlib.Path(spill.folder).parent == pathlib.Path(tempfile.gettempdir())
    finally:
        spill.close()


def test_with_no_room_on_the_disk_an_array_stays_in_memory(tmp_path: pathlib.Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    import numpy as np

    def full(fd: int, offset: int, length: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "posix_fallocate", full, raising=False)
    spill = memory.Spill(str(tmp_path))
    made = spill.empty((1000, 128), np.uint32, "F")
    assert not isinstance(made, np.memmap) and made.shape == (1000, 128) and not made.any()
    assert spill.files == 0 and not list(pathlib.Path(spill.folder).iterdir())  # type: ignore[arg-type]
    spill.close()


@pytest.mark.skipif(not BBC.is_dir(), reason="needs ../shared/corpora/bbc")
def test_a_run_past_its_budget_spills_its_comparison_and_finds_the_same(
        monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    opened: list[memory.Spill] = []

    class Watched(memory.Spill):
        def __init__(self, parent: str | None) -> None:
            super().__init__(parent)
            opened.append(self)

    monkeypatch.setattr(memory, "Spill", Watched)
    cache = str(tmp_path / "cache")
    roomy = dedupe.check([str(BBC)], settings=Settings(max_memory=64 << 30))
    assert not opened
    tight = dedupe.check([str(BBC)], settings=Settings(max_memory=16 << 20, cache=True, cache_dir=cache))
    assert len(opened) == 1 and opened[0].files >= 4  # two signals' sets (indptr, hashes) and signatures
    assert pathlib.Path(opened[0].folder).parent == tmp_path / "cache"
    assert not pathlib.Path(opened[0].folder).exists()
    assert tight.findings == roomy.findings
