"""HTML reader, the read stage for ``.html`` and ``.htm`` files.

In: a file's path and its decoded text. Out: a ``Document`` (format "html") whose
blocks are the visible text: one block per run of text between block-level tags
(``p``, ``li``, ``div``, ``h1``-``h6``, ``td``, ``figcaption``, ``br``...), the
``<title>`` (shown, never compared: model.UNCHECKED_ROLES), and ``img`` alt and title
attributes as "caption" blocks (but for images in a ``figure`` with a visible caption). Inline tags (``a``, ``em``, ``span``, ``code``...)
continue the current block; ``script``, ``style``, ``template``, ``noscript``, ``svg``,
``math``, ``pre``, a few widgets, navigation (``nav``) and sidebars (``aside``) give no
text.

The stdlib ``HTMLParser`` runs with ``convert_charrefs=False`` so that entities arrive
on their own, at their own position. Text is sliced from the source at the offset
``getpos()`` reports, so pieces are exact by construction. Runs of HTML whitespace
become one space: a piece when the run starts with a space, else a zero-length anchor
piece on the run's first character. A decoded entity (``&amp;`` -> ``&``,
``&#8217;`` -> ``’``, ``&nbsp;`` -> a collapsible space) is anchored on its ``&``.

Comment directives: ``<!-- dedupe-ignore -->`` suppresses the next block (and any
caption inside it); blocks that start between ``<!-- dedupe off -->`` and
``<!-- dedupe on -->`` (or the end of the file) are suppressed.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from dedupe.model import Block, Document, Role
from dedupe.readers.directives import apply_directives
from dedupe.readers.pieces import TextBuilder

FORMAT = "html"

# Elements whose content a reader of the page does not see as prose. Navigation and
# sidebars (``nav``, ``aside``) are the site's, not the article's: a "Most read" list
# names the page's own headline and other articles' headlines, a pull quote repeats a
# sentence of the body on purpose.
_SKIPPED = frozenset(
    {"script", "style", "template", "noscript", "svg", "math", "pre", "textarea", "select",
     "iframe", "object", "canvas", "audio", "video", "nav", "aside"}
)  # fmt: skip
_BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd",
     "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
     "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html",
     "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table",
     "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul"}
)  # fmt: skip
_VOID_BLOCK = frozenset({"br", "hr"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})  # elements without an end tag
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that give their text a role; other block elements take their parent's
# role, so a <p> inside a <figcaption> is still a caption.
_ROLE_BY_TAG: dict[str, Role] = {
    **dict.fromkeys(_HEADINGS, "heading"),
    "td": "cell", "th": "cell", "figcaption": "caption", "caption": "caption", "title": "title", "li": "item",
}  # fmt: skip
# An open element of the group is closed by a new one (an unclosed <li> by the next
# <li>), but not across the boundary element that contains the group. Left open, a
# <td> or <h1> would give its role to every paragraph after it.
_IMPLIED_END: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    **dict.fromkeys(_HEADINGS, (_HEADINGS, _BLOCK)),  # only the innermost open block
    "p": (frozenset({"p"}), _BLOCK),
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table"})),
}
_CAPTION_ATTRIBUTES = ("alt", "title")
_HTML_SPACE = " \t\n\r\f"
_WORD_OR_SPACE = re.compile(r"[ \t\n\r\f]+|[^ \t\n\r\f]+")
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[a-zA-Z][-.a-zA-Z0-9]*;?)")
_ATTRIBUTE = re.compile(r"""([^\s/>"'=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_DIRECTIVES = frozenset({"dedupe-ignore", "dedupe off", "dedupe on"})


def read(path: str, source: str) -> Document:
    """Parse HTML ``source`` into blocks of visible text mapped back to ``source``."""
    parser = _Parser(source)
    parser.feed(source)
    # Python's parser stops at a stray "&#" and waits for more input; feeding
    # nothing resumes it, so one bad reference does not turn the rest into text.
    while True:
        pending = len(parser.rawdata)
        parser.feed("")
        if len(parser.rawdata) >= pending:
            break
    parser.close()
    parser.flush(len(source))
    kept = [b for i, b in enumerate(parser.blocks) if i not in parser.dropped]
    blocks = apply_directives(kept, parser.directives, len(source))
    return Document(path=path, source=source, format=FORMAT, blocks=tuple(blocks))


class _BlockText(TextBuilder):
    """An HTML block's text: whitespace runs collapse to one space, entities decode."""

    def text(self, start: int, end: int) -> None:
        """Append ``source[start:end]`` with each whitespace run collapsed to one space."""
        for run in _WORD_OR_SPACE.finditer(self.source, start, end):
            if run.group()[0] in _HTML_SPACE:
                self.space(run.start())
            else:
                self.mapped(run.start(), run.end())

    def space(self, at: int) -> None:
        """One space for the whitespace at ``at``, unless the block is empty or already ends in one."""
        if not self.parts or self.parts[-1].endswith(" "):
            return
        if self.source[at] == " ":
            self.mapped(at, at + 1)
        else:
            self.unmapped(" ", at)

    def entity(self, start: int, end: int) -> None:
        """Append the decoded reference ``source[start:end]``; unknown names stay as written."""
        raw = self.source[start:end]
        decoded = html.unescape(raw)
        if decoded == raw:
            self.text(start, end)
        elif decoded.isspace():
            self.space(start)
        else:
            self.unmapped(decoded, start)

    def block(self, role: Role) -> Block | None:
        """The finished block without its trailing space, or None when it has no text."""
        text = "".join(self.parts).rstrip(" ")
        if not text:
            return None
        pieces = [(t, s, min(n, len(text) - t)) for t, s, n in self.pieces if t < len(text)]
        return Block(role=role, text=text, pieces=tuple(pieces))


class _Figure:
    """An open <figure>: whether a visible caption was read inside it, and where its
    images' alt/title blocks start in ``_Parser.undecided``."""

    __slots__ = ("captioned", "first")

    def __init__(self, first: int) -> None:
        self.captioned = False
        self.first = first


class _Parser(HTMLParser):
    """Collects blocks and directive comments while the stdlib parser walks the page.

    Every tag costs the same whatever the nesting depth: the open elements are a stack,
    with for each tag name the stack of its places in it (``places``) and the places of
    the elements that give a role (``roles``), so that finding the element a tag closes,
    or the role of the text, never scans the stack. A page 100,000 elements deep is read
    in about a second; scanning took minutes."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.skipping: list[str] = []  # a skipped element and the elements open inside it, innermost last
        self.skipped_count: dict[str, int] = {}  # how many of each tag ``skipping`` holds
        self.open_blocks: list[str] = []  # open block elements, innermost last
        self.places: dict[str, list[int]] = {}  # tag -> its indexes in open_blocks, innermost last
        self.roles: list[int] = []  # indexes in open_blocks of elements in _ROLE_BY_TAG
        self.current = _BlockText(source)
        self.blocks: list[tuple[Block, int]] = []  # with the offset where the block ends
        self.directives: list[tuple[int, str]] = []
        self.figures: list[_Figure] = []  # open <figure>s, innermost last
        self.undecided: list[int] = []  # alt/title blocks inside open figures, until their figure closes
        self.dropped: set[int] = set()  # alt/title blocks of figures with a visible caption

    def _offset(self) -> int:
        """Source offset of the construct being handled; getpos() counts lines by "\\n"."""
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _role(self) -> Role:
        return _ROLE_BY_TAG[self.open_blocks[self.roles[-1]]] if self.roles else "sentence"

    def _open(self, tag: str) -> None:
        self.places.setdefault(tag, []).append(len(self.open_blocks))
        if tag in _ROLE_BY_TAG:
            self.roles.append(len(self.open_blocks))
        self.open_blocks.append(tag)

    def _close_from(self, i: int) -> None:
        """Close the open element at index ``i`` and every element inside it."""
        for tag in self.open_blocks[i:]:
            self.places[tag].pop()
        while self.roles and self.roles[-1] >= i:
            self.roles.pop()
        del self.open_blocks[i:]

    def _innermost(self, tags: frozenset[str]) -> int:
        """Index in open_blocks of the innermost open element among ``tags``, or -1."""
        return max((self.places[t][-1] for t in tags if self.places.get(t)), default=-1)

    def flush(self, end: int) -> None:
        """End the current block at the block boundary at ``end``."""
        block = self.current.block(self._role())
        if block is not None:
            if block.role == "caption" and self.figures:
                self.figures[-1].captioned = True
            self.blocks.append((block, end))
        self.current = _BlockText(self.source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag not in _VOID:
                self._skip(tag)
            return
        if tag in _BLOCK:
            self.flush(self._offset())
        if tag == "figure":
            self.figures.append(_Figure(len(self.undecided)))
        if tag in _SKIPPED:
            self._skip(tag)
        elif tag == "img":
            self._captions(self._offset(), self.get_starttag_text() or "")
        elif tag in _BLOCK and tag not in _VOID_BLOCK:
            self._close_implied(tag)
            self._open(tag)

    def _skip(self, tag: str) -> None:
        self.skipping.append(tag)
        self.skipped_count[tag] = self.skipped_count.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if self.skipped_count.get(tag):
                while True:
                    top = self.skipping.pop()
                    self.skipped_count[top] -= 1
                    if top == tag:
                        return
            if not self.places.get(tag):
                return
            # An element open before the skipped one ends (an <aside> left unclosed in its
            # <main>): browsers end the skipped element there too, and so does this reader.
            self.skipping.clear()
            self.skipped_count.clear()
        if tag in _BLOCK:
            self.flush(self._offset())
            if tag == "figure" and self.figures:
                self._figure_closed(self.figures.pop())
            # Browsers let any heading end tag close any open heading: <h1>Title</h2>.
            i = self._innermost(_HEADINGS if tag in _HEADINGS else frozenset({tag}))
            if i >= 0:
                self._close_from(i)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            start = self._offset()
            self.current.text(start, start + len(data))

    def handle_entityref(self, name: str) -> None:
        self._reference()

    def handle_charref(self, name: str) -> None:
        self._reference()

    def _reference(self) -> None:
        if self.skipping:
            return
        start = self._offset()
        match = _ENTITY.match(self.source, start)
        if match is not None:
            self.current.entity(start, match.end())

    def handle_comment(self, data: str) -> None:
        name = " ".join(data.lower().split())
        if name in _DIRECTIVES and not self.skipping:
            self.directives.append((self._offset(), name))

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """Skip an unknown ``<![keyword ...>`` as browsers do (Python < 3.13 raises AssertionError)."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1

    def _close_implied(self, tag: str) -> None:
        """Close an element the new tag ends implicitly (an unclosed <li> before the next <li>):
        the innermost open element of the tag's group, unless a boundary element (the list
        around the items) is open inside it."""
        if tag not in _IMPLIED_END:
            return
        group, boundary = _IMPLIED_END[tag]
        inner = self._innermost(group)
        if inner < 0:
            return
        # every open element is a block element: the innermost is _BLOCK's innermost
        wall = len(self.open_blocks) - 1 if boundary is _BLOCK else self._innermost(boundary)
        if inner >= wall:
            self._close_from(inner)

    def _figure_closed(self, figure: _Figure) -> None:
        """A figure with a visible caption: its images' alt and title attributes are not
        read. CMSs fill the alt with the caption, and a figure's alt restating its own
        figcaption is not a caption printed twice. Without one, they are left to the
        figure around it, if any, to decide."""
        if figure.captioned:
            self.dropped.update(self.undecided[figure.first :])
        if figure.captioned or not self.figures:
            del self.undecided[figure.first :]
        if self.figures:
            self.figures[-1].captioned |= figure.captioned

    def _captions(self, tag_start: int, tag_text: str) -> None:
        """An image's alt and title attributes, each a caption block of its own."""
        for attribute in _ATTRIBUTE.finditer(tag_text, 4):  # after "<img"
            if attribute.group(1).lower() not in _CAPTION_ATTRIBUTES:
                continue
            value = next((g for g in (2, 3, 4) if attribute.group(g) is not None), None)
            if value is None:
                continue
            caption = _BlockText(self.source)
            start, end = tag_start + attribute.start(value), tag_start + attribute.end(value)
            position = start
            for reference in _ENTITY.finditer(self.source, start, end):
                caption.text(position, reference.start())
                caption.entity(reference.start(), reference.end())
                position = reference.end()
            caption.text(position, end)
            block = caption.block("caption")
            if block is not None:
                if self.figures:
                    self.undecided.append(len(self.blocks))
                self.blocks.append((block, tag_start + len(tag_text)))
