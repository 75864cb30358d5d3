"""Baseline: accept the findings a repository has today and report only new ones.

``dedupe baseline PATH... -o .dedupe-baseline.json`` records every unsuppressed
finding by its content fingerprint (``Finding.fingerprint``: the kind and the
normalised text, no paths or line numbers, so moving a paragraph keeps it) with the
number of occurrences it had. ``dedupe check --baseline FILE`` then drops a finding
whose fingerprint is in the file with at least as many occurrences; one more copy of
a baselined sentence makes the finding new again, and it is reported with all its
occurrences. Entries no longer found, or found fewer times, are stale: the CLI lists
them so the file can be tightened by writing it again. The file is JSON sorted by fingerprint, one entry per finding, written
atomically, so that a refresh shows as a small diff.

    {"version": 2, "findings": [
      {"fingerprint": "5d0c…", "kind": "caption", "occurrences": 2, "text": "Commuters queue…"}]}

``text`` is the first occurrence's text, for the person reading the diff; only the
fingerprint and the count are compared.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dedupe import files
from dedupe.escape import quote_path
from dedupe.model import KINDS, DedupeError, Finding, Result

BASELINE_VERSION = 2
# Version 1 files (findings grouped by pair) hold the same fingerprints (kind and
# normalised text): an unchanged finding still matches; a pair now grouped with more
# places is new and its old entry stale, which `dedupe baseline` rewrites.
READABLE_VERSIONS = (1, 2)
DEFAULT_PATH = ".dedupe-baseline.json"
TEXT_CHARS = 120  # of the first occurrence, kept for people reading the file


@dataclass(frozen=True, slots=True)
class Entry:
    """One baselined finding: its fingerprint and how many occurrences it had."""

    fingerprint: str
    kind: str
    occurrences: int
    text: str = ""


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= TEXT_CHARS else flat[: TEXT_CHARS - 1] + "…"


def entries(findings: tuple[Finding, ...] | list[Finding]) -> dict[str, Entry]:
    """Unsuppressed findings by fingerprint; findings sharing one add up their occurrences."""
    out: dict[str, Entry] = {}
    for f in findings:
        if f.suppressed:
            continue
        seen = out.get(f.fingerprint)
        count = len(f.occurrences) + (seen.occurrences if seen else 0)
        out[f.fingerprint] = Entry(f.fingerprint, f.kind, count, seen.text if seen else _short(f.occurrences[0].text))
    return out


def dumps(result: Result) -> str:
    """The baseline file's text for a result: sorted, stable, one entry per line group."""
    rows = [
        {"fingerprint": e.fingerprint, "kind": e.kind, "occurrences": e.occurrences, "text": e.text}
        for e in sorted(entries(result.findings).values(), key=lambda e: e.fingerprint)
    ]
    import json  # only a baseline reads or writes JSON; the CLI imports this module on every run

    return json.dumps({"version": BASELINE_VERSION, "findings": rows}, ensure_ascii=False, indent=2) + "\n"


def save(path: str, result: Result) -> int:
    """Write the baseline of ``result`` to ``path`` atomically; return the number of entries."""
    text = dumps(result)
    files.atomic_write(path, text)
    return len(entries(result.findings))


def load(path: str) -> dict[str, Entry]:
    """A baseline file's entries by fingerprint; any problem is a DedupeError naming the file."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block the read for ever
            raise OSError(errno.EINVAL, "not a regular file")
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DedupeError(f"{quote_path(path)}: baseline file not found (write one with `dedupe baseline`)") from None
    except (OSError, UnicodeDecodeError) as err:
        raise DedupeError(f"{quote_path(path)}: cannot read baseline ({getattr(err, 'strerror', None) or err})") from None
    import json

    try:
        data: Any = json.loads(raw)
    except json.JSONDecodeError as err:
        raise DedupeError(f"{quote_path(path)}: baseline is not valid JSON ({err})") from None
    except RecursionError:  # [[[[...]]]]: the decoder recurses once per level
        raise DedupeError(f"{quote_path(path)}: baseline is not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise DedupeError(f"{quote_path(path)}: not a dedupe baseline (a version and a findings list)")
    if data.get("version") not in READABLE_VERSIONS:
        raise DedupeError(f"{quote_path(path)}: baseline version {data.get('version')!r} is not one this dedupe reads "
                          f"({', '.join(map(str, READABLE_VERSIONS))}); write it again with `dedupe baseline`")
    out: dict[str, Entry] = {}
    for n, row in enumerate(data["findings"], 1):
        try:
            fp, kind, count = row["fingerprint"], row["kind"], row["occurrences"]
            ok = isinstance(fp, str) and kind in KINDS and isinstance(count, int) and count > 0
        except (TypeError, KeyError):
            ok = False
        if not ok:
            raise DedupeError(f"{quote_path(path)}: baseline entry {n} needs fingerprint, kind and occurrences")
        out[fp] = Entry(fp, kind, count, str(row.get("text", "")))
    return out


@dataclass(frozen=True, slots=True)
class Subtracted:
    """A result without its baselined findings, with what the baseline accounted for."""

    result: Result
    baselined: int  # findings left out because the baseline has them
    stale: tuple[Entry, ...]  # baseline entries no longer found, or found fewer times


def subtract(result: Result, baseline: dict[str, Entry]) -> Subtracted:
    """Leave out findings the baseline covers; a fingerprint whose occurrences grew is new.

    Suppressed findings stay (they are counted in summaries, never dropped silently).
    """
    now = entries(result.findings)
    covered = {fp for fp, e in now.items() if fp in baseline and e.occurrences <= baseline[fp].occurrences}
    kept = tuple(f for f in result.findings if f.suppressed or f.fingerprint not in covered)
    stale = tuple(e for fp, e in sorted(baseline.items()) if fp not in now or now[fp].occurrences < e.occurrences)
    return Subtracted(replace(result, findings=kept), len(result.findings) - len(kept), stale)
