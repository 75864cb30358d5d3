"""Command line: parse options, load Settings, run the pipeline, format, set the exit code.

Nothing else happens here: no detection logic, no formatting logic.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable
from datetime import datetime
from enum import IntEnum
from typing import Any, TypeVar

import click

from dedupe import __version__, changed, config, escape, files, formats, replay
from dedupe import baseline as baselines
from dedupe.model import SEVERITIES, DedupeError, InternalError, Result, Settings

F = TypeVar("F", bound=Callable[..., Any])
MAX_STALE_SHOWN = 20  # stale baseline entries listed on stderr
REPORT_PATH = "dedupe-report.html"


class Exit(IntEnum):
    """Exit statuses: CI scripts branch on these."""

    OK = 0  # nothing that fails
    FINDINGS = 1  # findings at or above the fail level
    ERROR = 2  # usage, input or config error
    INTERNAL = 3  # a bug: never mistaken for findings
    INTERRUPTED = 130
    BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader of stdout went away (`dedupe check | head`)


BUG_HINT = ("this is a bug in dedupe: please report it with the input that caused it "
            "(run again with --debug or DEDUPE_DEBUG=1 for the traceback)")


EPILOG = """\b
Examples:
  dedupe check article.txt                 one draft before publishing
  dedupe check content/ --format json -o dedupe.json
  dedupe check docs/ --scope article       repeats inside each page only
  cat draft.md | dedupe check -            read stdin (as plain text)
  dedupe report content/ -o report.html    HTML report to read in a browser
  dedupe check content/ --format github --sarif dedupe.sarif   in GitHub Actions
  dedupe baseline content/                 accept today's findings (.dedupe-baseline.json)
  dedupe check content/ --baseline .dedupe-baseline.json       then report only new ones
  dedupe check --changed .                 only findings touching files changed on this branch
  dedupe check draft.md --against .dedupe-index      also what the published archive already has
\b
With no PATHS, the current folder is checked.
Exit status: 0 nothing that fails, 1 findings that fail, 2 usage or input error, 3 internal error (a bug).
Config: [tool.dedupe] in pyproject.toml or .dedupe.toml, searched upward.
"""


def say(line: str) -> None:
    """One line on stderr, control characters escaped: messages quote file names and
    config values, and a terminal must not act on an escape sequence inside them."""
    shown = escape.controls(line)
    if replay.CURRENT is not None:
        replay.CURRENT.said.append(shown)
    click.echo(shown, err=True)


def fail(message: str) -> None:
    """Print one error line and exit 2."""
    say(f"dedupe: error: {message}")
    sys.exit(Exit.ERROR)


def debugging(flag: bool) -> bool:
    return flag or os.environ.get("DEDUPE_DEBUG", "") not in ("", "0")


def internal_error(err: Exception, paths: tuple[str, ...], debug: bool) -> None:
    """A bug: one line naming the input and asking for a report, exit 3; the
    traceback above it only when asked for (--debug, DEDUPE_DEBUG=1)."""
    if debug:
        import traceback

        traceback.print_exception(type(err), err, err.__traceback__)
    if isinstance(err, InternalError):
        where, what = f"reading {escape.quote_path(err.path)}", err.detail
    else:
        where = f"checking {' '.join(map(escape.quote_path, paths or ('.',)))}"
        what = f"{type(err).__name__}: {err}"
    say(f"dedupe: internal error while {where}: {what}; {BUG_HINT}")
    sys.exit(Exit.INTERNAL)


def user_errors(func: F) -> F:
    """Turn DedupeError into one line on stderr and exit 2; Ctrl-C into 130; any other
    exception (a bug) into one line and exit 3, so that a crash in CI never reads as findings."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = debugging(kwargs.pop("debug", False))
        replay.CURRENT = None  # a check being recorded sets it (check), and nothing else records
        try:
            return func(*args, **kwargs)
        except DedupeError as err:
            fail(str(err))
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own: usage errors exit 2 the way click shows them
        except KeyboardInterrupt:
            say("dedupe: interrupted")
            sys.exit(Exit.INTERRUPTED)
        except BrokenPipeError:
            # Nothing more can be shown; point stdout at nothing so the exit does not fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(Exit.BROKEN_PIPE)
        except Exception as err:  # noqa: BLE001  # a bug: reported as one, never as findings
            internal_error(err, tuple(kwargs.get("paths", ())), debug)
        finally:
            replay.CURRENT = None

    return wrapper  # type: ignore[return-value]


def use_color(stream: Any, choice: bool | None) -> bool:
    """Colour on a terminal unless NO_COLOR is set; --color/--no-color decide otherwise."""
    if choice is not None:
        return choice
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def show_progress(quiet: bool) -> bool:
    """Progress only for a person watching: stderr is a terminal and this is not CI."""
    return not quiet and sys.stderr.isatty() and not os.environ.get("CI")


class _Progress:
    """A click progress bar on stderr, started on the first report."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if total < 50:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def common_options(func: F) -> F:
    """Options shared by the commands that run a check."""
    options = [
        click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file to use "
                     "instead of searching for pyproject.toml / .dedupe.toml."),
        click.option("--threshold", type=float, help="Exact Jaccard of word shingles a near-duplicate must reach "
                     "(0-1)..."),
        click.option("--word-threshold", type=float, help="... or of content-word sets (0-1; 0 turns this off)."),
        click.option("--min-words", type=int, help="Units with fewer words are not checked."),
        click.option("--shingle", type=int, help="Words per shingle."),
        click.option("--min-run", type=int, help="Words a quote or clause reused inside a longer sentence must "
                     "share to be reported (default 8)."),
        click.option("--run-max-articles", type=int, help="A shared run found in more articles than this is a "
                     "stock phrase (default 5)."),
        click.option("--echo-min-words", type=int, help="Words an echo's phrase has at least (default 5; quotes "
                     "and a number with its noun may be shorter)."),
        click.option("--echo-max-articles", type=int, help="An echo's phrase is in at most this many articles "
                     "of the checked set (default 1: in no other)."),
        click.option("--scope", type=click.Choice(["article", "repo"]),
                     help="Compare within each article only, or across the whole repo (default)."),
        click.option("--include", multiple=True, help="Glob of files to check in folders (repeatable)."),
        click.option("--exclude", multiple=True, help="Glob of files to skip in folders (repeatable)."),
        click.option("--jobs", "-j", type=int, help="Processes that read and segment, this one included (0 = automatic)."),
        click.option("--max-memory", "max_memory", metavar="SIZE",
                     help="Memory the run may hold, all its processes together (2G, 512M; default: 80% of what is "
                          "free). Past it, the shared-run search waits for the comparison instead of running beside "
                          "it; past it even so, the comparison's arrays go to memory-mapped files."),
        click.option("--quiet", "-q", is_flag=True, help="No progress and no warnings on stderr."),
        click.option("--cache/--no-cache", "cache", default=None,
                     help="Reuse what earlier runs saved: per-file results, and a check's whole output when nothing "
                          "it read has changed (default: on)."),
        click.option("--cache-dir", type=click.Path(file_okay=False),
                     help="Folder of the cache (default: .dedupe-cache)."),
        click.option("--debug", is_flag=True, help="On an internal error, show the traceback (also DEDUPE_DEBUG=1)."),
        click.argument("paths", nargs=-1, type=str),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def inputs(paths: tuple[str, ...]) -> tuple[str, ...]:
    """The paths to check: the current folder when none is given, as ruff and codespell do."""
    return paths or (".",)


def load_settings(config_file: str | None, **overrides: Any) -> Settings:
    given = {k: v for k, v in overrides.items() if v not in (None, ())}
    return config.load(config_file, given)


def run_check(paths: tuple[str, ...], settings: Settings, quiet: bool, against: str | None = None,
              only: frozenset[str] | None = None) -> Result:
    """The run; with ``only`` (real paths), findings not touching them are dropped before
    their places are dated (which asks git, once a place)."""
    from dedupe import pipeline

    progress = _Progress("Checking") if show_progress(quiet) else None
    try:
        taken = replay.CURRENT  # a check being recorded has walked its paths already
        result = pipeline.check(paths, settings=settings, progress=progress, against=against,
                                keep=changed.touches(only) if only is not None else None,
                                walked=taken.take_walk() if taken is not None and taken.walk[0] == paths else None)
    finally:
        if progress:
            progress.close()
    if not quiet:
        for warning in result.warnings:
            say(f"dedupe: warning: {warning}")
    return result


def emit(outputs: list[tuple[str | None, str]]) -> None:
    """Write (path, text) outputs: every file or none (files.write_outputs), then what
    goes to stdout (no path, or -)."""
    files.write_outputs([(path, text) for path, text in outputs if path and path != "-"])
    for path, text in outputs:
        if not path or path == "-":
            # color=True: the formatter already chose (use_color); click would strip ANSI off a pipe
            click.echo(text, nl=False, color=True)


def note(message: str, quiet: bool) -> None:
    """A line about the run (not a finding) on stderr, unless --quiet."""
    if not quiet:
        say(f"dedupe: {message}")


def only_changed(result: Result, found: changed.Changes, quiet: bool) -> Result:
    """--changed: the findings touching a changed file."""
    among = sum(1 for d in result.documents if os.path.realpath(d.path) in found.paths)
    note(f"--changed: {among} of {len(result.documents)} checked files changed since {found.base} "
         f"(merge base {found.merge_base[:12]}); reporting findings that touch them", quiet)
    return changed.touching(result, found.paths)


def only_touching(paths: tuple[str, ...], repo: str, settings: Settings, quiet: bool,
                  against: str | None) -> Result:
    """--touching: the whole repository checked (PATHS outside it as well), the findings
    with a place in one of PATHS kept. A sentence a staged article copies from an article
    committed long ago is found; a repeat between two untouched articles is not shown."""
    if not paths:
        raise click.UsageError("--touching needs the files to report on (PATHS)")
    if files.STDIN_NAME in paths:
        raise click.UsageError("--touching reads files, not stdin")
    top = os.path.realpath(repo)
    wanted = changed.real_paths(paths)
    outside = [p for p, real in zip(paths, wanted) if not changed.within(real, top)]
    result = run_check((repo, *outside), settings, quiet, against, frozenset(wanted))
    note(f"--touching: reporting findings that touch {len(paths)} of the {len(result.documents)} files "
         f"checked", quiet)
    return changed.touching(result, frozenset(wanted))


def without_baseline(result: Result, path: str, entries: dict[str, baselines.Entry], quiet: bool) -> Result:
    """--baseline: the findings the baseline does not cover; stale entries listed."""
    sub = baselines.subtract(result, entries)
    note(f"{sub.baselined} finding{'s' if sub.baselined != 1 else ''} in the baseline {path} not reported", quiet)
    if sub.stale:
        note(f"{len(sub.stale)} stale baseline entr{'ies' if len(sub.stale) != 1 else 'y'} (fixed, or fewer "
             f"copies now; run `dedupe baseline` to refresh {path}):", quiet)
        for e in sub.stale[:MAX_STALE_SHOWN]:
            note(f'  {e.kind} x{e.occurrences} {e.fingerprint[:12]} "{e.text}"', quiet)
        if len(sub.stale) > MAX_STALE_SHOWN:
            note(f"  +{len(sub.stale) - MAX_STALE_SHOWN} more", quiet)
    return sub.result


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.version_option(__version__, prog_name="dedupe")
def cli() -> None:
    """Find repeated and near-duplicate sentences, captions and articles."""


@cli.command(epilog=EPILOG)
@common_options
@click.option("--format", "-f", "fmt", type=click.Choice(sorted(formats.FORMATS)), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the output to a file.")
@click.option("--sarif", "sarif_file", type=click.Path(dir_okay=False),
              help="Also write SARIF 2.1.0 to this file (for code scanning).")
@click.option("--json", "json_file", type=click.Path(dir_okay=False), help="Also write JSON to this file.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False),
              help="Also write the HTML report to this file (see `dedupe report`).")
@click.option("--all-articles", is_flag=True,
              help="In the HTML report, show every article, not only those with findings.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal).")
@click.option("--fail-on", type=click.Choice(SEVERITIES),
              help="Lowest severity that fails the run (exit 1); default error.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Report only findings not in this baseline file (see `dedupe baseline`).")
@click.option("--changed", "changed_only", is_flag=True,
              help="Report only findings touching files changed since the git base (all PATHS are still compared).")
@click.option("--base", help="Git ref for --changed (default: the merge base with the default branch).")
@click.option("--touching", is_flag=True,
              help="Compare PATHS with the whole repository (--repo, cached) and report only findings touching "
                   "PATHS: what a pre-commit hook wants.")
@click.option("--repo", "repo", type=click.Path(file_okay=False), help="The repository --touching compares PATHS "
              "with (default: the current folder).")
@click.option("--against", metavar="TARGET",
              help="Also look the articles up in this archive index (a folder such as .dedupe-index, or "
                   "redis://host:port/db; see `dedupe index`): matches are `archive` findings.")
@user_errors
def check(paths: tuple[str, ...], config_file: str | None, fmt: str, output: str | None, sarif_file: str | None,
          json_file: str | None, html_file: str | None, all_articles: bool, color: bool | None,
          baseline_file: str | None, changed_only: bool, base: str | None, touching: bool, repo: str | None,
          against: str | None, quiet: bool, **overrides: Any) -> None:
    """Check PATHS (files, folders, or - for stdin) for repeats.

    Reports sentences and captions repeated inside an article, near-duplicate
    sentences, sentences repeated across articles, boilerplate shared by many
    articles, and whole articles that are near-copies. --sarif, --json and --html write
    more outputs from the same run, next to the one chosen with --format.
    """
    if base and not changed_only:
        raise click.UsageError("--base only makes sense with --changed")
    if repo and not touching:
        raise click.UsageError("--repo only makes sense with --touching")
    settings = load_settings(config_file, **overrides)
    replayable = not (changed_only or touching or against or html_file or fmt == "html")
    replay.CURRENT = recording(paths, settings, config_file, baseline_file) if replayable else None
    entries = baselines.load(baseline_file) if baseline_file else None
    found = changed.changes(base) if changed_only else None
    if touching:
        result = only_touching(paths, repo or ".", settings, quiet, against)
    else:
        result = run_check(inputs(paths), settings, quiet, against, found.paths if found is not None else None)
    if found is not None:
        result = only_changed(result, found, quiet)
    if entries is not None and baseline_file:
        result = without_baseline(result, baseline_file, entries, quiet)
    outputs = [(fmt, output)] + [(name, path) for name, path in (("sarif", sarif_file), ("json", json_file),
                                                                 ("html", html_file)) if path]
    for _, path in outputs:
        if path and path != "-":
            files.refuse_overwriting_input(path, [d.path for d in result.documents])
    rendered: list[tuple[str | None, str]] = []
    for name, path in outputs:
        options: dict[str, Any] = {}
        if name == "text":
            options["color"] = use_color(sys.stdout, color) if not path else False
        if name == "html":
            options = html_options(inputs(paths), all_articles)
        rendered.append((path, formats.get(name)(result, **options)))
    emit(rendered)
    if html_file and html_file != "-":
        note(f"wrote the report to {escape.quote_path(html_file)}", quiet)
    elif fmt == "html" and output and output != "-":
        note(f"wrote the report to {escape.quote_path(output)}", quiet)
    status = Exit.FINDINGS if result.failing() else Exit.OK
    if replay.CURRENT is not None and not result.run_warnings:
        replay.CURRENT.record(rendered, status)
    sys.exit(status)


def recording(paths: tuple[str, ...], settings: Settings, config_file: str | None,
              baseline_file: str | None) -> replay.Recording | None:
    """What this check reads, stamped before it runs, when the console entry point ran it
    and a replay could stand in for it next time (replay.py): not stdin, not with git
    pointed elsewhere (GIT_DIR, GIT_WORK_TREE), a cache in the folder the command line names."""
    folder = replay.cache_folder(replay.ARGV[1:]) if replay.ARGV else None
    given = inputs(paths)
    if (folder is None or not settings.cache or os.path.abspath(folder) != os.path.abspath(settings.cache_dir)
            or files.STDIN_NAME in given or os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE")):
        return None
    try:
        return replay.Recording(replay.ARGV or [], folder, given, settings.include, settings.exclude,
                                replay.config_candidates(config_file) + ([baseline_file] if baseline_file else []))
    except DedupeError:
        return None  # the run says why


@cli.command("baseline", epilog=EPILOG)
@common_options
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=baselines.DEFAULT_PATH,
              show_default=True, help="Baseline file to write.")
@user_errors
def baseline_command(paths: tuple[str, ...], config_file: str | None, output: str, quiet: bool,
                     **overrides: Any) -> None:
    """Record the findings in PATHS as accepted, by content, in a baseline file.

    `dedupe check --baseline FILE` then reports only findings that are new: not in
    the file, or with more occurrences than it recorded. Entries are keyed by a
    fingerprint of the text, not by line, so moving a paragraph keeps them.
    """
    settings = load_settings(config_file, **overrides)
    result = run_check(inputs(paths), settings, quiet)
    files.refuse_overwriting_input(output, [d.path for d in result.documents])
    count = baselines.save(output, result)
    note(f"wrote {count} finding{'s' if count != 1 else ''} to {escape.quote_path(output)}", quiet)


def html_options(paths: tuple[str, ...], all_articles: bool) -> dict[str, Any]:
    """What the HTML report says about the run: the inputs and when it ran."""
    return {"inputs": paths, "all_articles": all_articles,
            "generated": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()}


@cli.command("report", epilog=EPILOG)
@common_options
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=REPORT_PATH, show_default=True,
              help="Report file to write (- for stdout).")
@click.option("--all-articles", is_flag=True, help="Show every article, not only those with findings.")
@click.option("--against", metavar="TARGET", help="Also look the articles up in this archive index (see check).")
@user_errors
def report(paths: tuple[str, ...], config_file: str | None, output: str, all_articles: bool, against: str | None,
           quiet: bool, **overrides: Any) -> None:
    """Write an HTML report of PATHS to read in a browser.

    One self-contained file: the articles with findings ranked by how much of their
    text is repeated, each article with every repeat highlighted in place, the findings
    index, side by side for any match, and triage marks that download as a baseline
    file. Exit status 0 once the report
    is written, whatever it found (use `dedupe check --html FILE` to also fail on
    findings), 2 on a usage, input or config error.
    """
    settings = load_settings(config_file, **overrides)
    result = run_check(inputs(paths), settings, quiet, against)
    if output != "-":
        files.refuse_overwriting_input(output, [d.path for d in result.documents])
    emit([(output, formats.get("html")(result, **html_options(inputs(paths), all_articles)))])
    if output != "-":
        total = sum(result.counts().values())
        note(f"wrote the report to {escape.quote_path(output)} ({total} finding{'s' if total != 1 else ''} in "
             f"{len(result.documents)} file{'s' if len(result.documents) != 1 else ''})", quiet)


INDEX_EPILOG = """\b
Examples:
  dedupe index build archive/              index everything published (once)
  dedupe index add archive/2026/11/        then new and changed articles only
  dedupe index remove archive/old.md       an article taken down
  dedupe check draft.md --against .dedupe-index      before publishing
  dedupe index build archive/ --index redis://ci-redis:6379/0   one index shared by CI runners
\b
Exit status: 0 done, 2 usage, input or index error.
"""


def index_options(func: F) -> F:
    options = [
        click.option("--index", "target", metavar="TARGET",
                     help="The index: a folder (default .dedupe-index, or `index` in [tool.dedupe]) or "
                          "redis://host:port/db."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False),
                     help="Config file to use instead of searching for pyproject.toml / .dedupe.toml."),
        click.option("--quiet", "-q", is_flag=True, help="No progress and no warnings on stderr."),
        click.option("--debug", is_flag=True, help="On an internal error, show the traceback (also DEDUPE_DEBUG=1)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def open_index(config_file: str | None, target: str | None) -> tuple[Settings, Any]:
    from dedupe import index

    settings = load_settings(config_file)
    return settings, index.open_store(target or settings.index, settings)


@cli.group("index", epilog=INDEX_EPILOG)
def index_group() -> None:
    """Keep an index of the published archive, to check drafts against it.

    Articles are stored by path with their content hash: `add` signs only new and
    changed ones. Settings that change signatures (shingle, num_perm, seed, thresholds,
    min_words) come from the config; an index built with others is refused.
    """


def _index_update(paths: tuple[str, ...], config_file: str | None, target: str | None, quiet: bool,
                  rebuild: bool) -> None:
    from dedupe import archive

    settings, store = open_index(config_file, target)
    progress = _Progress("Indexing") if show_progress(quiet) else None
    try:
        done = archive.update(store, paths, settings, rebuild=rebuild, progress=progress)
        counts = store.counts()
    finally:
        store.close()
        if progress:
            progress.close()
    if not quiet:
        for warning in done.warnings:
            say(f"dedupe: warning: {warning}")
    note(f"{store.target}: {done.added} article{'s' if done.added != 1 else ''} indexed, {done.unchanged} "
         f"unchanged; {counts['documents']} in the index", quiet)


@index_group.command("build", epilog=INDEX_EPILOG)
@index_options
@click.argument("paths", nargs=-1, required=True)
@user_errors
def index_build(paths: tuple[str, ...], target: str | None, config_file: str | None, quiet: bool) -> None:
    """Make the index anew from the articles in PATHS (files or folders)."""
    _index_update(paths, config_file, target, quiet, rebuild=True)


@index_group.command("add", epilog=INDEX_EPILOG)
@index_options
@click.argument("paths", nargs=-1, required=True)
@user_errors
def index_add(paths: tuple[str, ...], target: str | None, config_file: str | None, quiet: bool) -> None:
    """Add new articles in PATHS and replace changed ones; unchanged ones are skipped."""
    _index_update(paths, config_file, target, quiet, rebuild=False)


@index_group.command("remove", epilog=INDEX_EPILOG)
@index_options
@click.argument("paths", nargs=-1, required=True)
@user_errors
def index_remove(paths: tuple[str, ...], target: str | None, config_file: str | None, quiet: bool) -> None:
    """Remove the articles stored at PATHS, or inside those folders (the files need not exist)."""
    from dedupe import archive

    settings, store = open_index(config_file, target)
    try:
        done = archive.remove(store, paths, settings)
        counts = store.counts()
    finally:
        store.close()
    note(f"{store.target}: {done.removed} article{'s' if done.removed != 1 else ''} removed; "
         f"{counts['documents']} in the index", quiet)


@index_group.command("info", epilog=INDEX_EPILOG)
@index_options
@user_errors
def index_info(target: str | None, config_file: str | None, quiet: bool) -> None:
    """Print the index's size, article count, settings and the dedupe that built it."""
    from dedupe import index

    settings, store = open_index(config_file, target)
    try:
        meta = store.meta()
        counts = store.counts()
    finally:
        store.close()
    click.echo(f"index: {store.target}")
    click.echo(f"articles: {counts['documents']}")
    click.echo(f"units: {counts['units']} ({counts['keys']} distinct texts)")
    click.echo(f"size: {counts['bytes']:,} bytes")
    if meta is None:
        click.echo("empty: build it with `dedupe index build PATH...`")
        return
    click.echo(f"built by: dedupe {meta.get('tool', '?')} (index format {meta.get('format', '?')})")
    click.echo("settings: " + ", ".join(f"{k}={v}" for k, v in sorted(meta.get("settings", {}).items())))
    try:
        index.check_meta(store.target, meta, index.index_meta(settings))
        click.echo("usable with the current settings: yes")
    except DedupeError as err:
        click.echo(f"usable with the current settings: no ({err})")


def main() -> None:
    """Console-script entry point.

    OpenBLAS, loaded with numpy, starts a thread per core at import, which costs a
    check of one draft about 0.05 s of CPU; dedupe does no linear algebra, so the
    command runs with one (unless the caller set the variable). dedupe.cli does not
    import numpy, so this comes before it is loaded.

    Whatever the run made is frozen on the way out: the interpreter's last garbage
    collection would otherwise walk every object it still holds (a warm BBC run's
    2,225 documents and 800 findings, the modules), about 9 ms of a 0.14 s run, to
    free memory the process is giving back anyway."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        cli(prog_name="dedupe")
    finally:
        gc.freeze()
