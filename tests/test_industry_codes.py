"""Industry codes of every supported scheme map to the right ISIC Rev.4 section."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mi.reference.industries import DATA_DIR, SCHEME_FILES, SECTIONS, isic_section, mapping

SAMPLE_COMPANIES = Path(__file__).parent.parent / "scripts" / "data" / "sp500_companies.csv"


@pytest.mark.parametrize(("scheme", "code", "section"), [
    # ISIC itself: letters, divisions, classes, dotted and zero-stripped spellings.
    ("ISIC", "K", "K"), ("ISIC", "64", "K"), ("ISIC", "6419", "K"), ("ISIC", "64.19", "K"),
    ("ISIC", "0111", "A"), ("ISIC", "111", "A"), ("ISIC", "C1010", "C"), ("ISIC", "35", "D"),
    ("ISIC", "36", "E"), ("ISIC", "62", "J"), ("ISIC", "99", "U"),
    # NAICS 2022: sectors, ranges, and sub-sectors that sit in another ISIC section.
    ("NAICS", "5221", "K"), ("NAICS", "522110", "K"), ("NAICS", "31-33", "C"), ("NAICS", "336111", "C"),
    ("NAICS", "4451", "G"), ("NAICS", "4841", "H"), ("NAICS", "541511", "J"), ("NAICS", "541110", "M"),
    ("NAICS", "221310", "E"), ("NAICS", "221112", "D"), ("NAICS", "562111", "E"), ("NAICS", "532111", "N"),
    ("NAICS", "551111", "K"), ("NAICS", "551114", "M"), ("NAICS", "811111", "G"), ("NAICS", "814110", "T"),
    ("NAICS", "722511", "I"), ("NAICS", "921110", "O"),
    # SIC 1987, including zeros lost by the SEC export and spreadsheets.
    ("SIC", "2834", "C"), ("SIC", "6021", "K"), ("SIC", "5812", "I"), ("SIC", "100", "A"),
    ("SIC", "0100", "A"), ("SIC", "2711", "J"), ("SIC", "2750", "C"), ("SIC", "7372", "J"),
    ("SIC", "4911", "D"), ("SIC", "4941", "E"), ("SIC", "4922", "H"), ("SIC", "6798", "L"),
    ("SIC", "6770", "K"), ("SIC", "8062", "Q"), ("SIC", "9999", None),
    # GICS: by code only, at each level.
    ("GICS", "45102010", "J"), ("GICS", "45", "J"), ("GICS", "4520", "C"), ("GICS", "10102030", "C"),
    ("GICS", "10102020", "B"), ("GICS", "10102040", "H"), ("GICS", "40101010", "K"), ("GICS", "35102030", "K"),
    ("GICS", "35102015", "Q"), ("GICS", "25201030", "F"), ("GICS", "55104010", "E"), ("GICS", "60108040", "A"),
    ("GICS", "50201010", "M"), ("GICS", "25401040", "J"), ("GICS", "404020", "L"),
    # GB/T 4754-2017: letters differ from ISIC after D.
    ("GBT4754", "C", "C"), ("GBT4754", "E", "F"), ("GBT4754", "F", "G"), ("GBT4754", "I", "J"),
    ("GBT4754", "J", "K"), ("GBT4754", "K", "L"), ("GBT4754", "L", "N"), ("GBT4754", "N", "E"),
    ("GBT4754", "O", "S"), ("GBT4754", "S", "O"), ("GBT4754", "T", "U"), ("GBT4754", "C3311", "C"),
    ("GBT4754", "4610", "E"), ("GBT4754", "6513", "J"), ("GBT4754", "6620", "K"), ("GBT4754", "7250", "M"),
    ("GBT4754", "7111", "N"), ("GBT4754", "8111", "G"), ("GBT4754", "86", "J"), ("GBT4754", "97", "U"),
])
def test_known_codes_map_to_their_section(scheme: str, code: str, section: str | None) -> None:
    assert isic_section(scheme, code) == section


def test_scheme_names_are_forgiving_and_unknown_input_maps_to_nothing() -> None:
    assert isic_section("gb/t 4754", "J66") == "K"
    assert isic_section("naics2022", "52") == "K"
    assert isic_section("NACE", "64") is None
    assert isic_section("NAICS", "") is None
    assert isic_section("GICS", "99") is None


@pytest.mark.parametrize("scheme", sorted(SCHEME_FILES))
def test_every_table_maps_unique_codes_to_section_letters(scheme: str) -> None:
    with open(DATA_DIR / SCHEME_FILES[scheme], newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    assert {row["isic_section"] for row in rows} <= SECTIONS
    assert len(mapping(scheme).codes) == len(rows)


def test_isic_and_gbt_tables_cover_every_division() -> None:
    isic = mapping("ISIC").codes
    assert set(isic) >= set(SECTIONS)
    assert sum(1 for code in isic if code.isdigit()) == 88
    gbt = mapping("GBT4754").codes
    assert {f"{d:02d}" for d in range(1, 98)} <= set(gbt)
    assert set("ABCDEFGHIJKLMNOPQRST") <= set(gbt)


def test_gics_table_holds_codes_and_our_mapping_only() -> None:
    """The GICS names are proprietary: the table must not carry a name column."""
    with open(DATA_DIR / "gics.csv", newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == ["code", "level", "isic_section", "note"]


def test_every_sample_company_code_maps() -> None:
    with open(SAMPLE_COMPANIES, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 400
    assert all(isic_section("GICS", row["gics_code"]) for row in rows)
    assert all(isic_section("SIC", row["sic"]) for row in rows if row["sic"])
