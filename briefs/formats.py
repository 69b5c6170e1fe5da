"""How a brief writes dates, numbers, moves and codes in the RM's language.

One ``Formats`` per rendering: the templates reach it through filters (``|date``,
``|change``, ``|industry`` ...), the subject and the webhook card call it directly, so the
three say the same thing the same way. Formatting lives here, not in the templates.
"""
from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from mi.briefs import labels
from mi.briefs.catalogues import locale, translations
from mi.briefs.text import clean
from mi.records.briefs import Move

# Up to four decimals, at least two: an FX rate needs four (7.2143), a yield two (3.25).
_NUMBER = "#,##0.00##"
_SIGNED_NUMBER = "+#,##0.00##;-#,##0.00##"
_SIGNED_PERCENT = "+#,##0.0#%;-#,##0.0#%"
_MISSING = "–"


class Formats:
    """Dates, numbers and labels for one language and, optionally, one time zone.

    ``time_zone`` (an IANA name such as "Asia/Shanghai") converts aware datetimes and takes
    naive ones as UTC; without it a datetime is shown in the zone it carries.
    """

    def __init__(self, language: str, time_zone: str | None = None) -> None:
        self.language = language
        self.locale = locale(language)
        self.translations: Translations = translations(language)
        self.zone = ZoneInfo(time_zone) if time_zone else None

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def _local(self, value: dt.datetime) -> dt.datetime:
        if self.zone is None:
            return value
        aware = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return aware.astimezone(self.zone)

    def date(self, value: dt.date | dt.datetime | None) -> str:
        """A short day: "Mar 4, 2026", "2026年3月4日"."""
        if value is None:
            return ""
        day = self._local(value).date() if isinstance(value, dt.datetime) else value
        return _date_text(day, "medium", self.language)

    def day(self, value: dt.date) -> str:
        """The brief's day in full: "Wednesday, March 4, 2026", "2026年3月4日星期三"."""
        return _date_text(value, "full", self.language)

    def moment(self, value: dt.datetime | dt.date | None) -> str:
        """A day and a time of day, e.g. when a news item was published."""
        if not isinstance(value, dt.datetime):
            return self.date(value)
        # Keyed by the local wall time (naive): aware datetimes of one instant compare equal.
        return _moment_text(self._local(value).replace(tzinfo=None), self.language)

    def number(self, value: float | None) -> str:
        if value is None or not math.isfinite(value):
            return _MISSING
        return _number_text(value, self.language)

    def change(self, move: Move) -> str:
        """The move over the horizon shown: "+1.2%" for prices, "+0.25 pp" for rates in %."""
        if not math.isfinite(move.change):
            return _MISSING
        if move.change_kind == "relative":
            return format_percent(move.change, format=_SIGNED_PERCENT, locale=self.locale)
        points = format_decimal(move.change, format=_SIGNED_NUMBER, locale=self.locale)
        if move.unit.strip() == "%":
            return self.gettext("%(points)s pp") % {"points": points}
        return self.with_unit(points, move.unit)

    def with_unit(self, number: str, unit: str) -> str:
        unit = clean(unit, limit=20)
        if unit == "%":
            return number + unit
        return f"{number} {unit}" if unit else number

    def band(self, move: Move) -> str:
        """The forecast band as text, or "" when the move has none."""
        if move.forecast_low is None or move.forecast_high is None:
            return ""
        low, high = self.number(move.forecast_low), self.number(move.forecast_high)
        return self.gettext("%(low)s to %(high)s") % {"low": low, "high": self.with_unit(high, move.unit)}

    def last(self, move: Move) -> str:
        """The latest point: its value and its day."""
        if not move.points:
            return ""
        day, value = move.points[-1]
        return self.gettext("%(value)s on %(day)s") % {
            "value": self.with_unit(self.number(value), move.unit), "day": self.date(day)}

    def fact(self, label: str, value: str) -> str:
        """"Customer: Acme" with the language's colon (``label`` already translated)."""
        return self.gettext("%(label)s: %(value)s") % {"label": label, "value": value}

    def kind_title(self, kind: str) -> str:
        return self.gettext(labels.KIND_TITLES.get(kind, labels.KIND_TITLES["daily"]))

    def heading(self, section: str) -> str:
        label = labels.SECTION_HEADINGS.get(section)
        return self.gettext(label) if label else clean(section)

    def industry(self, code: str | None) -> str:
        """"C · Manufacturing" for an ISIC section letter; anything else as it is written."""
        if not code:
            return ""
        label = labels.INDUSTRIES.get(code.strip().upper())
        return f"{code.strip().upper()} · {self.gettext(label)}" if label else clean(code, limit=80)

    def tone(self, sentiment: str | None) -> str:
        if not sentiment:
            return ""
        label = labels.TONES.get(sentiment.strip().lower())
        return self.gettext(label) if label else clean(sentiment, limit=40)

    def detail(self, key: str, value: str) -> str:
        """One entry of an item's ``detail``: a known key in the RM's language, else as written."""
        label = labels.DETAIL_KEYS.get(key)
        return self.fact(self.gettext(label) if label else clean(key.replace("_", " "), limit=40), value)


# A morning's briefs repeat the same few days and many of the same figures: Babel's
# formatting is the costly part of rendering, so each text is made once per process.
@lru_cache(maxsize=4_096)
def _date_text(day: dt.date, width: str, language: str) -> str:
    return format_date(day, width, locale=locale(language))


@lru_cache(maxsize=16_384)
def _number_text(value: float, language: str) -> str:
    return format_decimal(value, format=_NUMBER, locale=locale(language))


@lru_cache(maxsize=16_384)
def _moment_text(local: dt.datetime, language: str) -> str:
    """A day and a time of day in the locale's own way of joining them ("{1}, {0}" in English)."""
    where = locale(language)
    joined = str(where.datetime_formats.get("medium", "{1} {0}"))
    return joined.format(format_time(local.time(), "short", locale=where), _date_text(local.date(), "medium", language))
