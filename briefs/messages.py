"""Keeping the message catalogues in step with the code and the templates.

``python -m mi.briefs.messages`` extracts every translatable string (``_()``/``gettext`` in
the code, ``N_`` in the labels, ``_()`` in the templates), adds new ones to each language's
``.po`` file and drops vanished ones; translators then fill in the Chinese. English
is the source language, so its catalogue simply repeats each msgid. The tests run the same
extraction and fail when a catalogue lacks a string or a Chinese translation.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from mi.briefs.catalogues import DOMAIN, LOCALES, catalogue_path

PACKAGE = Path(__file__).resolve().parent
_JINJA = "jinja2.ext:babel_extract"
_METHODS = [("**.py", "python"), ("templates/**.html", _JINJA), ("templates/**.txt", _JINJA)]
_OPTIONS = {pattern: {"extensions": "jinja2.ext.i18n"} for pattern, method in _METHODS if method == _JINJA}


def extract() -> Catalog:
    """Every translatable string of the package, as a catalogue template."""
    template = Catalog(domain=DOMAIN, project="mi briefs", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), _METHODS, options_map=_OPTIONS, comment_tags=("Translators:",)):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read(language: str) -> Catalog:
    with catalogue_path(language).open("rb") as handle:
        return read_po(handle, locale=LOCALES[language], domain=DOMAIN)


def update() -> list[Path]:
    """Brings each language's ``.po`` file up to date with the code; returns the files."""
    written = []
    for language in LOCALES:
        path = catalogue_path(language)
        catalogue = read(language) if path.exists() else Catalog(locale=LOCALES[language], domain=DOMAIN,
                                                                  project="mi briefs", copyright_holder="mi")
        # A template of its own per language: Catalog.update shares the template's message
        # objects, so English filled in here would otherwise reach the Chinese catalogue.
        catalogue.update(extract(), no_fuzzy_matching=True)
        catalogue.fuzzy = False  # the header: a fuzzy one reads as a draft to translators' tools
        if language == "en":  # the source language: each msgstr is its msgid
            for message in catalogue:
                if message.id and not any(message.string if isinstance(message.string, tuple)
                                          else (message.string,)):
                    message.string = message.id
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalogue, width=100, omit_header=False, sort_output=False, ignore_obsolete=True)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in update():
        print(path, file=sys.stdout)
