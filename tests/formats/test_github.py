"""GitHub workflow-command output, parsed back as the runner would."""

from __future__ import annotations

import re

from newsroom import ARTICLES, CAPTION

import dedupe
from dedupe.formats import github

COMMAND = re.compile(r"^::(error|warning|notice) (.*?)::(.*)$")


def unescape(text: str) -> str:
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def parse(output: str) -> tuple[list[tuple[str, dict[str, str], str]], list[str]]:
    """(level, properties, message) per annotation, and the other lines."""
    annotations, other = [], []
    for line in output.splitlines():
        m = COMMAND.match(line)
        if not m:
            other.append(line)
            continue
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        annotations.append((m.group(1), {k: unescape(v) for k, v in props.items()}, unescape(m.group(3))))
    return annotations, other


def test_annotations_parse_back_to_the_findings() -> None:
    result = dedupe.check(texts=ARTICLES)
    annotations, other = parse(github.render(result))
    assert [(level, p["file"], p["line"], p["col"], p["endLine"], p["endColumn"], p["title"])
            for level, p, _ in annotations] == [
        ("warning", "news/budget.txt", "7", "1", "7", "111", "dedupe cross"),
        ("error", "news/strike.txt", "3", "1", "3", "91", "dedupe caption"),
    ]
    assert annotations[1][2] == ('"Commuters queue outside Leeds station on Monday morning (Photo: Jane…" '
                                 "also at news/strike.txt:9:1 (similarity 1.00)")
    assert other == ["dedupe: 2 findings (1 caption, 1 cross) in 4 files, 17 units checked"]


def test_info_is_a_notice_and_suppressed_findings_are_only_counted() -> None:
    footer = "Comments are moderated and may take up to 24 hours to appear on the site."
    stories = ["The river rose two metres overnight and the ring road was closed at dawn.",
               "Councillors approved a new cycle lane along the high street after a long debate.",
               "The hospital car park will charge visitors from April, the trust confirmed."]
    texts = {f"n{i}.txt": f"{story}\n\n{footer}\n" for i, story in enumerate(stories)}
    texts["a.txt"] = f"{CAPTION}\n\nWords in between that make a sentence here.\n\n// dedupe-ignore\n{CAPTION}\n"
    annotations, other = parse(github.render(dedupe.check(texts=texts)))
    assert [(level, p["title"]) for level, p, _ in annotations] == [("notice", "dedupe boilerplate")]
    assert other[-1].endswith("; 1 suppressed")


def test_commas_colons_and_newlines_are_escaped() -> None:
    assert github.escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    assert github.escape_data("50% off\r\nnow: yes, really") == "50%25 off%0D%0Anow: yes, really"
    result = dedupe.check(texts={"odd, name:1.txt": f"{CAPTION}\n\n{CAPTION}\n"})
    annotations, _ = parse(github.render(result))
    assert annotations[0][1]["file"] == "odd, name:1.txt"


def test_paths_given_as_dot_slash_are_annotated_from_the_repository_root() -> None:
    result = dedupe.check(texts={"./news/a.txt": f"{CAPTION}\n\n{CAPTION}\n"})
    annotations, _ = parse(github.render(result))
    assert annotations[0][1]["file"] == "news/a.txt"
    assert annotations[0][2].endswith("also at news/a.txt:3:1 (similarity 1.00)")
