"""Markdown reader, the read stage for ``.md`` and ``.markdown`` files.

In: a file's path and its decoded text. Out: a ``Document`` (format "markdown") whose
blocks are the visible prose: headings, paragraphs (top level, in list items, in
blockquotes), table cells, and image alt text and titles as separate "caption" blocks.

Parsing is markdown-it-py's CommonMark preset plus GFM tables. Front matter (YAML
``---`` or TOML ``+++`` at the top), fenced and indented code, raw HTML, HTML comments,
link destinations and reference definitions give no text; link text and inline code do.

markdown-it reports each block's source lines (``token.map``) but not where inline text
sits, so inline tokens are placed by scanning forward with one cursor inside the block's
lines; the cursor only moves forward, so a repeated sentence maps to its own line.
Text with no exact source gets a zero-length piece (an anchor) at the place it stands
for: a soft or hard line break becomes a space anchored on the newline, a decoded entity
(``&amp;`` -> ``&``, ``&nbsp;`` -> space) is anchored on its ``&``.

Comment directives: ``<!-- dedupe-ignore -->`` suppresses the next block (and any
caption inside it); blocks that start between ``<!-- dedupe off -->`` and
``<!-- dedupe on -->`` (or the end of the file) are suppressed.

Nesting: markdown-it stops reading a container nested ``maxNesting`` levels deep (20
in the commonmark preset, reached by a list ten deep: a list item is two levels), and
a list that deep swallowed the rest of the file. The limit is raised to MAX_NESTING
(reached by a list nested 20 deep: lists 19 deep are read whole). Not further: markdown-it's time on a line of ``>`` grows with the
limit (3 MB of 300-deep quotes: 4.5 s at 20, 15 s at 50, 31 s at 100). Past it, the
document carries a warning naming the line; the text inside the too-deep container is
not read, and the text after it is: markdown-it goes on after a blockquote by itself;
after a too-deep list, reading starts again at the next line that starts a new block
at the left margin (a list item, or any line after a blank one). Those re-reads cover
at most REREAD_SHARE times the file in all, so a pathological file stays linear; past
that the warning says where reading stopped.

A NUL character is U+FFFD to markdown-it (CommonMark's rule); text is looked for in a
copy of the source with the same replacement, and taken from the source itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin

from dedupe.escape import quote_path
from dedupe.model import Block, Document, Role
from dedupe.readers.directives import apply_directives
from dedupe.readers.pieces import TextBuilder

FORMAT = "markdown"

MAX_NESTING = 40  # levels of containers read (commonmark's preset: 20, reached by a list ten deep)
REREAD_SHARE = 4  # characters read again after too-deep lists, as a multiple of the file's
_CONTAINERS = frozenset({"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open", "dl_open",
                         "dd_open"})
# A line at the left margin that starts a block of its own: ends any list around it.
_NEW_BLOCK = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)|[>#|]")
# text_join would fold escapes and entities into plain text; kept apart, each one
# carries its source spelling (``\*``, ``&amp;``) in ``markup``, which is what we look for.


def _parser(*off: str) -> MarkdownIt:
    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").disable(["text_join", *off]).use(
        deflist_plugin)


_PARSER = _parser()
# MDX (Docusaurus, Nextra, Starlight pages) has no indented code: text indented inside
# a component (<Tabs>, <TabItem>, <Admonition>) is prose, as MDX reads it.
_MDX_PARSER = _parser("code")

# A definition list's description is an entry like a list item: descriptions vary one
# theme by design ("(`int`) Returns the width ...", "(`int`) Returns the height ...").
_ITEM_OPEN = frozenset({"list_item_open", "dd_open"})
_ITEM_CLOSE = frozenset({"list_item_close", "dd_close"})
_ROLE_BY_OPENER: dict[str, Role] = {
    "paragraph_open": "sentence",
    "heading_open": "heading",
    "th_open": "cell",
    "td_open": "cell",
    "dt_open": "heading",  # a definition list's term labels the definition under it
}
# Static-site template syntax is markup, not prose: Hugo shortcodes ({{< x >}}, {{% x %}}),
# Liquid and Jinja tags ({% x %}) and output ({{ x }}, outside inline code, where tldr-like
# pages keep placeholders), and MDX import/export lines.
_TEMPLATE_TAG = re.compile(r"\{\{[<%].*?[%>]\}\}|\{%.*?%\}", re.DOTALL)
_TEMPLATE_OUTPUT = re.compile(r"\{\{.*?\}\}")
# A shortcode or tag pair that wraps a code sample (Hugo's {{< highlight go >}} and
# {{< code-toggle >}}, Jekyll's {% highlight %}...{% endhighlight %}): its body is code,
# not prose, though Markdown sees a paragraph ("[[menus.main]] name = 'Home' weight = 10").
# The body stops at the first closing tag and never runs over another opening tag: an
# unclosed one masks nothing.
_CODE_SHORTCODE = re.compile(
    r"\{\{[<%]\s*(highlight|code[\w-]*)\b[^{}]*?[%>]\}\}(?:(?!\{\{[<%]\s*\1\b)[\s\S])*?"
    r"\{\{[<%]\s*/\s*\1\s*[%>]\}\}"
    r"|\{%-?\s*highlight\b.*?%\}.*?\{%-?\s*endhighlight\s*-?%\}", re.DOTALL)
_CODE_SPAN = re.compile(r"(`+).*?\1")
# A definition whose only text was template syntax (": {{< new-in 0.140.0 />}}" above the
# real description) is left as an empty definition line, which ends the definition list
# and glues the term to its description as prose: the marker goes with its text.
_EMPTY_DEFINITION = re.compile(r"^([ \t]*)[:~]([ \t]+)$", re.MULTILINE)
# Admonition markers are markup: a GitHub or Obsidian alert's line at the head of a
# blockquote ("> [!NOTE]", "> [!tip]- Title": a label), and the opening and closing
# lines of a container directive (":::note", "::: warning Custom title", ":::" in
# Docusaurus, VitePress, Starlight), which Markdown reads as prose glued to the body.
_ALERT = re.compile(r"^([ \t]*(?:>[ \t]?)+[ \t]*)(\[![A-Za-z][\w-]*\][+-]?[^\r\n]*)$", re.MULTILINE)
_CONTAINER = re.compile(r"^[ \t]*:::+[^\S\r\n]*(?:[A-Za-z][\w-]*(?:[^\r\n]*))?$", re.MULTILINE)
_MDX_LINE = re.compile(r"^(?:import\s.+\sfrom\s+['\"].*|export\s+(?:default|const|function|let)\b.*)$", re.MULTILINE)
# An MkDocs (Python-Markdown, Material) admonition, a marker line ("!!! note", '???+ tip
# "A title"'), or content tab ('=== "macOS"'), with a body indented four spaces, which
# Markdown would glue to the marker as one paragraph (or read as code after a blank
# line). The marker is markup; the body is read as a blockquote (as "> [!NOTE]" is).
_MKDOCS_ADMONITION = re.compile(r"^(?:(?:!!!|\?\?\?\+?)(?:[ \t]+[\w-]+)+(?:[ \t]+(?:\"[^\"\r\n]*\"|'[^'\r\n]*'))?"
                                r"|===[!+]?[ \t]+\"[^\"\r\n]*\")[ \t]*$", re.MULTILINE)
_LINE_WITH_END = re.compile(r"[^\r\n]*(?:\r\n?|\n|$)")
# A line that is one MDX component's tag (a capitalised name: <Tabs>, </TabItem>,
# <TabItem value="mac" label="macOS" default>, <Callout />) is markup; Markdown would
# read it as an HTML block and drop the text inside with it.
_MDX_COMPONENT = re.compile(r"^[ \t]*</?[A-Z][\w.]*(?:\s[^<>]*)?/?>[ \t]*$", re.MULTILINE)  # attributes may run on
# A JSX template literal, {`...`} (the body of a <CodeBlock>), is code.
_MDX_TEMPLATE = re.compile(r"\{`.*?`\}", re.DOTALL)
# A fence indented four spaces or more, which markdown-it reads as indented code: in MDX
# (no indented code: a fence inside a <TabItem>) and in an MkDocs admonition's body it
# is a fence, and its line has its indentation moved after its backticks (_to_margin).
_INDENTED_FENCE = re.compile(r"^([ \t]{4,})(`{3,}|~{3,})", re.MULTILINE)
# markdown-it splits lines on all three conventions; our line table must agree.
_LINE_BREAK = re.compile(r"\r\n?|\n")
_NEWLINE = re.compile(r"[\r\n]")
_LINE = re.compile(r"([^\r\n]*)(?:\r\n?|\n|\Z)")
_FRONT_MATTER_OPEN = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*(?:\r\n?|\n)")
_FRONT_MATTER_CLOSE = {"---": ("---", "..."), "+++": ("+++",)}
_WORD_OR_SPACE = re.compile(r"\S+|\s+")
_DIRECTIVE = re.compile(r"<!--\s*dedupe(?:-ignore|\s+off|\s+on)\s*-->", re.IGNORECASE)
_STRIP = " \t\n\r\f\v"


def read(path: str, source: str) -> Document:
    """Parse Markdown ``source`` into blocks of visible text mapped back to ``source``."""
    seen = source.replace("\x00", "\ufffd") if "\x00" in source else source
    walk = _Walk(seen, source)
    masked = _mask_templates(_mask_front_matter(seen))
    if "!!!" in masked or "???" in masked or "===" in masked:
        masked = _mask_admonitions(masked)
    mdx = "<" in masked and _MDX_COMPONENT.search(masked) is not None
    if mdx:
        masked = _MDX_COMPONENT.sub(_blank, masked)
        if "{`" in masked:
            masked = _MDX_TEMPLATE.sub(_blank, masked)
        masked = _INDENTED_FENCE.sub(_to_margin, masked)
    stream = _Tokens(masked, _MDX_PARSER if mdx else _PARSER)
    walk.tokens(stream.parse(masked, 0))
    blocks = apply_directives(walk.blocks, walk.directives, len(source))
    warnings: tuple[str, ...] = ()
    if stream.too_deep:
        more = f" (and {len(stream.too_deep) - 1} more places)" if len(stream.too_deep) > 1 else ""
        stopped = f"; reading stopped at line {stream.stopped + 1}" if stream.stopped >= 0 else ""
        warnings = ((f"{quote_path(path)}:{stream.too_deep[0] + 1}: Markdown nested more than {MAX_NESTING} levels "
                     f"deep; the text inside is not read{more}{stopped}"),)
    return Document(path=path, source=source, format=FORMAT, blocks=tuple(blocks), warnings=warnings)


class _Tokens:
    """markdown-it's token stream, with the lines it skipped past a too-deep container read again."""

    def __init__(self, source: str, parser: MarkdownIt = _PARSER) -> None:
        self.source, self.parser = source, parser
        self.line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(source)]
        self.too_deep: list[int] = []  # 0-based lines where a container was nested too deep
        self.stopped = -1  # line where reading stopped for good, if it did
        self.budget = REREAD_SHARE * len(source)  # characters that may still be read again

    def parse(self, text: str, first_line: int) -> list[Token]:
        """Tokens of ``text``, which starts at line ``first_line`` of the source."""
        tokens = self.parser.parse(text)
        if first_line:
            for token in tokens:
                if token.map is not None:
                    token.map = [token.map[0] + first_line, token.map[1] + first_line]
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            out.append(token)
            i += 1
            if not (token.nesting == 1 and token.level >= MAX_NESTING - 1 and token.type in _CONTAINERS
                    and token.map is not None):
                continue
            # markdown-it skipped from here to where it went on: the next token on a later line
            deep = token.map[0]
            resume = len(self.line_starts)
            while i < len(tokens):
                line_map = tokens[i].map
                if line_map is not None and line_map[0] > deep:
                    resume = line_map[0]
                    break
                out.append(tokens[i])
                i += 1
            self.too_deep.append(deep)
            if token.type == "blockquote_open":
                continue  # the lines skipped are the blockquote's own
            # a list's run on to the end of the container around it: read what follows the list
            after = self._list_end(deep + 1, resume)
            skipped = self.source[self._start(after) : self._start(resume)]
            if skipped and len(skipped) > self.budget:
                self.stopped = after if self.stopped < 0 else self.stopped
            elif skipped:
                self.budget -= len(skipped)
                out.extend(self.parse(skipped, after))
        return out

    def _list_end(self, first: int, end: int) -> int:
        """The first line from ``first`` that starts a block at the left margin: a list
        item, a quote, a heading, a table row, or any text after a blank line."""
        blank = False
        for line in range(first, end):
            text = self.source[self._start(line) : self._start(line + 1)].rstrip("\r\n")
            if text and not text[0].isspace() and (blank or _NEW_BLOCK.match(text)):
                return line
            blank = not text.strip()
        return end

    def _start(self, line: int) -> int:
        return self.line_starts[line] if line < len(self.line_starts) else len(self.source)


def _mask_front_matter(source: str) -> str:
    """Blank out front matter, keeping every offset and line number of the rest.

    mdit_py_plugins.front_matter only knows YAML's ``---``; Hugo and Zola use TOML's
    ``+++``. Replacing the block by spaces (newlines kept) makes it blank lines to
    markdown-it, so ``token.map`` still counts lines of the original text.
    """
    opening = _FRONT_MATTER_OPEN.match(source)
    if opening is None:
        return source
    closers = _FRONT_MATTER_CLOSE[opening.group(1)]
    pos = opening.end()
    while pos < len(source):
        line = _LINE.match(source, pos)
        assert line is not None  # _LINE matches at any position
        pos = line.end()
        if line.group(1).rstrip(" \t") in closers:
            return re.sub(r"[^\r\n]", " ", source[:pos]) + source[pos:]
    return source  # never closed: a thematic break, not front matter


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\r\n]", " ", match.group())


def _mask_admonitions(source: str) -> str:
    """MkDocs admonitions and content tabs as notes: each marker line blanked, and the
    first four spaces of each line of its body (the lines indented four spaces or blank
    after it) made a blockquote's marker, ">   " (same length: offsets and lines stay the
    original's). A code fence in the body is moved out to the margin instead, its
    indentation after its backticks, so that an empty line in its code (which would end
    a quote) does not cut it in two."""
    out, pos = [], 0
    for marker in _MKDOCS_ADMONITION.finditer(source):
        if marker.start() < pos:
            continue  # inside the body of the one before
        out.append(source[pos : marker.start()])
        out.append(_blank(marker))
        pos = marker.end()
        fence = ""  # the open fence's backticks or tildes, while in one
        for line in _LINE_WITH_END.finditer(source, pos):
            text = line.group().rstrip("\r\n")
            if not line.group() or (text.strip() and not text.startswith("    ")):
                break
            opening = _INDENTED_FENCE.match(text)
            if opening and (not fence or (opening.group(2).startswith(fence) and not text[opening.end():].strip())):
                fence = "" if fence else opening.group(2)
                out.append(_to_margin(opening) + line.group()[opening.end():])
            elif fence or not text:
                out.append(line.group())  # code, or an empty line
            elif text.strip():
                out.append(">   " + line.group()[4:])
            else:  # a line of spaces (or left blank by masking a template tag) stays in the quote
                out.append(">" + line.group()[1:])
            pos = line.end()
    out.append(source[pos:])
    return "".join(out)


def _to_margin(fence: re.Match[str]) -> str:
    """An indented fence's opening (_INDENTED_FENCE) at the margin: its backticks, then
    its indentation (the same characters: offsets and lines stay the source's)."""
    return fence.group(2) + fence.group(1)


def _blank_tag(match: re.Match[str]) -> str:
    """A template tag blanked; one that opens a line of text ("{{< new-in 0.1 >}} To build
    and install:") starts with a no-break space, which Markdown does not count as
    indentation: four spaces or more would make the text after it a code block."""
    blank = _blank(match)
    source, start, end = match.string, match.start(), match.end()
    before = source[source.rfind("\n", 0, start) + 1 : start]
    line_end = source.find("\n", end)
    after = source[end:] if line_end < 0 else source[end:line_end]
    if before.strip(" \t") or not after.strip() or "\n" in match.group():
        return blank
    return "\u00a0" + blank[1:]


def _mask_templates(source: str) -> str:
    """Blank out template syntax (spaces for every character but line breaks, so offsets
    and lines stay those of the original): it is markup, and a shortcode repeated down a
    page is not a repeated sentence."""
    if "[!" in source:
        source = _ALERT.sub(lambda m: m.group(1) + " " * len(m.group(2)), source)
    if ":::" in source:
        source = _CONTAINER.sub(_blank, source)
    if "{" not in source and "import" not in source and "export" not in source:
        return source
    masked = _MDX_LINE.sub(_blank, _TEMPLATE_TAG.sub(_blank_tag, _CODE_SHORTCODE.sub(_blank, source)))
    masked = _EMPTY_DEFINITION.sub(_blank, masked)
    if "{{" not in masked:
        return masked
    out, pos = [], 0
    for code in _CODE_SPAN.finditer(masked):  # {{ x }} inside inline code is the code's own text
        out.append(_TEMPLATE_OUTPUT.sub(_blank, masked[pos : code.start()]))
        out.append(code.group())
        pos = code.end()
    out.append(_TEMPLATE_OUTPUT.sub(_blank, masked[pos:]))
    return "".join(out)


def _anchor_only(children: Sequence[Token]) -> bool:
    """True for an item that is only a link to a place in its own page (``[Usage](#usage)``):
    an entry of a table of contents, which repeats its heading by design."""
    links = [c for c in children if c.type == "link_open"]
    rest = [c for c in children if c.type not in ("link_open", "link_close", "text", "code_inline", "softbreak")]
    if len(links) != 1 or rest or children[0].type != "link_open" or children[-1].type != "link_close":
        return False
    href = links[0].attrGet("href")
    return isinstance(href, str) and href.startswith("#")


def _code_only(children: Sequence[Token]) -> bool:
    """True for inline content made of code spans and nothing else but spaces."""
    code = False
    for child in children:
        if child.type == "code_inline":
            code = True
        elif child.type not in ("softbreak", "hardbreak") and not (child.type == "text" and not child.content.strip()):
            return False
    return code


class _BlockText(TextBuilder):
    """A Markdown block's text with the role of the element it came from."""

    def __init__(self, source: str, role: Role) -> None:
        super().__init__(source)
        self.role = role

    def block(self) -> Block | None:
        """The finished block with outer whitespace trimmed, or None when it has no text."""
        text = "".join(self.parts)
        lead = len(text) - len(text.lstrip(_STRIP))
        keep = len(text.rstrip(_STRIP))
        if keep <= lead:
            return None
        pieces: list[tuple[int, int, int]] = []
        for t, s, n in self.pieces:
            lo, hi = max(t, lead), min(t + n, keep)
            if n == 0 and lead <= t < keep:
                pieces.append((t - lead, s, 0))
            elif lo < hi:
                pieces.append((lo - lead, s + lo - t, hi - lo))
        return Block(role=self.role, text=text[lead:keep], pieces=tuple(pieces))


class _Walk:
    """Walks markdown-it's token stream, placing inline text in the source with a cursor.

    Text is looked for in ``source`` (as markdown-it saw it) and taken from ``original``
    (the same length: only NUL differs)."""

    def __init__(self, source: str, original: str) -> None:
        self.source = source
        self.original = original
        self.line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(source)]
        self.cursor = 0
        self.limit = 0
        self.blocks: list[tuple[Block, int]] = []  # with the end of the block's lines
        self.directives: list[tuple[int, str]] = []

    def tokens(self, tokens: Sequence[Token]) -> None:
        """Turn inline tokens into blocks and html blocks into directives; skip the rest."""
        items = 0  # list items and definitions open around the token
        for i, token in enumerate(tokens):
            if token.type in _ITEM_OPEN:
                items += 1
            elif token.type in _ITEM_CLOSE:
                items -= 1
            if token.type == "inline" and token.map is not None:
                self._enter(token.map)
                if _code_only(token.children or []):
                    continue  # a paragraph that is one code sample: code, like a fenced block
                if items and _anchor_only(token.children or []):
                    continue  # a table of contents' entry: the heading it links to is the text
                role = _ROLE_BY_OPENER.get(tokens[i - 1].type, "sentence")
                text = _BlockText(self.original, "item" if items and role == "sentence" else role)
                captions: list[_BlockText] = []
                self._inline(token.children or [], text, captions)
                for built in (text, *captions):
                    block = built.block()
                    if block is not None:
                        self.blocks.append((block, self.limit))
            elif token.type == "html_block" and token.map is not None:
                self._enter(token.map)
                self._note_directives(self.cursor, self.limit)

    def _enter(self, line_map: list[int]) -> None:
        """Confine the cursor to the source lines of one block token. A definition list's
        term comes with an empty range ([n, n]: mdit-py-plugins' deflist): it is line n."""
        first, last = line_map
        self.cursor = max(self.cursor, self._line_start(first))
        self.limit = self._line_start(max(last, first + 1))

    def _line_start(self, line: int) -> int:
        return self.line_starts[line] if line < len(self.line_starts) else len(self.source)

    def _find(self, needle: str) -> int:
        return self.source.find(needle, self.cursor, self.limit)

    def _inline(self, children: Sequence[Token], out: _BlockText, captions: list[_BlockText]) -> None:
        """Append the visible text of inline tokens to ``out``; images go to ``captions``."""
        for child in children:
            kind = child.type
            if kind == "text":
                self._place(child.content, out)
            elif kind == "text_special":
                self._special(child, out)
            elif kind == "code_inline":
                self._skip_past(child.markup)
                self._place(child.content, out)
                self._skip_past(child.markup)
            elif kind in ("softbreak", "hardbreak"):
                newline = _NEWLINE.search(self.source, self.cursor, self.limit)
                at = newline.start() if newline else self.cursor
                out.unmapped(" ", at)
                self.cursor = at + 1
            elif kind == "html_inline":
                at = self._find(child.content)
                if at >= 0:
                    self.cursor = at + len(child.content)
                    self._note_directives(at, self.cursor)
            elif kind == "image":
                self._image(child, captions)
            elif kind == "link_close":
                if child.markup == "autolink":
                    self._skip_past(">")
                else:
                    self._skip_destination()

    def _special(self, token: Token, out: _BlockText) -> None:
        """An escape maps to the character after its backslash; an entity is anchored."""
        at = self._find(token.markup)
        if at < 0:
            out.unmapped(token.content, self.cursor)
            return
        self.cursor = at + len(token.markup)
        if token.info == "escape" and self.source[at + 1 : self.cursor] == token.content:
            out.mapped(at + 1, self.cursor)
        else:
            out.unmapped(" " if token.content == "\xa0" else token.content, at)

    def _image(self, image: Token, captions: list[_BlockText]) -> None:
        """Alt text and title of an image become caption blocks of their own."""
        alt = _BlockText(self.original, "caption")
        self._inline(image.children or [], alt, captions)
        captions.append(alt)
        title_span = self._skip_destination()
        title = image.attrGet("title")
        if title_span is not None and isinstance(title, str) and title:
            caption = _BlockText(self.original, "caption")
            self._place_between(title, caption, *title_span)
            captions.append(caption)

    def _skip_past(self, needle: str) -> None:
        at = self._find(needle)
        if at >= 0:
            self.cursor = at + len(needle)

    def _skip_destination(self) -> tuple[int, int] | None:
        """Move past ``](url "title")`` or ``][label]``; return the title's span, if any.

        Link destinations are not visible text, and a title may repeat words of the
        sentence, so the cursor must be past them before the next text is placed.
        """
        close = self._find("]")
        if close < 0:
            return None
        src, end = self.source, self.limit
        pos = self.cursor = close + 1
        if pos < end and src[pos] == "[":
            label_end = src.find("]", pos, end)
            if label_end >= 0:
                self.cursor = label_end + 1
            return None
        if pos >= end or src[pos] != "(":
            return None
        pos = self._skip_space(pos + 1)
        destination = parseLinkDestination(src, pos, end)
        if destination.ok:
            pos = self._skip_space(destination.pos)
        title = parseLinkTitle(src, pos, end)
        span = None
        if title.ok:
            span = (pos + 1, title.pos - 1)
            pos = self._skip_space(title.pos)
        if pos < end and src[pos] == ")":
            self.cursor = pos + 1
        return span

    def _skip_space(self, pos: int) -> int:
        while pos < self.limit and self.source[pos] in " \t\r\n":
            pos += 1
        return pos

    def _place(self, content: str, out: _BlockText) -> None:
        """Append ``content`` mapped at or after the cursor, and move the cursor past it."""
        self.cursor = self._place_between(content, out, self.cursor, self.limit)

    def _place_between(self, content: str, out: _BlockText, start: int, end: int) -> int:
        """Append ``content`` mapped to its first occurrence in ``source[start:end]``; return where it ends.

        Text tokens are source slices, so the whole string is usually found. When it is
        not (an escaped pipe in a table cell, a normalised autolink, a code span that
        spans lines), words are placed one by one and what cannot be found is anchored.
        """
        at = self.source.find(content, start, end)
        if at >= 0:
            out.mapped(at, at + len(content))
            return at + len(content)
        cursor = start
        for part in _WORD_OR_SPACE.finditer(content):
            word = part.group()
            if word[0].isspace():
                at = cursor if self.source.startswith(word, cursor) else -1
            else:
                at = self.source.find(word, cursor, end)
            if at >= 0:
                out.mapped(at, at + len(word))
                cursor = at + len(word)
            else:
                out.unmapped(word, cursor)
        return cursor

    def _note_directives(self, start: int, end: int) -> None:
        for match in _DIRECTIVE.finditer(self.source, start, end):
            self.directives.append((match.start(), _directive_name(match.group())))


def _directive_name(comment: str) -> str:
    """``<!--  Dedupe   OFF -->`` -> ``dedupe off``."""
    return " ".join(comment[4:-3].lower().split())
