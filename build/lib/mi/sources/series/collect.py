"""Turning rows of (date, cells) into series and observations.

Every market kind funnels through ``collect``: the ECB XML, CSV files (wide or long) and
JSON records each become a stream of ``RawRow``; one place then applies the rules that
make a loader robust: missing markers are counted, not loaded; a bad cell or date becomes
a problem naming its line and column while the rest loads; rows are sorted by date
whatever their order in the file; duplicate dates keep the first value; and a trailing
run of zeros can mean "not yet published".
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mi.records.parsed import ParseResult
from mi.records.series import ObservationRecord, SeriesRecord, infer_frequency
from mi.sources.reading.values import parse_date, to_number

#: Markers that mean "no value" in the files we read (ECB "N/A", FRED "."), compared
#: after stripping and case-folding.
DEFAULT_MISSING = frozenset({"", "n/a", "na", ".", "-", "null", "nan", "#n/a"})
FREQUENCIES = frozenset({"D", "B", "W", "M", "Q", "A"})
#: Beyond this a payload is systematically wrong; listing every cell helps nobody.
MAX_LISTED_PROBLEMS = 100


def slug(text: str) -> str:
    """Key part: "Índice général" -> "indice_general" (accents dropped, not the letters),
    "人民币 汇率" -> "人民币_汇率" (letters without a Latin spelling kept as they are).

    Dropping every non-ASCII letter would give two Chinese column names the same empty
    slug, and one series would swallow the other; a name with no letter or digit at all
    ("€") gets a stable stand-in from its hash for the same reason."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    part = re.sub(r"[\W_]+", "_", bare.casefold()).strip("_")
    return part or ("column_" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8] if text.strip() else "")


def fill(template: str, ident: str) -> str:
    """Expand a series-metadata template. str.format is avoided so stray braces are harmless."""
    for placeholder in ("{key}", "{column}", "{series_id}"):
        template = template.replace(placeholder, ident)
    return template.replace("{slug}", slug(ident))


@dataclass(frozen=True)
class SeriesSpec:
    key: str
    name: str
    unit: str
    source: str
    frequency: str | None = None  # None: inferred from the dates
    industry: str | None = None
    #: A run of zeros at the most recent dates means "not yet published" (Shiller data).
    zero_means_missing: bool = False


@dataclass(frozen=True)
class SeriesTemplate:
    """Metadata for series found in the payload (a column, a long-format key) rather than listed."""

    key: str
    name: str = "{key}"
    unit: str = ""
    source: str = ""
    frequency: str | None = None
    industry: str | None = None
    #: True for every series, or the column names / key values / series keys it applies to.
    zero_means_missing: bool | frozenset[str] = False

    def spec_for(self, ident: str) -> SeriesSpec:
        key = fill(self.key, ident)
        zeros = self.zero_means_missing
        return SeriesSpec(
            key=key, name=fill(self.name, ident), unit=fill(self.unit, ident), source=self.source,
            frequency=self.frequency, industry=self.industry,
            zero_means_missing=zeros is True or (isinstance(zeros, frozenset) and bool({ident, key} & zeros)),
        )


@dataclass(frozen=True)
class Catalog:
    """Which columns (or long-format keys) load, and as what series.

    Listed idents always load; others load only when a template is given.
    """

    listed: Mapping[str, SeriesSpec] = field(default_factory=dict)
    template: SeriesTemplate | None = None

    def resolve(self, ident: str) -> SeriesSpec | None:
        if ident in self.listed:
            return self.listed[ident]
        folded = ident.casefold()
        for name, spec in self.listed.items():
            if name.casefold() == folded:  # "DATE" vs "Date" should not cost a run
                return spec
        return self.template.spec_for(ident) if self.template else None


@dataclass(frozen=True)
class ValueRules:
    missing: frozenset[str] = DEFAULT_MISSING
    decimal: str = "."
    date_format: str | None = None

    def is_missing(self, raw: object) -> bool:
        if raw is None:
            return True
        if isinstance(raw, float) and not math.isfinite(raw):  # NaN or an infinity from a JSON payload
            return True
        return isinstance(raw, str) and raw.strip().casefold() in self.missing


@dataclass(frozen=True)
class Cell:
    ident: str  # column name or long-format key value
    label: str  # where in the row, for messages: "column USD", "currency USD"
    raw: object


@dataclass(frozen=True)
class RawRow:
    where: str  # "line 17", "record 3"
    date_label: str
    date: object
    cells: tuple[Cell, ...] = ()
    problem: str | None = None  # the row is unusable as a whole (wrong field count, ...)


@dataclass(frozen=True)
class SeriesTable:
    """What a series payload yielded, with the counts a ParseResult has no field for."""

    series: list[SeriesRecord] = field(default_factory=list)
    observations: list[ObservationRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=dict)  # series key -> missing markers
    unpublished: dict[str, int] = field(default_factory=dict)  # series key -> trailing zeros
    fatal: str | None = None
    warnings: list[str] = field(default_factory=list)  # a guessed character encoding

    def to_parse_result(self) -> ParseResult:
        # Missing markers and unpublished zeros are gaps, not defects: the gathering code
        # counts every problem as a quarantined row, so the counts stay here (for
        # ``mi inspect``) and out of ``problems``.
        return ParseResult(series=list(self.series), observations=list(self.observations),
                           problems=list(self.problems), warnings=list(self.warnings), fatal=self.fatal)

    def gap_summary(self) -> str | None:
        """One line on the values left out on purpose, for display."""
        parts = [part for part in (_count_line("missing values not loaded", self.missing),
                                   _count_line("trailing zeros taken as not yet published", self.unpublished))
                 if part]
        return "; ".join(parts) or None


def failed(message: str) -> SeriesTable:
    return SeriesTable(fatal=message)


def _count_line(what: str, counts: dict[str, int]) -> str | None:
    if not counts:
        return None
    listed = ", ".join(f"{key} {count}" for key, count in list(counts.items())[:8])
    more = f", and {len(counts) - 8} more series" if len(counts) > 8 else ""
    return f"{sum(counts.values())} {what} ({listed}{more})"


class _Accumulator:
    """Gathers values per series while rows stream in; ``finish`` orders and summarises."""

    def __init__(self, catalog: Catalog, rules: ValueRules) -> None:
        self.catalog, self.rules = catalog, rules
        self.resolved: dict[str, SeriesSpec | None] = {}
        self.specs: dict[str, SeriesSpec] = {}
        self.values: dict[str, dict[dt.date, float]] = {}
        self.missing: Counter[str] = Counter()
        # Dates of missing cells still tell the frequency: a monthly series with a gap
        # must not look quarterly.
        self.gap_dates: dict[str, set[dt.date]] = {}
        self.problems: list[str] = []
        self.unlisted = 0
        self.rows = self.cells = 0

    def problem(self, message: str) -> None:
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(message)
        else:
            self.unlisted += 1

    def spec(self, ident: str) -> SeriesSpec | None:
        if ident not in self.resolved:
            self.resolved[ident] = self.catalog.resolve(ident)
        return self.resolved[ident]

    def add(self, row: RawRow) -> None:
        self.rows += 1
        if row.problem:
            self.problem(row.problem)
            return
        wanted = [(cell, spec) for cell in row.cells if (spec := self.spec(cell.ident))]
        if not wanted:
            return
        date = parse_date(row.date, self.rules.date_format)
        if date is None:
            shown = "no date" if self.rules.is_missing(row.date) else f"{_show(row.date)} is not a date"
            self.problem(f"{row.where}, {row.date_label}: {shown}")
            return
        for cell, spec in wanted:
            self.add_cell(row, cell, spec, date)

    def add_cell(self, row: RawRow, cell: Cell, spec: SeriesSpec, date: dt.date) -> None:
        self.cells += 1
        if not cell.ident.strip():
            self.problem(f"{row.where}, {cell.label}: no series name")
            return
        if self.rules.is_missing(cell.raw):
            self.missing[spec.key] += 1
            self.gap_dates.setdefault(spec.key, set()).add(date)
            return
        value = to_number(cell.raw, self.rules.decimal)
        if value is None:
            self.problem(f"{row.where}, {cell.label}: {_show(cell.raw)} is not a number")
            return
        self.specs.setdefault(spec.key, spec)
        by_date = self.values.setdefault(spec.key, {})
        if date in by_date:
            self.problem(f"{row.where}, {cell.label}: second value for {date.isoformat()} ignored")
            return
        by_date[date] = value

    def finish(self) -> SeriesTable:
        series, observations, unpublished = [], [], Counter[str]()
        for key, by_date in self.values.items():
            spec, dates = self.specs[key], sorted(by_date)
            while spec.zero_means_missing and dates and by_date[dates[-1]] == 0.0:
                dates.pop()
                unpublished[key] += 1
            if not dates:
                continue
            series.append(SeriesRecord(key=key, name=spec.name, unit=spec.unit,
                                       frequency=spec.frequency or self.frequency(key, by_date),
                                       source=spec.source, industry=spec.industry))
            observations.extend(ObservationRecord(key, day, by_date[day]) for day in dates)
        problems = self.problems + ([f"... and {self.unlisted} more problems"] if self.unlisted else [])
        return SeriesTable(series, observations, problems, dict(self.missing), dict(unpublished),
                           fatal=None if observations else self.why_empty())

    def frequency(self, key: str, by_date: dict[dt.date, float]) -> str:
        return infer_frequency(sorted(by_date.keys() | self.gap_dates.get(key, set())))

    def why_empty(self) -> str | None:
        if self.rows == 0:
            return "no data rows"
        if self.problems:
            return f"no usable values ({len(self.problems) + self.unlisted} problems, first: {self.problems[0]})"
        if self.cells == 0:
            return "no rows carry the configured series"
        return None  # every value was a missing marker: a valid, if empty, publication


def _show(raw: object) -> str:
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def collect(rows: Iterable[RawRow], catalog: Catalog, rules: ValueRules) -> SeriesTable:
    accumulator = _Accumulator(catalog, rules)
    for row in rows:
        accumulator.add(row)
    return accumulator.finish()
