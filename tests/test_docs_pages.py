"""Documentation pages: the parallel structure a docs site is written in is not repetition.

Each rule is tested both ways: the docs-site shape gives no finding, and the same
sentences written as plain prose still do.
"""

from __future__ import annotations

import dedupe

PROSE = [
    "The build writes every page of the site into the public directory of the project.",
    "Old files in that directory are kept until you remove them yourself before a release.",
    "Themes add their own templates, which the project's templates override by name.",
]


def kinds(pages: dict[str, str]) -> list[str]:
    return sorted(f.kind for f in dedupe.check(texts=pages, cache=False).findings)


def page(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


CODE = "```go-html-template\n{{ .Title }}\n```"


def test_a_short_lead_in_repeated_before_each_example_is_stock_phrasing() -> None:
    doc = page("# Titles", PROSE[0], "Is rendered to:", CODE, PROSE[1], "Is rendered to:", CODE, PROSE[2])
    assert kinds({"titles.md": doc}) == []


def test_a_longer_sentence_ending_in_a_colon_given_twice_is_still_a_repeat() -> None:
    lead = "Instead of failing the build, we can catch the error and emit a warning:"
    doc = page("# Errors", PROSE[0], lead, CODE, PROSE[1], lead, CODE, PROSE[2])
    assert kinds({"errors.md": doc}) == ["repeat"]


def test_a_list_entry_given_twice_is_a_duplicate_entry_even_when_it_ends_in_a_colon() -> None:
    doc = page("# tar", "> Archiving utility.", "- List installed extensions:", "`tar -t`",
               "- Create an archive from files:", "`tar -c`", "- List installed extensions:", "`tar -tv`")
    assert kinds({"tar.md": doc}) == ["repeat"]


def test_lead_ins_that_vary_one_theme_are_parallel_not_near_duplicates() -> None:
    a = "To create an article using the articles archetype in this project:"
    b = "To create an article using the tutorials archetype in this project:"
    assert kinds({"archetypes.md": page("# Archetypes", PROSE[0], a, CODE, PROSE[1], b, CODE)}) == []
    # the same two sentences as statements are a near-duplicate pair
    statements = page("# Archetypes", PROSE[0], a[:-1] + ".", PROSE[1], b[:-1] + ".")
    assert kinds({"archetypes.md": statements}) == ["near"]


def test_one_sentence_pattern_filled_with_two_marked_names_is_parallel() -> None:
    a = "For example, Hugo applies a _base_ template to the _page_ template below, then renders the content."
    b = "For example, Hugo applies a _base_ template to the _single_ template below, then renders the content."
    assert kinds({"types.md": page("# Types", a, PROSE[0], PROSE[1], b)}) == []
    # unmarked, "page" and "single" are ordinary words: a near-duplicate an editor should see
    plain = page("# Types", a.replace("_", ""), PROSE[0], PROSE[1], b.replace("_", ""))
    assert kinds({"types.md": plain}) == ["near"]


def test_a_shared_run_between_sentences_of_one_pattern_with_marked_names_is_not_a_repeat() -> None:
    a = "Use these methods on the `Data` object within a _taxonomy_ template when you list terms."
    b = "Use these methods on the `Data` object within a _term_ template when you list terms."
    assert kinds({"data.md": page("# Data", a, PROSE[0], PROSE[1], b)}) == []
    plain = page("# Data", a.replace("_", "").replace("`", ""), PROSE[0], PROSE[1], b.replace("_", "").replace("`", ""))
    assert kinds({"data.md": plain}) == ["near"]


def test_sections_written_from_one_pattern_are_parallel() -> None:
    asciidoc = "Create your content in the AsciiDoc format preceded by front matter in the file."
    pandoc = "Create your content in the Pandoc format preceded by front matter in the file."
    sections = page("# Formats", "## AsciiDoc", asciidoc, PROSE[0], "## Pandoc", pandoc, PROSE[1])
    assert kinds({"formats.md": sections}) == []
    # in one section, one after the other, they restate each other
    assert kinds({"formats.md": page("# Formats", "## Formats", asciidoc, PROSE[0], pandoc, PROSE[1])}) == ["near"]


def test_a_heading_and_the_list_entry_that_names_it_are_contents() -> None:
    step = "Create a project for the new site"
    doc = page("# Quick start", f"1. {step}\n1. Add some content to it", PROSE[0], f"## {step}", PROSE[1])
    assert kinds({"start.md": doc}) == []
    assert kinds({"start.md": page("# Quick start", f"## {step}", PROSE[0], f"## {step}", PROSE[1])}) == ["repeat"]


def test_a_short_detail_inside_reference_entries_is_not_a_repeat() -> None:
    doc = page("# Imaging", "`quality`\n: (`int`) The quality of the encoded image. Default is `75` here.",
               "`hint`\n: (`string`) The hint given to the encoder. Default is `75` here.")
    assert kinds({"imaging.md": doc}) == []
    # a whole entry given twice is still a duplicate
    entry = "(`int`) The quality of the encoded image, from one to a hundred."
    assert kinds({"imaging.md": page("# Imaging", f"`quality`\n: {entry}", f"`hint`\n: {entry}")}) == ["repeat"]


def test_pages_of_examples_introduced_alike_are_not_copies() -> None:
    leads = ["With a decimal (base 10) input:", "With a binary (base 2) input:", "With an octal input:",
             "With a hexadecimal (base 16) input:"]

    def examples(name: str) -> str:
        return page(f"# cast.{name}", *[part for lead in leads for part in (lead, f"```\n{{{{ {name} 11 }}}}\n```")])
    pages = {f"{n}.md": examples(n) for n in ("ToFloat", "ToInt", "ToString")}
    pages["build.md"] = page("# Build", *PROSE)
    assert "document" not in kinds(pages)
    # three pages with the same prose are copies
    copies = {f"copy{n}.md": page("# Notes", *PROSE, "A fourth sentence that the copies share word for word.")
              for n in range(3)}
    assert "document" in kinds(copies)


def test_lead_ins_sharing_their_frame_are_not_a_repeated_phrase() -> None:
    a = "To return a slice of pages where the color parameter is either red or yellow:"
    b = "To return a slice of pages where the author parameter begins with an upper-case letter:"
    assert kinds({"where.md": page("# Where", PROSE[0], a, CODE, PROSE[1], b, CODE, PROSE[2])}) == []
    statements = page("# Where", PROSE[0], a[:-1] + ".", PROSE[1], b[:-1] + ".", PROSE[2])
    assert kinds({"where.md": statements}) == ["repeat"]


def test_text_that_varies_only_in_each_page_s_own_name_is_a_template_filled_in() -> None:
    def method(name: str, noun: str = "pager") -> str:
        return page(f"# {name}", f"The `{name}` method reports whether there is a {noun} after the current one "
                    "in the collection of pagers.", PROSE[["HasNext", "HasPrev"].index(name)])
    assert kinds({"HasNext.md": method("HasNext"), "HasPrev.md": method("HasPrev")}) == []
    # a word that names neither page changed: a copy edited, reported
    assert kinds({"HasNext.md": method("HasNext"), "Next.md": method("HasNext", "page")}) == ["cross"]


def test_a_lead_in_in_prose_and_in_the_steps_of_a_list_is_stock_phrasing() -> None:
    lead = "To inspect the data structure:"
    steps = f"1. Open the template of the page.\n1. {lead}\n\n   ```\n   {{{{ .Title }}}}\n   ```"
    doc = page("# Fragments", PROSE[0], lead, CODE, PROSE[1], steps, PROSE[2])
    assert kinds({"fragments.md": doc}) == []
    # the same lead-in as the entries of a list (a cheat sheet's examples) is a duplicate entry
    example = "  ```\n  {{ .Title }}\n  ```"
    entries = page("# Fragments", PROSE[0], f"- {lead}\n\n{example}\n\n- {lead}\n\n{example}", PROSE[1])
    assert kinds({"fragments.md": entries}) == ["repeat"]


def test_a_short_detail_in_reference_entries_some_written_as_paragraphs_is_not_a_repeat() -> None:
    doc = page("# Options", "`minify`\n: (`bool`) Whether to minify the generated code. Default is `false`.",
               "The `sourceMap` option says whether to write a source map. Default is `false`.", PROSE[0])
    assert kinds({"options.md": doc}) == []
    # two paragraphs of prose that share a short sentence, with no list entry, still repeat it
    prose = page("# Options", "The minify option shrinks the generated code. Default is `false`.",
                 "The `sourceMap` option says whether to write a source map. Default is `false`.", PROSE[0])
    assert kinds({"options.md": prose}) == ["repeat"]


SUMMARY = "Delete the module cache for the current project"


def test_a_summary_restated_as_the_opening_of_the_section_under_it_is_not_a_repeat() -> None:
    doc = page("# mod clean", SUMMARY, "## Synopsis", SUMMARY + ".", PROSE[0], "## Options", PROSE[1])
    assert kinds({"mod_clean.md": doc}) == []
    # with a paragraph between them, or given again further down, it is a repeat
    assert kinds({"mod_clean.md": page("# mod clean", SUMMARY, PROSE[0], "## Synopsis", SUMMARY + ".",
                                       PROSE[1])}) == ["repeat"]
    assert kinds({"mod_clean.md": page("# mod clean", SUMMARY, "## Synopsis", PROSE[0], "## Options", PROSE[1],
                                       SUMMARY + ".")}) == ["repeat"]


def test_a_summary_restated_under_its_heading_and_listed_by_its_parent_page_is_not_a_repeat() -> None:
    clean = page("# mod clean", SUMMARY + " folder", "## Synopsis", SUMMARY + " folder.", PROSE[0])
    parent = page("# mod", PROSE[1], f"- [mod clean](/mod_clean/) - {SUMMARY} and its vendored copies", PROSE[2])
    assert kinds({"mod_clean.md": clean, "mod.md": parent}) == []
    # the same entry linking to another page copies the summary
    elsewhere = parent.replace("(/mod_clean/)", "(/mod_vendor/)")
    assert kinds({"mod_clean.md": clean, "mod.md": elsewhere}) == ["cross"]
    # a page that says its summary twice, apart, is still a repeat
    twice = page("# mod clean", SUMMARY + " folder", "## Synopsis", PROSE[0], SUMMARY + " folder.")
    assert "repeat" in kinds({"mod_clean.md": twice, "mod.md": parent})


BUILD = ("When you build the site on a server, Hugo writes the rendered files to the public directory of your "
         "project and keeps older files there.")
DEPLOY = ("Before you deploy the site to production, clean the output because Hugo writes the rendered files to the "
          "public directory of your project without removing stale pages.")


def test_a_phrase_shared_by_sentences_of_one_section_is_the_frame_of_parallel_statements() -> None:
    one_section = page("# Build", "## Output", BUILD, PROSE[0], DEPLOY, "## Themes", PROSE[1])
    assert kinds({"build.md": one_section}) == []
    # said again in another section, or restated by a note in its section, it is a repeat
    two_sections = page("# Build", "## Output", BUILD, PROSE[0], "## Deploy", PROSE[1], DEPLOY)
    assert kinds({"build.md": two_sections}) == ["repeat"]
    noted = page("# Build", "## Output", BUILD, PROSE[0], f"> {DEPLOY}", "## Themes", PROSE[1])
    assert kinds({"build.md": noted}) == ["repeat"]
    # a page not divided into sections (a news story, a cheat sheet under its title) is read as before
    assert kinds({"build.md": page("# Build", BUILD, PROSE[0], DEPLOY, PROSE[1])}) == ["repeat"]


BACKED = "The {} function is backed by the esbuild package, providing a mature foundation for bundling and minifying code."


def test_a_sentence_shared_by_pages_that_differs_only_in_marked_names_is_a_template_filled_in() -> None:
    pages = {"styles.md": page("# Styles", BACKED.format("`css.Build`"), PROSE[0]),
             "scripts.md": page("# Scripts", BACKED.format("`js.Build`"), PROSE[1])}
    assert kinds(pages) == []
    # the same names unmarked are plain words: a sentence copied and edited
    plain = {name: text.replace("`", "") for name, text in pages.items()}
    assert kinds(plain) == ["cross"]
    # and a third page filled in with its own name, in a site large enough that three pages
    # are not its boilerplate: each variant is read against the first
    pages["images.md"] = page("# Images", BACKED.format("`images.Build`"), PROSE[2])
    pages.update((f"p{n}.md", page(f"# Page {n}")) for n in range(10))
    assert kinds(pages) == []
    assert kinds({name: text.replace("`", "") for name, text in pages.items()}) == ["cross"]


def test_a_phrase_shared_by_sentences_that_differ_only_in_marked_names_is_a_template_filled_in() -> None:
    frame = "The {} functions are backed by the esbuild package, providing a mature foundation for bundling."
    styles = "`css.Build`, `css.Sass`, `css.PostCSS`, `css.TailwindCSS`, `css.Quoted` and `css.Unquoted`"
    scripts = "`js.Batch`, `js.Build`, `js.Run`, `js.Compile`, `js.Minify` and `js.Bundle`"
    pages = {"styles.md": page("# Styles", frame.format(styles), PROSE[0]),
             "scripts.md": page("# Scripts", frame.format(scripts), PROSE[1])}
    assert kinds(pages) == []
    plain = {name: text.replace("`", "") for name, text in pages.items()}
    assert kinds(plain) == ["cross"]


def test_sibling_pages_whose_front_matter_descriptions_differ_by_one_substitution_are_not_copies() -> None:
    body = ["The URL returned by this function depends on the path you give it and on the base URL.",
            "With multilingual configurations, use the language-aware function instead of this one.",
            "As illustrated by the previous example, a leading slash is rarely what you want here.",
            "The base URL of the project is set in the configuration file at the root of the site."]

    def fn(name: str, description: str) -> str:  # the body opens with a section heading, as reference pages do
        return f"---\ntitle: urls.{name}\ndescription: {description}\n---\n\n" + page("## Usage", *body)
    pages = {"AbsURL.md": fn("AbsURL", "Returns an absolute URL."), "RelURL.md": fn("RelURL", "Returns a relative URL.")}
    assert "document" not in kinds(pages)
    # the same description on both: one page copied under another title
    copied = {"AbsURL.md": fn("AbsURL", "Returns an absolute URL."), "RelURL.md": fn("RelURL", "Returns an absolute URL.")}
    assert "document" in kinds(copied)
    # a description changed in a word that names the page is one text for two names
    named = {"AbsURL.md": fn("AbsURL", "Returns the URL of AbsURL."), "RelURL.md": fn("RelURL", "Returns the URL of RelURL.")}
    assert "document" in kinds(named)


def test_front_matter_title_and_description_are_read_from_yaml_and_toml() -> None:
    from dedupe.group import front_matter_fields
    assert front_matter_fields('---\ntitle: "urls.AbsURL"\nweight: 3\ndescription: Returns a URL.\n---\n# x\n') == {
        "title": "urls.AbsURL", "description": "Returns a URL."}
    assert front_matter_fields("+++\ntitle = 'Build'\ndescription = 'Builds it.'\n+++\ntext\n") == {
        "title": "Build", "description": "Builds it."}
    # a field of a nested table, or text after the front matter, is not the page's
    assert front_matter_fields("---\nparams:\n  title: Inner\n---\ntitle: body text\n") == {}
    assert front_matter_fields("title: no front matter\n") == {}


def test_one_page_on_two_platforms_that_differs_in_marked_names_is_still_reported() -> None:
    description = "Display network-related information such as open connections and open socket ports, as {} does."
    pages = {"common/netstat.md": page("# netstat", description.format("`ss`"), PROSE[0]),
             "osx/netstat.md": page("# netstat", description.format("`lsof`"), PROSE[1])}
    assert kinds(pages) == ["cross"]


def test_a_short_lead_in_and_a_short_statement_that_vary_it_are_parallel() -> None:
    lead, statement = "To convert the `time.Month` value to a string:", "To convert the `time.Month` value to an integer."
    assert kinds({"month.md": page("# Month", PROSE[0], lead, CODE, statement, CODE, PROSE[1])}) == []
    # two statements, or a lead-in of ten words or more, still restate each other
    assert kinds({"month.md": page("# Month", PROSE[0], lead[:-1] + ".", CODE, statement, CODE, PROSE[1])}) == ["near"]
    long_lead = "To convert the `time.Month` value of the given date to a string of text:"
    long_statement = "To convert the `time.Month` value of the given date to an integer of text."
    assert kinds({"month.md": page("# Month", PROSE[0], long_lead, CODE, long_statement, CODE, PROSE[1])}) == ["near"]


ROBOTS = [("Search engines that honor the exclusion protocol will read this file as permission to crawl every page "
           "on the site."),
          ("Search engines that honor the exclusion protocol will read this file as a request to crawl no page on "
           "the site.")]


def test_variants_in_different_paragraphs_of_one_section_are_parallel_statements() -> None:
    one_section = page("# Robots", "## Examples", ROBOTS[0], PROSE[0], ROBOTS[1], "## Themes", PROSE[1])
    assert kinds({"robots.md": one_section}) == []
    # in two sections, in a note that restates its section, or side by side in one paragraph: a restatement
    two = page("# Robots", "## Allow", ROBOTS[0], PROSE[0], "## Deny", PROSE[1], ROBOTS[1])
    assert kinds({"robots.md": two}) == ["near"]
    noted = page("# Robots", "## Examples", ROBOTS[0], PROSE[0], "> " + ROBOTS[1], "## Themes", PROSE[1])
    assert kinds({"robots.md": noted}) == ["near"]
    # a sentence given again with a word changed (0.7 and more) in one section is still a near-duplicate
    edited = ROBOTS[0].replace("every page", "each page")
    assert kinds({"robots.md": page("# Robots", "## Examples", ROBOTS[0], PROSE[0], edited, "## Themes",
                                    PROSE[1])}) == ["near"]


IS_HOME = "The `IsHome` method on a `Page` object returns `true` if the page kind is `home`, and `false` for any other page."
IS_PAGE = ("The `IsPage` method on a `Page` object returns `true` if the page is a regular page, and `false` for any "
           "other page.")


def site(title: str, *parts: str) -> str:
    return f"---\ntitle: {title}\n---\n\n" + page(*parts)


def test_text_shared_between_site_pages_below_the_site_s_copy_similarity_is_its_phrasing() -> None:
    pages = {"IsHome.md": site("IsHome", IS_HOME, PROSE[0]), "pages/IsPage.md": site("IsPage", IS_PAGE, PROSE[1])}
    assert kinds(pages) == []
    # the same sentences in pages without front matter (not a site's pages) are still a near pair
    assert kinds({"IsHome.md": page(IS_HOME, PROSE[0]), "IsPage.md": page(IS_PAGE, PROSE[1])}) == ["cross"]
    # a copy that drifted by a word (into a page of another section) keeps more than the site's
    # phrasing does, and stays reported
    drifted = IS_HOME.replace("any other page", "every other page")
    copied = {"IsHome.md": site("IsHome", IS_HOME, PROSE[0]), "guides/Home.md": site("Home", drifted, PROSE[1])}
    assert kinds(copied) == ["cross"]


def test_a_shared_phrase_between_site_pages_in_sentences_that_differ_is_the_site_s_phrasing() -> None:
    a = ("In the markup settings for links in multilingual single-host projects with duplicated resources, you can "
         "always use the embedded render hook, use it only as a fallback, or never use it.")
    b = ("Images are handled the same way: depending on the site configuration and the theme in use, you can always "
         "use the embedded render hook, use it only as a fallback, or never use it, which is the default.")
    assert kinds({"links.md": site("Links", a, PROSE[0]), "images.md": site("Images", b, PROSE[1])}) == []
    assert kinds({"links.md": page(a, PROSE[0]), "images.md": page(b, PROSE[1])}) == ["cross"]


def test_a_copy_between_site_pages_is_reported_without_the_places_that_only_share_the_phrasing() -> None:
    drifted = IS_HOME.replace("any other page", "every other page")
    pages = {"IsHome.md": site("IsHome", IS_HOME, PROSE[0]), "guides/Home.md": site("Home", drifted, PROSE[1]),
             "IsPage.md": site("IsPage", IS_PAGE, PROSE[2])}
    pages.update({f"page{n}.md": site(f"Page {n}", f"# Page {n}") for n in range(16)})  # three pages are not boilerplate
    findings = dedupe.check(texts=pages, cache=False).findings
    assert [(f.kind, sorted(o.path for o in f.occurrences)) for f in findings] == [
        ("cross", ["IsHome.md", "guides/Home.md"])]


def test_what_two_reference_entries_both_say_of_themselves_is_not_a_repeat() -> None:
    shared = "Local files failing the filters are not uploaded, and remote files failing them are not deleted."
    doc = page("# Deployment", f"`exclude`\n: (`string`) A pattern matching files to exclude. {shared}",
               f"`include`\n: (`string`) A pattern matching files to include. {shared}", PROSE[0])
    assert kinds({"deployment.md": doc}) == []
    # a whole entry given twice is a duplicate entry; the sentence in two paragraphs is a repeat
    entry = page("# Deployment", f"`exclude`\n: {shared}", f"`include`\n: {shared}", PROSE[0])
    assert kinds({"deployment.md": entry}) == ["repeat"]
    prose = page("# Deployment", f"Exclude files with a pattern. {shared}", PROSE[0],
                 f"Include files with a pattern. {shared}")
    assert kinds({"deployment.md": prose}) == ["repeat"]


def test_a_phrase_shared_by_a_description_and_the_lead_in_to_its_example_is_not_a_repeat() -> None:
    lead = DEPLOY[:-1] + ":"
    doc = page("# Build", "## Output", BUILD, PROSE[0], "## Deploy", PROSE[1], lead, CODE)
    assert kinds({"build.md": doc}) == []
    # as a statement it says again what the other section said
    assert kinds({"build.md": page("# Build", "## Output", BUILD, PROSE[0], "## Deploy", PROSE[1], DEPLOY, CODE)}) == [
        "repeat"]


def test_a_phrase_given_again_in_other_sentences_of_a_site_page_is_its_house_phrasing() -> None:
    parts = ["## Output", BUILD, PROSE[0], "## Deploy", PROSE[1], DEPLOY]
    assert kinds({"build.md": site("Build", *parts)}) == []
    # without front matter (not a site's page) it is a repeated phrase; in a site's page, a note
    # that says it again, or the whole sentence given twice, is still reported
    assert kinds({"build.md": page("# Build", *parts)}) == ["repeat"]
    assert kinds({"build.md": site("Build", *parts[:-1], "> " + DEPLOY)}) == ["repeat"]
    assert kinds({"build.md": site("Build", *parts[:-1], BUILD)}) == ["repeat"]


# a page in another folder: the site is divided into sections
OTHER = {"about/introduction.md": site("Introduction", "# Introduction")}
NOTE = ("Whitespace characters include tabs, newlines, vertical tabs, form feeds, carriage returns, and the "
        "characters of the Unicode space separator category.")


def test_text_only_sibling_pages_of_one_section_share_is_the_section_s_template() -> None:
    siblings = {"functions/strings/TrimSpace.md": site("strings.TrimSpace", NOTE, PROSE[0]),
                "functions/strings/ContainsNonSpace.md": site("strings.ContainsNonSpace", NOTE, PROSE[1])}
    assert kinds(siblings | OTHER) == []
    # copied into a page of another section, it is a copy that may drift
    elsewhere = {"functions/strings/TrimSpace.md": site("strings.TrimSpace", NOTE, PROSE[0]),
                 "content-management/whitespace.md": site("Whitespace", NOTE, PROSE[1])}
    assert kinds(elsewhere) == ["cross"]
    # pages without front matter in one folder (not a site's pages) are read as before
    plain = {"functions/strings/TrimSpace.md": page(NOTE, PROSE[0]),
             "functions/strings/ContainsNonSpace.md": page(NOTE, PROSE[1])}
    assert kinds(plain | OTHER) == ["cross"]
    # a site whose pages all lie in one folder is not divided into sections: its pages' copies are copies
    assert kinds(siblings) == ["cross"]
    assert kinds({"TrimSpace.md": site("strings.TrimSpace", NOTE, PROSE[0]),
                  "ContainsNonSpace.md": site("strings.ContainsNonSpace", NOTE, PROSE[1])} | OTHER) == ["cross"]


def test_a_page_bundle_is_a_page_of_its_folder_s_section() -> None:
    guides = {"host/netlify/index.md": site("Netlify", NOTE, PROSE[0]), "host/render.md": site("Render", NOTE, PROSE[1])}
    assert kinds(guides | OTHER) == []


def test_sibling_pages_of_one_section_near_but_not_equal_are_not_whole_page_copies() -> None:
    body = ["Hugo determines the next and previous page by sorting the pages of the site by weight.",
            "Pages with the same weight are then sorted by date, newest first, and then by title.",
            "The sort order can be reversed in the project configuration of the site as a whole.",
            "Pages that are drafts, expired or in the future are left out unless the build includes them."]
    first = site("Next", *body)
    second = site("NextInSection", *[line.replace("of the site by weight", "of the section by weight") for line in body])
    assert "document" not in kinds({"methods/Next.md": first, "methods/NextInSection.md": second} | OTHER)
    # ... unless the site's pages all lie in that folder
    assert "document" in kinds({"methods/Next.md": first, "methods/NextInSection.md": second})
    # in two sections of the site, or word for word in one, they are copies
    assert "document" in kinds({"methods/Next.md": first, "guides/NextInSection.md": second})
    assert "document" in kinds({"methods/Next.md": first, "methods/Copy.md": site("Copy", *body)})


def test_cells_of_one_table_repeat_their_column_s_values() -> None:
    table = ("| Layout | Meaning |\n|---|---|\n| `Z07:00` | Time zone offsets in hours |\n"
             "| `-0700` | Time zone offsets in hours |\n| `2006` | Year with four digits |")
    assert kinds({"layout.md": page("# Layouts", PROSE[0], table, PROSE[1])}) == []
    # the same words in two tables apart, or a cell and a sentence, are a repeat
    first, second = table.split("\n| `-0700`")
    two_tables = page("# Layouts", first, PROSE[0], "| Layout | Meaning |\n|---|---|\n| `-0700`" + second)
    assert kinds({"layout.md": two_tables}) == ["repeat"]


def test_a_short_cross_reference_given_where_each_topic_needs_it_is_not_a_repeat() -> None:
    pointer = "See the [menu templates](/templates/menu/) for details."
    doc = page("# Menus", "## Front matter", PROSE[0], pointer, "## Configuration", PROSE[1], pointer)
    assert kinds({"menus.md": doc}) == []
    # without the link, or ten words and more, it is a sentence given twice
    plain = pointer.replace("[menu templates](/templates/menu/)", "menu templates")
    assert kinds({"menus.md": doc.replace(pointer, plain)}) == ["repeat"]
    long = "See the [menu templates](/templates/menu/) for the details of every kind of entry."
    assert kinds({"menus.md": doc.replace(pointer, long)}) == ["repeat"]


def test_the_same_field_listed_in_two_sections_of_a_page_is_not_a_duplicate_entry() -> None:
    date = "The publish date of the page, from its front matter."
    graph = f"- {date}\n- The name of the site, from its configuration file."
    schema = f"- The type of the object that the page describes.\n- {date}"
    doc = page("# Embedded templates", "## Open Graph", PROSE[0], graph, "## Schema", PROSE[1], schema)
    assert kinds({"embedded.md": doc}) == []
    # in one section, the entry given twice is a duplicate entry
    one = page("# Embedded templates", "## Open Graph", PROSE[0], graph, PROSE[1], schema)
    assert kinds({"embedded.md": one}) == ["repeat"]
