"""Tests for the Markdown reader: visible text, roles, exact source pieces, directives."""

from __future__ import annotations

import pytest
from reader_contract import assert_pieces_exact, source_line

import dedupe
from dedupe.model import Block, Document, LineIndex
from dedupe.readers.markdown import read

STYLE_GUIDE_PAGE = """\
---
title: What changed in the house style guide this spring
date: 2026-03-20
---

# What changed in the house style guide

The spring revision of our style guide is now live. Most of the changes are small,
but a few will affect how you write headlines.

<!-- Editors: the table below is generated from the style database. -->

## Numbers and money

- Spell out numbers from one to nine; use figures from 10 upwards.
- Write £4.2m in headlines but £4.2 million in body copy.

> Credits go in brackets at the end of the caption, in the form *(Photo: Name/Agency)*.

| Term | Use |
|------|-----|
| per cent | running text |
| % | tables |

```sh
sort draft.txt | uniq -d
```

    indented code is skipped too

![Sandbags stacked outside shops on Market Street](images/sandbags.jpg "Hebden Bridge on Monday")

Run `uniq -d` on the draft, or see our [style guide for contributors](https://example.org/style-guide "House style").

[house]: https://example.org/house-style
"""

REPEATED_SENTENCE_PAGE = """\
# Rail strike

Services between Leeds and Manchester will not run on Friday.
Union leaders said talks had broken down.

Passengers should check before they travel.
Services between Leeds and Manchester will not run on Friday.
"""


def source_slice(document: Document, block: Block, start: int, end: int) -> str:
    """What the source says for block.text[start:end], via the pieces."""
    return document.source[block.source_offset(start) : block.source_offset(end, end=True)]


def texts(document: Document) -> list[tuple[str, str]]:
    return [(b.role, b.text) for b in document.blocks]


def test_style_guide_page_gives_headings_paragraphs_items_quotes_cells_and_captions() -> None:
    document = read("spring.md", STYLE_GUIDE_PAGE)
    assert document.format == "markdown"
    assert document.path == "spring.md"
    assert texts(document) == [
        ("heading", "What changed in the house style guide"),
        (
            "sentence",
            (
                "The spring revision of our style guide is now live. Most of the changes are small, "
                "but a few will affect how you write headlines."
            ),
        ),
        ("heading", "Numbers and money"),
        ("item", "Spell out numbers from one to nine; use figures from 10 upwards."),
        ("item", "Write £4.2m in headlines but £4.2 million in body copy."),
        ("sentence", "Credits go in brackets at the end of the caption, in the form (Photo: Name/Agency)."),
        ("cell", "Term"),
        ("cell", "Use"),
        ("cell", "per cent"),
        ("cell", "running text"),
        ("cell", "%"),
        ("cell", "tables"),
        ("caption", "Sandbags stacked outside shops on Market Street"),
        ("caption", "Hebden Bridge on Monday"),
        ("sentence", "Run uniq -d on the draft, or see our style guide for contributors."),
    ]
    assert all(not b.lines and not b.suppressed for b in document.blocks)
    assert document.warnings == ()


@pytest.mark.parametrize(
    "source",
    [
        STYLE_GUIDE_PAGE,
        REPEATED_SENTENCE_PAGE,
        STYLE_GUIDE_PAGE.replace("\n", "\r\n"),
        "Fish &amp; chips cost \\*£9\\* at the *Harbour&nbsp;Café*  \nby the pier.\n",
        '+++\ntitle = "Budget"\n+++\n\nThe council approved a £12m budget.\n',
        "* `code\nspan` over two lines\n* <https://example.org/a%20b> autolink\n",
    ],
    ids=["style-guide", "repeated", "crlf", "escapes-entities", "toml", "code-span-autolink"],
)
def test_every_piece_is_an_exact_copy_of_the_source(source: str) -> None:
    assert_pieces_exact(read("page.md", source))


def test_repeated_sentence_maps_to_its_own_line_each_time() -> None:
    document = read("rail.md", REPEATED_SENTENCE_PAGE)
    first, second = document.blocks[1], document.blocks[2]
    sentence = "Services between Leeds and Manchester will not run on Friday."
    assert source_line(document, first, sentence) == 3
    assert source_line(document, second, sentence) == 7
    start = second.text.index(sentence)
    assert source_slice(document, second, start, start + len(sentence)) == sentence


def test_sentence_after_a_soft_wrap_points_at_its_line_and_column() -> None:
    document = read("spring.md", STYLE_GUIDE_PAGE)
    paragraph = document.blocks[1]
    start = paragraph.text.index("but a few")
    assert LineIndex(document.source).line_col(paragraph.source_offset(start)) == (9, 1)


def test_soft_break_is_a_space_anchored_on_the_newline() -> None:
    source = "Most of the changes are small,\nbut a few matter.\n"
    block = read("p.md", source).blocks[0]
    assert block.text == "Most of the changes are small, but a few matter."
    space = block.text.index(", but") + 1
    assert (space, source.index("\n"), 0) in block.pieces
    assert block.source_offset(space) == source.index("\n")


def test_hard_break_is_a_space_in_the_same_block() -> None:
    source = "Calderbrook Council\\\nTown Hall, Halifax\n"
    document = read("address.md", source)
    assert texts(document) == [("sentence", "Calderbrook Council Town Hall, Halifax")]
    assert_pieces_exact(document)


def test_yaml_front_matter_is_skipped_and_lines_still_count_from_the_file_start() -> None:
    document = read("spring.md", STYLE_GUIDE_PAGE)
    assert all("2026-03-20" not in b.text and "title:" not in b.text for b in document.blocks)
    heading = document.blocks[0]
    assert source_line(document, heading, "What changed") == 6


def test_toml_front_matter_is_skipped() -> None:
    source = '+++\ntitle = "Budget vote"\ndraft = false\n+++\n\nThe council approved a £12m budget.\n'
    document = read("budget.md", source)
    assert texts(document) == [("sentence", "The council approved a £12m budget.")]
    assert source_line(document, document.blocks[0], "The council") == 6


def test_dashes_that_never_close_are_a_rule_not_front_matter() -> None:
    source = "---\nThe council approved a £12m budget.\n"
    assert texts(read("budget.md", source)) == [("sentence", "The council approved a £12m budget.")]


def test_code_blocks_comments_and_reference_definitions_give_no_text() -> None:
    document = read("spring.md", STYLE_GUIDE_PAGE)
    joined = " ".join(b.text for b in document.blocks)
    for hidden in ("sort draft.txt", "indented code", "Editors:", "example.org", "house-style"):
        assert hidden not in joined


def test_raw_html_block_gives_no_text() -> None:
    source = '<div class="ad">\nSubscribe for £1 a week\n</div>\n\nThe bridge reopens on Monday.\n'
    assert texts(read("page.md", source)) == [("sentence", "The bridge reopens on Monday.")]


def test_inline_code_stays_in_the_sentence() -> None:
    document = read("tips.md", "Run `sort draft.txt | uniq -d` to list repeated lines.\n")
    assert texts(document) == [("sentence", "Run sort draft.txt | uniq -d to list repeated lines.")]
    assert_pieces_exact(document)


def test_paragraph_that_is_only_inline_code_is_code_and_gives_no_text() -> None:
    # tldr-pages style: an example command on its own is a code sample, like a fenced block.
    source = "- List repeated lines in a draft:\n\n`sort {{draft.txt}} | uniq -d`\n"
    assert texts(read("uniq.md", source)) == [("item", "List repeated lines in a draft:")]


def test_link_text_is_kept_and_its_url_and_title_are_not() -> None:
    source = 'See the [flood map](https://example.org/map "Map for Elland") for Elland\nand Brighouse.\n'
    block = read("flood.md", source).blocks[0]
    assert block.text == "See the flood map for Elland and Brighouse."
    # The title also says " for Elland": the words after the link must map after it.
    start = block.text.index(" for Elland")
    assert block.source_offset(start) == source.index(") for Elland") + 1


def test_reference_link_keeps_text_and_skips_label() -> None:
    source = "Read the [house style][style] before filing.\n\n[style]: https://example.org/style\n"
    block = read("style.md", source).blocks[0]
    assert block.text == "Read the house style before filing."
    assert source_slice(read("style.md", source), block, 20, 35) == " before filing."


def test_image_alt_and_title_are_caption_blocks_at_their_own_position() -> None:
    document = read("spring.md", STYLE_GUIDE_PAGE)
    alt, title = document.blocks[12], document.blocks[13]
    assert (alt.role, title.role) == ("caption", "caption")
    assert source_line(document, alt, "Sandbags") == 31
    assert document.source[alt.pieces[0][1] - 2 : alt.pieces[0][1]] == "!["
    assert document.source[title.pieces[0][1] - 1] == '"'


def test_image_inside_a_paragraph_is_a_caption_after_the_paragraph() -> None:
    source = "Sandbags went up overnight ![Sandbags on Market Street](bags.jpg) in Hebden Bridge.\n"
    assert texts(read("flood.md", source)) == [
        ("sentence", "Sandbags went up overnight  in Hebden Bridge."),
        ("caption", "Sandbags on Market Street"),
    ]


def test_entities_are_decoded_and_anchored_on_the_ampersand() -> None:
    source = "Fish &amp; chips at the Harbour&nbsp;Café cost &#163;9.\n"
    block = read("menu.md", source).blocks[0]
    assert block.text == "Fish & chips at the Harbour Café cost £9."
    amp = block.text.index("&")
    assert block.source_offset(amp) == source.index("&amp;")
    assert block.source_offset(block.text.index("£")) == source.index("&#163;")


def test_escaped_characters_map_to_the_character_after_the_backslash() -> None:
    source = "Prices rose by 5\\* in \\[some\\] towns.\n"
    block = read("prices.md", source).blocks[0]
    assert block.text == "Prices rose by 5* in [some] towns."
    star = block.text.index("*")
    assert block.source_offset(star) == source.index("\\*") + 1


def test_table_cell_with_escaped_pipe_maps_each_word() -> None:
    source = "| Route | Status |\n|---|---|\n| Leeds \\| York | Cancelled |\n"
    document = read("rail.md", source)
    assert [b.text for b in document.blocks] == ["Route", "Status", "Leeds | York", "Cancelled"]
    assert_pieces_exact(document)


def test_identical_cells_in_one_row_map_to_their_own_cell() -> None:
    source = "| Town | Open | Open |\n|---|---|---|\n| Elland | Yes | Yes |\n"
    document = read("towns.md", source)
    yes_first, yes_second = document.blocks[-2], document.blocks[-1]
    assert yes_first.pieces[0][1] == source.index("Yes")
    assert yes_second.pieces[0][1] == source.rindex("Yes")


def test_crlf_line_endings_map_to_the_right_lines() -> None:
    document = read("rail.md", REPEATED_SENTENCE_PAGE.replace("\n", "\r\n"))
    sentence = "Services between Leeds and Manchester will not run on Friday."
    assert source_line(document, document.blocks[2], sentence) == 7


def test_dedupe_ignore_suppresses_only_the_next_block() -> None:
    source = (
        "The bridge reopens on Monday.\n\n"
        "<!-- dedupe-ignore -->\n"
        "Standard disclaimer: prices correct at time of going to press.\n\n"
        "The bridge closed in March.\n"
    )
    assert [(b.text, b.suppressed) for b in read("bridge.md", source).blocks] == [
        ("The bridge reopens on Monday.", False),
        ("Standard disclaimer: prices correct at time of going to press.", True),
        ("The bridge closed in March.", False),
    ]


def test_dedupe_ignore_covers_the_captions_inside_the_ignored_paragraph() -> None:
    source = "<!-- dedupe-ignore -->\nSee ![Stock photo of a bridge](b.jpg) above.\n\nNext paragraph.\n"
    assert [(b.role, b.suppressed) for b in read("b.md", source).blocks] == [
        ("sentence", True),
        ("caption", True),
        ("sentence", False),
    ]


def test_dedupe_off_and_on_suppress_the_blocks_between_them() -> None:
    source = (
        "# Council budget\n\n"
        "<!-- dedupe off -->\n\n"
        "- Council tax rises by 4.99 per cent.\n"
        "- Parking charges rise by 20p.\n\n"
        "<!-- dedupe on -->\n\n"
        "Council tax rises by 4.99 per cent.\n\n"
        "<!-- dedupe off -->\n"
        "Footer text to the end of the file.\n"
    )
    assert [b.suppressed for b in read("budget.md", source).blocks] == [False, True, True, False, True]


def test_directive_inside_a_code_block_is_ignored() -> None:
    source = "```html\n<!-- dedupe off -->\n```\n\nThe bridge reopens on Monday.\n"
    assert [b.suppressed for b in read("howto.md", source).blocks] == [False]


@pytest.mark.parametrize(
    "source",
    [
        "",
        "\n\n",
        "---\ntitle: only front matter\n---\n",
        "```\nunclosed fence\n",
        "[unclosed link](https://example.org\n",
        "![](empty-alt.png)\n",
        "> > > deeply\n> > nested\n>\n",
        "| a |\n|---|\n| b | c | d |\n",
        "*unclosed emphasis and `code\n",
        "\x00 null \ufffd and a tab\there\n",
        "- item\n\n\tindented with a tab\n",
    ],
)
def test_malformed_input_reads_without_error(source: str) -> None:
    assert_pieces_exact(read("odd.md", source))


def test_empty_file_has_no_blocks() -> None:
    assert read("empty.md", "").blocks == ()


def test_static_site_template_syntax_is_markup_not_prose() -> None:
    source = ("---\ntitle: Mounts\n---\nimport Tabs from '@theme/Tabs'\n\n{{% module-mounts-note %}}\n\n"
              "Mounts replace the old folders. {{< ref \"install\" >}} They need Hugo 0.56.\n\n"
              "{% include note.html %}\n\nThe site is {{ site.title }} today.\n\n{{% module-mounts-note %}}\n")
    blocks = texts(read("mounts.md", source))
    assert [(role, " ".join(text.split())) for role, text in blocks] == [
        ("sentence", "Mounts replace the old folders. They need Hugo 0.56."),
        ("sentence", "The site is today."),
    ]


def test_placeholders_inside_inline_code_stay_the_code_s_text() -> None:
    assert texts(read("apk.md", "Run `apk add {{package}}` as root.\n")) == [
        ("sentence", "Run apk add {{package}} as root.")]


def test_a_shortcode_repeated_down_a_page_is_not_a_repeated_sentence() -> None:
    note = "{{% module-mounts-note %}}"
    prose = ["Mounts replace the old static and content folders.", "Each mount names a source and a target.",
             "Themes can add mounts of their own.", "A language may mount its own content folder.",
             "Files in a mounted folder shadow the theme's.", "The order of mounts decides which file wins.",
             "Mounts are checked when the site is built."]
    page = "\n\n".join(part for line in prose for part in (note, line))
    assert dedupe.check(texts={"mounts.md": page}).findings == ()


def test_definition_list_terms_and_definitions_are_separate_blocks() -> None:
    source = "Shingle\n: A run of words compared as one piece.\n\nSignature\n: The MinHash of a unit's shingles.\n"
    assert texts(read("terms.md", source)) == [
        ("heading", "Shingle"), ("item", "A run of words compared as one piece."),
        ("heading", "Signature"), ("item", "The MinHash of a unit's shingles.")]


def test_definitions_that_vary_one_theme_are_parallel_entries_not_near_duplicates() -> None:
    page = ("# Diagram\n\nThe diagram object describes a rendered drawing in a page.\n\n"
            "`Width`\n: (`int`) Returns the width of the rendered diagram, in pixels.\n\n"
            "`Height`\n: (`int`) Returns the height of the rendered diagram, in pixels.\n")
    assert dedupe.check(texts={"diagram.md": page}, cache=False).findings == ()
    # the same two lines as paragraphs of prose are a near-duplicate an editor should see
    prose = page.replace("\n: ", "\n\n")
    assert [f.kind for f in dedupe.check(texts={"diagram.md": prose}, cache=False).findings] == ["near"]


def test_a_table_of_contents_entry_is_not_a_repeat_of_its_heading() -> None:
    source = ("# Emojis\n\n- [GitHub custom emoji for the team pages](#github-custom-emoji)\n"
              "- [See the full list on the project site](https://example.org/emoji)\n\n"
              "## GitHub custom emoji for the team pages\n\nSome text.\n")
    assert texts(read("emojis.md", source)) == [
        ("heading", "Emojis"), ("item", "See the full list on the project site"),
        ("heading", "GitHub custom emoji for the team pages"), ("sentence", "Some text.")]


def test_an_unclosed_code_shortcode_masks_no_prose() -> None:
    source = ("{{< code-toggle file=hugo >}}\nname = 'Home'\n\nDefine the menu entry in the project configuration.\n\n"
              "{{< code-toggle file=hugo >}}\nname = 'Shop'\n{{< /code-toggle >}}\n")
    assert ("sentence", "Define the menu entry in the project configuration.") in texts(read("menus.md", source))


@pytest.mark.parametrize("wrapped", [
    "{{< code-toggle file=hugo >}}\n[[menus.main]]\nname = 'Home'\nweight = 10\n{{< /code-toggle >}}",
    "{{< highlight toml >}}\n[[menus.main]]\nname = 'Home'\nweight = 10\n{{< /highlight >}}",
    "{{< code-toggle file=hugo >}}\n[[menus.main]]\nname = 'Home'\nweight = 10\n{{</ code-toggle >}}",
    "{% highlight toml %}\n[[menus.main]]\nname = 'Home'\nweight = 10\n{% endhighlight %}",
])
def test_a_code_sample_wrapped_in_a_shortcode_is_code_not_prose(wrapped: str) -> None:
    source = f"Define the menu entry in the project configuration.\n\n{wrapped}\n\nThen build the site.\n"
    assert texts(read("menus.md", source)) == [
        ("sentence", "Define the menu entry in the project configuration."), ("sentence", "Then build the site.")]


def test_no_unit_span_starts_inside_a_code_span_or_a_link() -> None:
    source = "- `git status` shows the tree.\n- [The guide](https://example.org/g) explains it.\n"
    result = dedupe.check(texts={"git.md": source})
    spans = [source[u.span.offset : u.span.offset + u.span.length] for u in result.units[0]]
    assert spans == ["`git status` shows the tree.", "[The guide](https://example.org/g) explains it."]


PARAGRAPH = "The council approved the new budget on Tuesday after a long debate in the chamber."


def nested_list(depth: int) -> str:
    return "".join("  " * i + f"- item at level {i + 1}\n" for i in range(depth))


def test_a_list_nested_ten_deep_does_not_stop_the_reading() -> None:
    """markdown-it's commonmark preset stops at 20 levels (a list item is two), dropping the rest of the file."""
    source = f"{PARAGRAPH}\n\n{nested_list(10)}\n{PARAGRAPH}\n"
    document = read("budget.md", source)
    assert [b.text for b in document.blocks] == [PARAGRAPH] + [f"item at level {i}" for i in range(1, 11)] + [PARAGRAPH]
    assert document.warnings == ()
    assert_pieces_exact(document)


def test_nesting_past_the_limit_is_a_warning_and_the_text_after_it_is_read() -> None:
    source = f"{PARAGRAPH}\n\n" + ">" * 300 + " Quoted far too deep.\n\nA plain paragraph after it.\n\n" + PARAGRAPH + "\n"
    document = read("budget.md", source)
    texts = [b.text for b in document.blocks]
    assert texts[0] == texts[-1] == PARAGRAPH
    assert "A plain paragraph after it." in texts
    assert document.warnings == (("budget.md:3: Markdown nested more than 40 levels deep; the text inside is "
                                  "not read"),)
    assert_pieces_exact(document)


def test_a_nul_byte_is_placed_where_it_stands_and_no_unit_is_empty() -> None:
    """markdown-it reads NUL as U+FFFD; the text around it must still be found in the source."""
    document = read("a.md", "e\x00İg. e.İg")
    assert [(b.text, b.pieces) for b in document.blocks] == [("e\x00İg. e.İg", ((0, 0, 10),))]


def test_text_after_a_list_nested_past_the_limit_is_read_and_the_warning_names_the_list() -> None:
    source = f"{PARAGRAPH}\n\n{nested_list(30)}\nAfter the list.\n\n- a new list\n\n{PARAGRAPH}\n"
    document = read("outline.md", source)
    texts = [b.text for b in document.blocks]
    assert texts == [PARAGRAPH] + [f"item at level {i}" for i in range(1, 20)] + [
        "After the list.", "a new list", PARAGRAPH]  # item 20 (line 22) is the 40th level
    assert document.warnings == (("outline.md:22: Markdown nested more than 40 levels deep; the text inside is "
                                  "not read"),)
    assert_pieces_exact(document)


def test_too_many_too_deep_lists_stop_the_reading_with_a_warning_that_says_where() -> None:
    """Each list past the limit is read past once; their number is bounded so the work stays linear."""
    source = "".join(f"{nested_list(30)}\nAfter list {n}.\n\n" for n in range(40))
    document = read("outline.md", source)
    [warning] = document.warnings
    assert warning.startswith("outline.md:20: Markdown nested more than 40 levels deep; the text inside is not read "
                              "(and ")
    stopped = int(warning.rsplit("reading stopped at line ", 1)[1])
    read_after = [b.text for b in document.blocks if b.text.startswith("After list")]
    assert 2 <= len(read_after) < 40
    assert source.splitlines()[stopped - 1] == f"After list {len(read_after)}."


def test_a_definition_term_is_placed_on_its_line() -> None:
    """Found by tests/test_fuzz.py: the term's token has an empty line range, and its text was only
    anchored, so a term repeating a paragraph gave a one-character occurrence."""
    sentence = "The council approved the new budget on Tuesday after a long debate in the chamber."
    document = read("glossary.md", f"{sentence}\n\n{sentence}\n\n: A definition of the term.\n")
    assert [(b.role, b.text, b.pieces) for b in document.blocks] == [
        ("sentence", sentence, ((0, 0, len(sentence)),)),
        ("heading", sentence, ((0, len(sentence) + 2, len(sentence)),)),
        ("item", "A definition of the term.", ((0, 2 * len(sentence) + 6, 25),)),
    ]


def test_a_definition_that_is_only_template_syntax_does_not_end_the_definition_list() -> None:
    source = ("Loaders\n: {{< new-in 0.140.0 />}}\n: (`map`) Configures a loader for a file type.\n\n"
              "Minify\n: (`bool`) Whether to minify the generated code.\n")
    assert texts(read("options.md", source)) == [
        ("heading", "Loaders"), ("item", "(map) Configures a loader for a file type."),
        ("heading", "Minify"), ("item", "(bool) Whether to minify the generated code.")]
    # a definition with text beside its template syntax keeps the text as the definition
    assert texts(read("options.md", "Minify\n: Whether to minify the code. {{< new-in 0.140.0 />}}\n")) == [
        ("heading", "Minify"), ("item", "Whether to minify the code.")]


@pytest.mark.parametrize("admonition", [
    "> [!NOTE]\n> The build writes every page into the public directory.",
    "> [!tip]- Read this first\n> The build writes every page into the public directory.",
    ":::note\nThe build writes every page into the public directory.\n:::",
    ":::tip[Before you start]\nThe build writes every page into the public directory.\n:::",
    "::: warning Careful\nThe build writes every page into the public directory.\n:::",
])
def test_an_admonition_s_marker_is_markup_and_its_body_is_prose(admonition: str) -> None:
    roles_texts = texts(read("build.md", f"Some text before it.\n\n{admonition}\n\nSome text after it.\n"))
    assert [" ".join(text.split()) for _, text in roles_texts] == [
        "Some text before it.", "The build writes every page into the public directory.", "Some text after it."]


def test_the_same_note_as_an_admonition_and_as_prose_is_one_repeated_text() -> None:
    note = "The build writes every page of the site into the public directory."
    page = (f"# Build\n\n> [!NOTE]\n> {note}\n\nThemes add their own templates to every project.\n\n{note}\n\n"
            f":::tip\n{note}\n:::\n")
    findings = dedupe.check(texts={"build.md": page}, cache=False).findings
    assert [(f.kind, f.similarity, len(f.occurrences)) for f in findings] == [("repeat", 1.0, 3)]


DOCUSAURUS_PAGE = """\
---
title: Install
---

import Tabs from '@theme/Tabs';
import TabItem from '@theme/TabItem';

# Install the client

<Tabs>
  <TabItem value="mac" label="macOS" default>
    Download the installer from the releases page and open it to start the setup wizard.
  </TabItem>
  <TabItem value="win" label="Windows">
    Download the installer from the releases page and run it as an administrator.
  </TabItem>
</Tabs>

Restart your terminal after the install finishes.
"""


@pytest.mark.parametrize("name", ["install.mdx", "install.md"])
def test_mdx_component_lines_are_markup_and_the_text_inside_a_component_is_prose(name: str) -> None:
    document = read(name, DOCUSAURUS_PAGE)
    assert texts(document) == [
        ("heading", "Install the client"),
        ("sentence", "Download the installer from the releases page and open it to start the setup wizard."),
        ("sentence", "Download the installer from the releases page and run it as an administrator."),
        ("sentence", "Restart your terminal after the install finishes.")]
    assert_pieces_exact(document)


def test_indented_text_is_code_on_a_page_without_mdx_components() -> None:
    page = "Run the tool:\n\n    dedupe check content/ --fail-on warning\n\nIt prints one line per finding.\n"
    assert texts(read("usage.md", page)) == [("sentence", "Run the tool:"), ("sentence", "It prints one line per finding.")]


def test_an_mdx_file_in_a_folder_is_read_as_markdown(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "install.mdx").write_text(DOCUSAURUS_PAGE.replace("run it as an administrator",
                                                                 "open it to start the setup wizard"), encoding="utf-8")
    result = dedupe.check([str(tmp_path)], cache=False)
    assert [d.format for d in result.documents] == ["markdown"]
    assert [(f.kind, [o.span.line for o in f.occurrences]) for f in result.findings] == [("repeat", [12, 15])]


MKDOCS_PAGE = """\
# Setup

!!! note "Before you start"
    Install Python 3.11 or later before you run the installer.

    It takes a minute.

Run the installer from the project folder.

???+ tip inline end
    Install Python 3.11 or later before you run the installer.
"""


def test_an_mkdocs_admonition_s_marker_is_markup_and_its_indented_body_is_prose() -> None:
    document = read("setup.md", MKDOCS_PAGE)
    assert texts(document) == [
        ("heading", "Setup"),
        ("sentence", "Install Python 3.11 or later before you run the installer."),
        ("sentence", "It takes a minute."),
        ("sentence", "Run the installer from the project folder."),
        ("sentence", "Install Python 3.11 or later before you run the installer.")]
    assert_pieces_exact(document)
    findings = dedupe.check(texts={"setup.md": MKDOCS_PAGE}, cache=False).findings
    assert [(f.kind, [o.span.line for o in f.occurrences]) for f in findings] == [("repeat", [4, 11])]


@pytest.mark.parametrize(("name", "page", "expected"), [
    pytest.param("token.mdx",
                 "# Fetch a token\n\n<Tabs defaultValue=\"swift\" values={[\n{ label: 'Swift', value: 'swift' },\n]}>\n\n"
                 "  <TabItem value=\"swift\">\n    ```swift\n    let token = fetchToken()\n    ```\n"
                 "    Call it once at start-up.\n  </TabItem>\n  <TabItem value=\"csharp\">\n"
                 "<CodeBlock language=\"csharp\">\n{`\nvar token = FetchToken();\n`}\n</CodeBlock>\n  </TabItem>\n</Tabs>\n",
                 [("heading", "Fetch a token"), ("sentence", "Call it once at start-up.")],
                 id="mdx: a tag over several lines, a code literal and an indented fence are not prose"),
    pytest.param("development.md",
                 "## Build\n\n{{< new-in v0.159.2 />}} To build and install the deploy edition, run the command below.\n\n"
                 "{{< note >}}\nKeep the deploy edition up to date.\n{{< /note >}}\n",
                 [("heading", "Build"), ("sentence", "To build and install the deploy edition, run the command below."),
                  ("sentence", "Keep the deploy edition up to date.")],
                 id="text after a template tag that opens its line is prose, not code"),
    pytest.param("install.md",
                 '# Install\n\n=== "macOS"\n\n    Download the installer and open it.\n\n    ``` sh\n    brew install tool\n'
                 '    ```\n\n=== "Windows"\n\n    Download the installer and open it.\n\nThen restart the terminal.\n',
                 [("heading", "Install"), ("sentence", "Download the installer and open it."),
                  ("sentence", "Download the installer and open it."), ("sentence", "Then restart the terminal.")],
                 id="mkdocs content tabs: markers are markup, bodies prose and code"),
    pytest.param("upgrade.md",
                 '# Upgrade\n\n=== "partials/language.html"\n\n    ``` diff\n    {% import "en.html" as lang %}\n'
                 '    -config.extra.search | default({})\n    ```\n\nThe templates have changed.\n',
                 [("heading", "Upgrade"), ("sentence", "The templates have changed.")],
                 id="a template tag line in a tab's code keeps the code in the tab"),
    pytest.param("configure.md",
                 '# Configure\n\n=== "mkdocs.yml"\n\n    ``` yaml\n    theme:\n      name: material\n\n    plugins:\n'
                 '      - search\n    ```\n\n    Both settings go at the top level.\n\nThen build the site.\n',
                 [("heading", "Configure"), ("sentence", "Both settings go at the top level."),
                  ("sentence", "Then build the site.")],
                 id="an empty line in a tab's code does not end the code"),
])
def test_docs_site_markup_is_not_prose_and_the_prose_around_it_is_read(name: str, page: str,
                                                                       expected: list[tuple[str, str]]) -> None:
    document = read(name, page)
    assert texts(document) == expected
    assert_pieces_exact(document)
