"""The brief's message catalogues: complete, translated, consistent with the code, shipped."""
from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import pytest

from mi.briefs import labels
from mi.briefs.catalogues import LOCALES, catalogue_path, language_of, translations
from mi.briefs.messages import PACKAGE, extract, read

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _ids(catalogue) -> set[object]:
    return {message.id for message in catalogue if message.id}


@pytest.fixture(scope="module")
def template():
    return extract()


def test_extraction_finds_the_strings_of_code_labels_and_templates(template) -> None:
    ids = _ids(template)
    assert "Why you see this:" in ids  # template and code
    assert "Ask next" in ids and "Manufacturing" in ids  # labels marked with N_
    assert ("%(count)s item", "%(count)s items") in ids  # a plural from the code
    assert "New since %(moment)s" in ids  # only in the templates


@pytest.mark.parametrize("language", sorted(LOCALES))
def test_each_catalogue_holds_exactly_the_strings_the_code_uses(language: str, template) -> None:
    """``python -m mi.briefs.messages`` brings the .po files up to date when this fails."""
    catalogue = read(language)
    assert _ids(catalogue) == _ids(template)


@pytest.mark.parametrize("language", sorted(LOCALES))
def test_every_string_is_translated_with_the_same_placeholders(language: str) -> None:
    catalogue = read(language)
    assert not list(catalogue.check())  # Babel's own checks: python-format placeholders, plurals
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, message.id
        wanted = set(PLACEHOLDER.findall(ids[0]))
        assert all(set(PLACEHOLDER.findall(string)) == wanted for string in strings), message.id


def test_the_chinese_catalogue_is_chinese_and_compiles_in_memory() -> None:
    chinese = translations("zh")
    assert chinese.gettext("Your customers") == "您的客户"
    assert chinese.ngettext("%(count)s item", "%(count)s items", 5) == "%(count)s条"
    assert all(chinese.gettext(label) != label for label in labels.INDUSTRIES.values())
    assert translations("en").gettext("Your customers") == "Your customers"


def test_language_codes_are_read_loosely_and_default_to_english() -> None:
    assert [language_of(code) for code in ("zh", "zh-CN", "zh_Hans", "ZH", "en-GB", "fr", "", None)] == [
        "zh", "zh", "zh", "zh", "en", "en", "en", "en"]


def test_templates_and_catalogues_are_package_data_of_a_plain_install() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    patterns = data["mi.briefs"]
    shipped = [path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*")
               if path.is_file() and path.suffix in {".html", ".txt", ".po"}]
    assert {"templates/brief.html", "templates/brief.txt"} <= set(shipped)
    assert all(catalogue_path(language).exists() for language in LOCALES)
    assert all(any(fnmatch.fnmatch(path, pattern) for pattern in patterns) for path in shipped), shipped
