"""Rendering markdown the way a reader's tool would, to check what comes out as HTML."""
from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt


def commonmark() -> MarkdownIt:
    """CommonMark with GFM tables and strike-through (markdown-it-py, which Rich depends on).

    html=True, the preset's default: raw HTML in the input would pass straight through."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def tags(rendered: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag in rendered HTML with its attributes, in order."""
    parser = _Tags()
    parser.feed(rendered)
    return parser.found
