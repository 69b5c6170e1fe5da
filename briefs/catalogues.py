"""The brief's message catalogues, read from the ``.po`` files beside the code.

The ``.po`` files are the only form kept in the repository: each is compiled in memory the
first time a language is asked for, so there is no build step to forget and no ``.mo`` that
could drift from its source. A message left untranslated (or marked fuzzy) falls back to
its English msgid.
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
#: The languages a brief is written in (``Brief.language``) and the Babel locale each one
#: formats dates and numbers with. Chinese is Simplified, as the bank's mainland RMs read it.
LOCALES = {"en": "en", "zh": "zh_Hans_CN"}
DEFAULT_LANGUAGE = "en"


def language_of(requested: str | None) -> str:
    """The shipped language for ``requested`` ("zh-CN" and "zh_Hans" are "zh"); English for
    anything else, so a brief still goes out when the book names a language we lack."""
    base = (requested or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in LOCALES else DEFAULT_LANGUAGE


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(language: str) -> Translations:
    """The compiled catalogue of a shipped ``language`` (see ``LOCALES``)."""
    if language not in LOCALES:
        raise ValueError(f"no message catalogue for language {language!r}")
    with catalogue_path(language).open("rb") as handle:
        catalogue = read_po(handle, locale=LOCALES[language], domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


@lru_cache(maxsize=None)
def locale(language: str) -> Locale:
    return Locale.parse(LOCALES[language])
