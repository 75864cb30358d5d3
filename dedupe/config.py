"""Configuration: ``[tool.dedupe]`` in pyproject.toml or ``.dedupe.toml`` + CLI overrides -> Settings.

The only place option names, types and ranges are checked. The file is found from the
working directory upward (the first pyproject.toml with a ``[tool.dedupe]`` table, or
the first ``.dedupe.toml``). Keys mirror the CLI option names, with dashes or
underscores; the command line overrides the file. Every error names the file and key.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from dedupe import memory
from dedupe.model import ALLOW_REGEX_PREFIX, KINDS, OFF, SEVERITIES, DedupeError, Settings

CONFIG_NAMES = (".dedupe.toml", "pyproject.toml")

# key -> (type, check, description of a valid value)
_NUMBER_RULES: dict[str, tuple[type, float, float]] = {
    "threshold": (float, 0.0, 1.0),
    "word_threshold": (float, 0.0, 1.0),
    "document_threshold": (float, 0.0, 1.0),
    "shingle": (int, 1, 10),
    "num_perm": (int, 16, 1024),
    "seed": (int, 0, 2**31 - 1),
    "min_words": (int, 1, 1000),
    "boilerplate_min": (int, 2, 1_000_000),
    "max_file_bytes": (int, 1, 2**40),
    "jobs": (int, 0, 256),
    "min_run": (int, 3, 1000),
    "run_max_articles": (int, 2, 1_000_000),
    "echo_min_words": (int, 2, 1000),
    "echo_max_articles": (int, 1, 1_000_000),
}
_CHOICES: dict[str, tuple[str, ...]] = {"scope": ("article", "repo"), "fail_on": SEVERITIES}
_GLOBS = ("include", "exclude")
# The command line caches per-file results unless told not to; the API does not.
CLI_DEFAULTS = Settings(cache=True)
KNOWN_KEYS = frozenset(f.name for f in fields(Settings))


def find_config(start: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The nearest config file from ``start`` upward and its dedupe table, if any."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            path = folder / name
            if not path.is_file():
                continue
            table = load_table(path)
            if table is not None:
                return path, table
    return None


def load_table(path: Path) -> dict[str, Any] | None:
    """The dedupe settings table of a config file; None for a pyproject.toml without one."""
    if sys.version_info >= (3, 11):  # imported here: most runs find no config file (tomllib: 6 ms)
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise DedupeError(f"{path}: cannot read config ({err.strerror or err})") from None
    except UnicodeDecodeError:
        raise DedupeError(f"{path}: config is not valid UTF-8") from None
    except tomllib.TOMLDecodeError as err:
        raise DedupeError(f"{path}: invalid TOML: {err}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("dedupe") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise DedupeError(f"{path}: [tool.dedupe] must be a table")
        return table
    tool = data.get("tool")
    table = tool.get("dedupe") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else data


def _where(path: Path | None) -> str:
    if path is None:
        return "option"
    return f"{path}: [tool.dedupe]" if path.name == "pyproject.toml" else f"{path}:"


def validate(raw: Mapping[str, Any], origin: Path | None = None, base: Settings | None = None,
             *, flags: bool = False) -> Settings:
    """Settings from a mapping of option values, checked key by key. With ``flags`` the
    values came from the command line, and errors name them as typed: ``--min-words``."""
    where = _where(origin)
    values: dict[str, Any] = {}
    for raw_key, value in raw.items():
        key = raw_key.replace("-", "_")
        if key not in KNOWN_KEYS:
            known = ", ".join(sorted(k.replace("_", "-") for k in KNOWN_KEYS))
            raise DedupeError(f"{where} unknown key {raw_key!r} (known keys: {known})")
        values[key] = _checked(where, f"--{key.replace('_', '-')}" if flags else raw_key, key, value)
    return replace(base or Settings(), **values)


def _checked(where: str, raw_key: str, key: str, value: Any) -> Any:
    if key in _NUMBER_RULES:
        kind, low, high = _NUMBER_RULES[key]
        ok_type = isinstance(value, (int, float)) if kind is float else isinstance(value, int)
        if isinstance(value, bool) or not ok_type:
            raise DedupeError(f"{where} {raw_key} must be {'a number' if kind is float else 'an integer'}, "
                              f"got {value!r}")
        if not low <= value <= high:
            low_s, high_s = (f"{low:g}", f"{high:g}") if kind is float else (str(low), str(high))
            raise DedupeError(f"{where} {raw_key} must be between {low_s} and {high_s}, got {value!r}")
        return kind(value)
    if key in _CHOICES:
        if value not in _CHOICES[key]:
            raise DedupeError(f"{where} {raw_key} must be one of {', '.join(_CHOICES[key])}, got {value!r}")
        return value
    if key in _GLOBS:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise DedupeError(f"{where} {raw_key} must be a list of glob strings, got {value!r}")
        return tuple(value)
    if key == "allow":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
            raise DedupeError(f"{where} {raw_key} must be a list of sentences or \"re:PATTERN\" strings, "
                              f"got {value!r}")
        for entry in value:
            if entry.startswith(ALLOW_REGEX_PREFIX):
                try:
                    re.compile(entry[len(ALLOW_REGEX_PREFIX) :])
                except re.error as err:
                    raise DedupeError(f"{where} {raw_key}: invalid regular expression {entry!r}: {err}") from None
        return tuple(value)
    if key in ("cache", "phrases"):
        if not isinstance(value, bool):
            raise DedupeError(f"{where} {raw_key} must be true or false, got {value!r}")
        return value
    if key == "cache_dir":
        if not isinstance(value, str) or not value:
            raise DedupeError(f"{where} {raw_key} must be a folder path, got {value!r}")
        return value
    if key == "max_memory":
        return memory.checked_size(where, raw_key, value)
    if key == "index":
        if not isinstance(value, str) or not value:
            raise DedupeError(f"{where} {raw_key} must be a folder path or a redis://host:port/db URL, got {value!r}")
        return value
    if key == "severity":
        if not isinstance(value, dict):
            raise DedupeError(f"{where} severity must be a table of kind = level, got {value!r}")
        merged = dict(Settings().severity)
        for kind, level in value.items():
            if kind not in KINDS:
                raise DedupeError(f"{where} severity: unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
            if level not in SEVERITIES + (OFF,):
                raise DedupeError(f"{where} severity.{kind} must be one of {', '.join(SEVERITIES + (OFF,))}, "
                                  f"got {level!r}")
            merged[kind] = level
        return merged
    raise DedupeError(f"{where} {raw_key} cannot be set here")  # pragma: no cover - every field is covered


def load(config_file: str | None = None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Settings from the given or discovered config file, then CLI overrides on top."""
    settings = CLI_DEFAULTS
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise DedupeError(f"{path}: config file not found")
        table = load_table(path)
        if table is None:
            raise DedupeError(f"{path}: has no [tool.dedupe] table")
        settings = validate(table, path, settings)
    else:
        found = find_config()
        if found:
            settings = validate(found[1], found[0], settings)
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    return validate(given, None, settings, flags=True) if given else settings
