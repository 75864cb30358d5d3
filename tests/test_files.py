"""files.py: input discovery, safe reads and decoding, atomic writes."""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys
from pathlib import Path

import pytest
from articles import CAPTION, LIBRARY_HOURS, RAIL_STRIKE, STYLE_GUIDE_PAGE

import dedupe
from dedupe import files
from dedupe.model import DedupeError, LineIndex, Settings

DEFAULT_INCLUDE = Settings().include


def write(path: Path, text: str = LIBRARY_HOURS) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small content folder, written in an order unlike the sorted one."""
    root = tmp_path / "site"
    write(root / "news" / "rail-strike.txt", RAIL_STRIKE)
    write(root / "news" / "council-budget.txt")
    write(root / "blog" / "style-guide.md", STYLE_GUIDE_PAGE)
    write(root / "docs" / "install.html", "<p>Install the package with pip.</p>")
    write(root / "docs" / "install.rst", "Install the package with pip.")
    write(root / "drafts" / "unfinished.md")
    write(root / "about.txt")
    write(root / "news" / ".rail-strike.txt.swp")
    write(root / ".git" / "COMMIT_EDITMSG.txt")
    write(root / ".obsidian" / "workspace.md")
    (root / "scans").mkdir()
    (root / "scans" / "front-page.pdf").write_bytes(b"%PDF-1.4\n")
    return root


def relative(found: list[str], root: Path) -> list[str]:
    return [os.path.relpath(p, root).replace(os.sep, "/") for p in found]


# discover


def test_folder_is_walked_in_sorted_order_with_the_default_globs(site: Path) -> None:
    found = files.discover([str(site)], DEFAULT_INCLUDE, ())
    assert relative(found, site) == [
        "about.txt",
        "blog/style-guide.md",
        "docs/install.html",
        "drafts/unfinished.md",
        "news/council-budget.txt",
        "news/rail-strike.txt",
    ]


def test_hidden_folders_and_files_are_skipped(site: Path) -> None:
    found = relative(files.discover([str(site)], ("*",), ()), site)
    assert not [p for p in found if "/." in "/" + p]
    assert "scans/front-page.pdf" in found  # "*" really did take everything else


def test_exclude_glob_matches_a_path_relative_to_the_folder(site: Path) -> None:
    found = files.discover([str(site)], DEFAULT_INCLUDE, ("drafts/*",))
    assert "drafts/unfinished.md" not in relative(found, site)
    assert len(found) == 5


def test_include_and_exclude_globs_also_match_the_file_name(site: Path) -> None:
    found = files.discover([str(site)], ("*.md", "*.rst"), ("unfinished.*",))
    assert relative(found, site) == ["blog/style-guide.md", "docs/install.rst"]


def test_files_named_explicitly_are_taken_whatever_the_globs(site: Path) -> None:
    named = [str(site / "docs" / "install.rst"), str(site / "news" / ".rail-strike.txt.swp"),
             str(site / "drafts" / "unfinished.md")]
    assert files.discover(named, ("*.txt",), ("drafts/*", "*.md")) == named


def test_stdin_dash_is_passed_through_in_place(site: Path) -> None:
    about = str(site / "about.txt")
    assert files.discover([about, "-"], DEFAULT_INCLUDE, ()) == [about, "-"]


def test_path_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    with pytest.raises(DedupeError, match=r"^" + repr(missing)[1:-1] + ": no such file or directory$"):
        files.discover([missing], DEFAULT_INCLUDE, ())


def test_a_file_reached_by_two_names_is_taken_once(site: Path) -> None:
    (site / "news" / "rail-strike-latest.txt").symlink_to("rail-strike.txt")
    (site / "mirror").symlink_to("news")
    first = str(site / "news" / "rail-strike.txt")
    found = files.discover([first, str(site), os.path.join(str(site), ".", "news", "rail-strike.txt")],
                           ("rail-strike*",), ())
    assert found == [first]


def test_symlink_loops_are_walked_once_and_a_looping_file_link_is_left_for_the_reader(tmp_path: Path) -> None:
    news = write(tmp_path / "content" / "news" / "rail-strike.txt", RAIL_STRIKE).parent
    (news / "up").symlink_to("..")
    (news / "here").symlink_to(".")
    (news / "loop.txt").symlink_to("loop.txt")
    found = files.discover([str(tmp_path / "content")], DEFAULT_INCLUDE, ())
    assert relative(found, tmp_path / "content") == ["news/loop.txt", "news/rail-strike.txt"]
    with pytest.raises(DedupeError, match="loop.txt: cannot read"):
        files.read_source(found[0], Settings().max_file_bytes)


def test_named_pipe_in_a_folder_is_not_taken(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    write(tmp_path / "rail-strike.txt", RAIL_STRIKE)
    os.mkfifo(tmp_path / "live-blog.txt")
    assert relative(files.discover([str(tmp_path)], DEFAULT_INCLUDE, ()), tmp_path) == ["rail-strike.txt"]


# decode and read_source


def test_utf8_bom_is_stripped() -> None:
    source = files.decode("rail-strike.txt", codecs.BOM_UTF8 + RAIL_STRIKE.encode("utf-8"))
    assert source.text == RAIL_STRIKE
    assert source.warnings == ()


def test_crlf_line_endings_are_kept_so_offsets_index_the_decoded_file() -> None:
    crlf = RAIL_STRIKE.replace("\n", "\r\n")
    assert files.decode("rail-strike.txt", crlf.encode("utf-8")).text == crlf


def test_crlf_article_reports_the_caption_at_offsets_and_lines_of_the_file_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "rail-strike.txt"
    path.write_bytes(RAIL_STRIKE.replace("\n", "\r\n").encode("utf-8"))
    decoded = path.read_bytes().decode("utf-8")
    [finding] = dedupe.check(str(path)).findings
    assert finding.kind == "caption"
    assert [(o.span.line, o.span.column) for o in finding.occurrences] == [(4, 1), (10, 1)]
    for o in finding.occurrences:
        assert decoded[o.span.offset : o.span.offset + o.span.length] == o.text == CAPTION


def test_cr_only_article_still_reports_the_caption_on_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "rail-strike.txt"
    raw = RAIL_STRIKE.replace("\n", "\r").encode("utf-8")
    path.write_bytes(raw)
    [finding] = dedupe.check(str(path)).findings
    assert [(o.span.line, o.span.column) for o in finding.occurrences] == [(4, 1), (10, 1)]
    text = raw.decode("utf-8")  # offsets index the file's own characters
    assert all(text[o.span.offset : o.span.offset + o.span.length] == o.text for o in finding.occurrences)
    assert path.read_bytes() == raw


def test_line_endings_are_kept_as_they_are_a_lone_cr_too() -> None:
    """docs/json-output.md: an occurrence's text is the file's own, line endings included."""
    assert files.decode("mac.txt", b"Headline\rBody.\r\nMore.\n").text == "Headline\rBody.\r\nMore.\n"


def test_a_lone_cr_is_a_line_break_when_lines_are_counted() -> None:
    index = LineIndex("Headline\rBody.\r\nMore.\nEnd")
    assert [index.line_col(o) for o in (0, 9, 16, 22)] == [(1, 1), (2, 1), (3, 1), (4, 1)]


def test_invalid_utf8_is_replaced_and_the_warning_names_file_and_byte() -> None:
    raw = "Caf\xe9 owners on the high street say trade has fallen.\n".encode("latin-1")
    source = files.decode("cafe.txt", raw)
    assert source.text == "Caf\ufffd owners on the high street say trade has fallen.\n"
    assert source.warnings == ("cafe.txt: invalid UTF-8 at byte 3; decoded with replacement characters (U+FFFD)",)


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(DedupeError, match=r"^scan\.txt: looks like a binary file \(contains NUL bytes\), not an article$"):
        files.decode("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


@pytest.mark.parametrize("raw", [b"", b" \n\r\n\t\n", "\ufeff\u3000\u2003\u00a0\u200b\n".encode(),
                                 codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")],
                         ids=["zero-bytes", "whitespace", "unicode-spaces", "utf16-spaces"])
def test_empty_or_blank_file_is_the_empty_file_error(raw: bytes) -> None:
    with pytest.raises(files.EmptyFile, match=r"^draft\.txt: file is empty$"):
        files.decode("draft.txt", raw)


@pytest.mark.parametrize(("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                                            (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")])
def test_utf16_and_utf32_with_a_byte_order_mark_are_decoded(bom: bytes, codec: str) -> None:
    text = "Caf\xe9 owners say trade has fallen by a \u2153 since June.\r\n"
    assert files.decode("cafe.txt", bom + text.encode(codec)) == files.Source("cafe.txt", text, "text")


def test_nul_characters_in_utf16_still_mean_binary() -> None:
    with pytest.raises(DedupeError, match=r"contains NUL characters"):
        files.decode("scan.txt", codecs.BOM_UTF16_LE + "PNG\x00\x00IHDR".encode("utf-16-le"))


def test_a_nul_byte_anywhere_means_binary() -> None:
    with pytest.raises(DedupeError, match=r"binary file \(contains NUL bytes\)"):
        files.decode("dump.txt", b"A headline.\n" * 100_000 + b"\x00")


def test_text_from_the_api_gets_the_same_checks_and_a_lone_surrogate_is_replaced() -> None:
    assert files.from_text("a.md", "Caf\udce9 owners.") == files.Source(
        "a.md", "Caf\ufffd owners.", "markdown",
        ("a.md: text is not valid Unicode (a lone surrogate at character 3); replaced with U+FFFD",))
    with pytest.raises(files.EmptyFile, match=r"^a\.md: file is empty$"):
        files.from_text("a.md", "\u3000\n")


@pytest.mark.parametrize(("name", "reader"), [("page.md", "markdown"), ("PAGE.MARKDOWN", "markdown"),
                                              ("page.HTM", "html"), ("page.txt", "text"), ("page.rst", "text")])
def test_reader_is_chosen_by_extension_and_unknown_ones_read_as_text(name: str, reader: str) -> None:
    assert files.decode(name, b"Headlines now use sentence case.").format == reader


def test_file_at_the_size_limit_is_read_and_one_byte_over_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "rail-strike.txt", RAIL_STRIKE)
    size = path.stat().st_size
    assert files.read_source(str(path), size).text == RAIL_STRIKE
    with pytest.raises(DedupeError) as err:
        files.read_source(str(path), size - 1)
    assert str(err.value) == f"{path}: file is larger than the limit of {size - 1} bytes (max-file-bytes)"


def test_size_limit_in_whole_mebibytes_is_written_in_mebibytes(tmp_path: Path) -> None:
    path = tmp_path / "archive.txt"
    path.write_bytes(b"x" * (1024 * 1024 + 1))
    with pytest.raises(DedupeError, match=r"larger than the limit of 1 MiB \(max-file-bytes\)$"):
        files.read_source(str(path), 1024 * 1024)


def test_reading_a_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(DedupeError, match=r": is a directory$"):
        files.read_source(str(tmp_path), Settings().max_file_bytes)


def test_stdin_is_read_as_bytes_and_named_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(codecs.BOM_UTF8 + RAIL_STRIKE.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    source = files.read_source("-", Settings().max_file_bytes)
    assert (source.path, source.text, source.format) == ("<stdin>", RAIL_STRIKE, "text")


# atomic_write


def test_atomic_write_creates_missing_folders_and_writes_utf8(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "2026" / "dedupe.txt"
    files.atomic_write(target, "rail-strike.txt:4:1: caption: “Commuters queue…”\n")
    assert target.read_bytes() == "rail-strike.txt:4:1: caption: “Commuters queue…”\n".encode()
    assert os.listdir(target.parent) == ["dedupe.txt"]


def test_atomic_write_replaces_an_existing_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "dedupe-baseline.json"
    target.write_text("{" + '"old": 1, ' * 1000 + "}", encoding="utf-8")
    target.chmod(0o640)
    files.atomic_write(target, b'{"findings": []}\n')
    assert target.read_bytes() == b'{"findings": []}\n'
    assert target.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["dedupe-baseline.json"]


def test_atomic_write_gives_a_new_file_the_umask_mode_not_0600(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        files.atomic_write(tmp_path / "report.html", "<html></html>")
    finally:
        os.umask(old)
    assert (tmp_path / "report.html").stat().st_mode & 0o777 == 0o640


def test_atomic_write_that_fails_leaves_the_old_file_and_no_temp_file(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "dedupe.json"
    target.write_text('{"version": "1"}\n', encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(DedupeError) as err:
        files.atomic_write(target, '{"version": "1", "findings": []}\n')
    assert str(err.value) == f"{target}: cannot write (No space left on device)"
    assert target.read_text(encoding="utf-8") == '{"version": "1"}\n'
    assert os.listdir(tmp_path) == ["dedupe.json"]


def test_atomic_write_interrupted_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.atomic_write(tmp_path / "dedupe.txt", "1 finding (1 caption) in 1 file, 7 units checked\n")
    assert os.listdir(tmp_path) == []


def test_atomic_write_refuses_text_that_is_not_unicode_rather_than_write_raw_bytes(tmp_path: Path) -> None:
    """Outputs are UTF-8: formats quote a file name that is not (dedupe.escape), so this is a bug if it happens."""
    name = os.fsdecode(b"caf\xe9-review.txt")  # as os.walk hands it over: U+DCE9 for the byte
    with pytest.raises(UnicodeEncodeError):
        files.atomic_write(tmp_path / "dedupe.txt", f"{name}:4:1: caption\n")
    assert os.listdir(tmp_path) == []


def test_output_that_is_one_of_the_inputs_is_refused(tmp_path: Path) -> None:
    article = write(tmp_path / "rail-strike.txt", RAIL_STRIKE)
    (tmp_path / "latest.txt").symlink_to("rail-strike.txt")
    with pytest.raises(DedupeError, match=r"latest\.txt: is one of the files being checked; refusing to overwrite it$"):
        files.refuse_overwriting_input(str(tmp_path / "latest.txt"), ["-", str(article)])
    files.refuse_overwriting_input(str(tmp_path / "report.txt"), [str(article)])  # a new file is fine


def test_an_output_failing_after_the_first_is_in_place_says_which_were_written(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Every output is staged before the first is put in place; a rename that fails after that (a full
    disk on another device) cannot be undone, so the error names what was written."""
    real_replace = os.replace
    renamed: list[str] = []

    def replace_until_the_disk_is_full(src: str, dst: str) -> None:
        renamed.append(dst)
        if len(renamed) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_until_the_disk_is_full)
    outputs = [(tmp_path / "dedupe.txt", "1 finding\n"), (tmp_path / "dedupe.json", "{}\n"), (tmp_path / "x.sarif", "{}\n")]
    with pytest.raises(DedupeError, match=r"dedupe\.json: cannot write \(No space left on device\); written: .*dedupe\.txt$"):
        files.write_outputs(outputs)
    assert sorted(os.listdir(tmp_path)) == ["dedupe.txt"]  # and no temporary file left behind


def test_an_output_that_is_a_folder_or_a_socket_is_refused_and_nothing_written(tmp_path: Path) -> None:
    import socket

    (tmp_path / "reports").mkdir()
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(tmp_path / "report.sock"))
    try:
        refused = (("reports", "Is a directory"), ("report.sock", "not a regular file, character device or FIFO"))
        for target, reason in refused:
            with pytest.raises(DedupeError, match=f"{target}: cannot write \\({reason}\\); no output was written$"):
                files.write_outputs([(tmp_path / "a.json", "{}\n"), (tmp_path / target, "{}\n")])
    finally:
        listener.close()
    assert sorted(os.listdir(tmp_path)) == ["report.sock", "reports"]
