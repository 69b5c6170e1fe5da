"""The channel kinds, by the name a channel file gives in ``kind:``.

An explicit table: adding a kind is one module plus one line here (README, "Adding a
channel kind").
"""
from __future__ import annotations

from mi.records.channels import ChannelConfig, ConfigError
from mi.records.limits import Limits
from mi.sources.bank.book import BookSource
from mi.sources.bank.products import ProductMetricsSource, ProductsSource
from mi.sources.base import BaseSource
from mi.sources.competitors.page import CompetitorPageSource
from mi.sources.feeds.feed import FeedSource
from mi.sources.feeds.json_feed import JsonFeedSource
from mi.sources.notes.intake import FieldNotesSource
from mi.sources.pages.page import PageSource
from mi.sources.series.ecb import EcbDailySource, EcbHistorySource
from mi.sources.series.market import FredCsvSource, SeriesCsvSource, SeriesJsonSource
from mi.sources.statistics.kinds import SdmxCsvSource, WorldBankSource

KINDS: dict[str, type[BaseSource]] = {
    "feed": FeedSource,
    "json_feed": JsonFeedSource,
    "page": PageSource,
    "ecb_daily": EcbDailySource,
    "ecb_history": EcbHistorySource,
    "fred_csv": FredCsvSource,
    "series_csv": SeriesCsvSource,
    "series_json": SeriesJsonSource,
    "worldbank": WorldBankSource,
    "sdmx_csv": SdmxCsvSource,
    "competitor_page": CompetitorPageSource,
    "book": BookSource,
    "products": ProductsSource,
    "product_metrics": ProductMetricsSource,
    "field_notes": FieldNotesSource,
}


def source_kind(config: ChannelConfig) -> type[BaseSource]:
    try:
        return KINDS[config.kind]
    except KeyError:
        known = ", ".join(sorted(KINDS))
        raise ConfigError(f"channel {config.name!r}: unknown kind {config.kind!r} (known: {known})") from None


def source_for(config: ChannelConfig, limits: Limits | None = None) -> BaseSource:
    """The source that reads ``config``'s channel; a misconfigured channel fails here, by name."""
    return source_kind(config)(config, limits)
