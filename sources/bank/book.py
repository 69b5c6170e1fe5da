"""Channel kind ``book``: the bank's book of business from CSV, XLSX or a database query.

Options (besides those every internal table channel reads, see ``mi.sources.bank.tables``):

* ``table`` (required): relationship_managers, customers, coverage, holdings or companies.
* ``replace`` (yes/no; coverage and holdings only, default no): the payload is the full current
  list for each customer in it, so rows of those customers that it no longer lists are
  deleted (an RM who handed a customer over stops seeing it). Customers absent from the
  payload are left alone.

Fields per table (a ``columns`` entry maps a differently named column to one of these):

* relationship_managers: rm_ref*, name*, email, team, active (yes/no; default yes), language
  (what the RM's briefs are written in: en or zh, a tag such as zh-CN read by its first part;
  default en, and another language is reported and loads as en)
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
from typing import Annotated, Any, Self

from pydantic import PlainValidator, model_validator

from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.sources.bank.book_rows import SHAPES
from mi.sources.bank.tables import TableOptions, TableSource
from mi.sources.options import Flag, bad_value, option_problem, text
from mi.sources.reading.fields import TableShape

BOOK_TABLES = tuple(SHAPES)
_REPLACEABLE = ("coverage", "holdings")


def _book_table(value: Any) -> str:
    table = text(value)
    if table not in SHAPES:
        raise bad_value("{table!r} is not one of {known}", table=table, known=", ".join(BOOK_TABLES))
    return table


class BookOptions(TableOptions):
    table: Annotated[str, PlainValidator(_book_table)]
    replace: Flag = False

    def fields(self) -> tuple[str, ...]:
        return SHAPES[self.table].fields

    @model_validator(mode="after")
    def _replace_whole_lists_only(self) -> Self:
        if self.replace and self.table not in _REPLACEABLE:
            raise option_problem("replace", f"only {' and '.join(_REPLACEABLE)} channels may replace "
                                            f"what they no longer list, not {self.table}")
        return self


class BookSource(TableSource):
    kind = "book"
    Options = BookOptions
    options: BookOptions

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        super().__init__(config, limits)
        self.table = self.options.table
        self.replace = self.options.replace

    def table_shape(self) -> TableShape:
        return SHAPES[self.options.table]

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        parsed = super().parse(body, url=url, content_type=content_type)
        return dataclasses.replace(parsed, replaces=self.replace) if self.replace else parsed
