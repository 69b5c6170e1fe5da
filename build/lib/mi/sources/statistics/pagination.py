"""Where page N of a paginated payload lives, for the sources that put it in ``follow``.

An API URL carries the page as a query parameter; the offline snapshot keeps each page as
its own file with the page number in the name (``...-page1.json``). The parser asks the
strategy for the target's kind and never builds URLs itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol


class PageLinks(Protocol):
    def page(self, target: str, number: int) -> str | None:
        """The address of page ``number`` of the listing ``target`` belongs to, or None."""


@dataclass(frozen=True)
class QueryPageLinks:
    """``...?format=json&per_page=50`` -> ``...&page=2``: the rest of the URL stays verbatim,
    so an API's own separators (``DEU;FRA``) are not re-encoded."""

    parameter: str = "page"

    def page(self, target: str, number: int) -> str | None:
        base, hash_mark, fragment = target.partition("#")
        pattern = re.compile(rf"(?<=[?&]){re.escape(self.parameter)}=[^&]*")
        if pattern.search(base):
            base = pattern.sub(f"{self.parameter}={number}", base, count=1)
        else:
            base += ("&" if "?" in base else "?") + f"{self.parameter}={number}"
        return base + hash_mark + fragment


@dataclass(frozen=True)
class FileNamePageLinks:
    """``wb-gdp-page1.json`` -> ``wb-gdp-page2.json``; a name without a page number has no pages."""

    def page(self, target: str, number: int) -> str | None:
        pattern = re.compile(r"(page[-_]?)(\d+)(\.[A-Za-z0-9]+)?$")
        if not pattern.search(target):
            return None
        return pattern.sub(lambda m: f"{m[1]}{number}{m[3] or ''}", target, count=1)


def page_links_for(target: str) -> PageLinks:
    return QueryPageLinks() if target.startswith(("http://", "https://")) else FileNamePageLinks()
