"""Channel kind ``book``: the bank's book of business from CSV, XLSX or a database query.

Options (besides those every internal table channel reads, see ``mi.sources.bank.tables``):

* ``table`` (required): relationship_managers, customers, coverage, holdings or companies.
* ``replace`` (coverage and holdings only, default false): the payload is the full current
  list for each customer in it, so rows of those customers that it no longer lists are
  deleted (an RM who handed a customer over stops seeing it). Customers absent from the
  payload are left alone.

Fields per table (a ``columns`` entry maps a differently named column to one of these):

* relationship_managers: rm_ref*, name*, email, team, active (yes/no; default yes)
* customers: customer_ref*, name*, segment* (corporate/private), country (ISO 3166
  alpha-2), industry_scheme (ISIC, NAICS, SIC, GICS, GBT4754) + industry_code (mapped to
  ``isic_section`` through ``mi.reference``; or an ``isic_section`` column directly),
  aliases, ticker, cik, lei, uscc ('|' or ';' between several values). A corporate
  customer also becomes a Company with CompanyAlias rows (its name, aliases, identifiers)
  for entity linking; its company ref is ``LEI:…``, ``CIK:…``, ``USCC:…`` or
  ``CUSTOMER:<customer_ref>``, and a company already known by the same LEI/CIK/USCC is
  reused.
* companies: company_ref (or derived from lei/cik/uscc), name*, country, industry fields,
  aliases and identifiers as for customers.
* coverage: rm_ref*, customer_ref*, role (default primary), since.
* holdings: customer_ref*, product_ref*, opened_on, balance.

(* = the header must have it.) Load RMs and customers before coverage and holdings, and
products before holdings: a row naming an RM, customer or product the warehouse does not
know yet is set aside as a problem.
"""
from __future__ import annotations

import dataclasses

from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.sources.bank.book_rows import SHAPES
from mi.sources.bank.tables import ChannelOptionError, TableSource
from mi.sources.reading.fields import TableShape

BOOK_TABLES = tuple(SHAPES)
_REPLACEABLE = ("coverage", "holdings")


class BookSource(TableSource):
    kind = "book"

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        table = config.option("table")
        if table not in SHAPES:
            raise ChannelOptionError(f"channel {config.name!r} (book): table must be one of "
                                     f"{', '.join(BOOK_TABLES)}, not {table!r}")
        self.table: str = table
        replace = config.option("replace", False)
        if not isinstance(replace, bool) or (replace and table not in _REPLACEABLE):
            raise ChannelOptionError(f"channel {config.name!r} (book): replace is a yes/no option "
                                     f"for {' and '.join(_REPLACEABLE)} only")
        self.replace = replace
        super().__init__(config, limits)

    def table_shape(self) -> TableShape:
        return SHAPES[self.table]

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        parsed = super().parse(body, url=url, content_type=content_type)
        return dataclasses.replace(parsed, replaces=self.replace) if self.replace else parsed
