"""A synthetic bank day in a real warehouse, for the brief benchmark (bench/brief.py).

Deterministic (a seeded RNG): N RMs with five customers each, a product shelf and holdings,
a day of documents that name those customers (some stories carried by several outlets),
their analysis and entity links, market series with points, metrics, anomalies and
forecasts, the industry pulse and competitors' offer changes. Written with Core bulk
inserts straight into the warehouse tables: the benchmark measures briefing, not gathering.
"""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from sqlalchemy import Engine, insert

from mi.warehouse.analysis import (
    DocumentAnalysis,
    DocumentEntity,
    Event,
    IndustryPulse,
    SeriesAnomaly,
    SeriesForecast,
    SeriesMetric,
)
from mi.warehouse.book import Company, Coverage, Customer, Holding, RelationshipManager
from mi.warehouse.models import Channel, Document, Observation, Series
from mi.warehouse.products import CompetitorOffer, CompetitorOfferChange, Product

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = "ABCDFGHJKLM"
THEMES = ("fx", "rates", "m_and_a", "earnings", "credit", "trade_policy", "commodities", "macro")
WORDS = ("raises guidance", "cuts jobs", "wins contract", "misses estimates", "agrees takeover", "issues bond",
         "opens plant", "faces probe", "beats forecasts", "expands in Asia")


def _chunks(rows: list[dict], size: int = 5_000):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def build_day(engine: Engine, *, rms: int, documents: int, day: dt.date, seed: int = 4754) -> None:
    rng = random.Random(seed)
    now = dt.datetime.combine(day, dt.time(5, 0), dt.timezone.utc)
    names = [row["name"] for row in csv.DictReader((ROOT / "scripts" / "data" / "sp500_companies.csv").open())]
    shelf = list(csv.DictReader((ROOT / "scripts" / "data" / "product_shelf.csv").open()))
    customers = rms * 5
    with engine.begin() as conn:
        def put(model: type, rows: list[dict]) -> None:
            for chunk in _chunks(rows):
                conn.execute(insert(model.__table__), chunk)

        put(Channel, [{"name": f"wire-{n}", "kind": "feed", "url": "", "config": {}, "industry_hints": [],
                       "cursor": {}} for n in range(10)])
        put(RelationshipManager, [{"rm_ref": f"RM{n:04d}", "name": f"RM {n}", "email": f"rm{n}@bank.example",
                                   "active": True} for n in range(1, rms + 1)])
        put(Company, [{"company_ref": f"CO{n}", "name": f"{names[n % len(names)]} {n // len(names) or ''}".strip(),
                       "isic_section": SECTIONS[n % len(SECTIONS)]} for n in range(1, customers + 1)])
        put(Customer, [{"customer_ref": f"C{n:05d}", "name": f"{names[n % len(names)]} {n // len(names) or ''}".strip(),
                        "segment": "corporate" if n % 8 else "private", "company_id": n,
                        "isic_section": SECTIONS[n % len(SECTIONS)]} for n in range(1, customers + 1)])
        put(Coverage, [{"rm_id": (n - 1) // 5 + 1, "customer_id": n, "role": "primary"}
                       for n in range(1, customers + 1)])
        put(Product, [{"product_ref": p["product_ref"], "name": p["name"], "category": p["category"],
                       "target_segment": p["target_segment"] or None,
                       "target_industries": [s for s in p["target_industries"].split("|") if s],
                       "status": p["status"]} for p in shelf])
        put(Holding, [{"customer_id": n, "product_id": rng.randint(1, len(shelf)),
                       "balance": round(rng.lognormvariate(13, 1.5), 2)} for n in range(1, customers + 1)])
        events = max(1, documents // 3)
        put(Event, [{"event_key": f"e{n}", "title": "", "document_count": 1, "channel_count": 1 + n % 3}
                     for n in range(1, events + 1)])
        docs, analysis, links = [], [], []
        for n in range(1, documents + 1):
            company = rng.randint(1, customers)
            name = names[company % len(names)]
            docs.append({"channel_id": 1 + n % 10, "external_id": f"d{n}", "kind": "news",
                         "url": f"https://news.example/{n}", "title": f"{name} {rng.choice(WORDS)}",
                         "summary": None, "text": f"{name} {rng.choice(WORDS)}. " * 6,
                         "published_at": now - dt.timedelta(minutes=n % 600), "language": "en",
                         "content_hash": f"{n:064d}", "industry_hints": [], "fetched_at": now})
            analysis.append({"document_id": n, "event_id": 1 + (n - 1) % events,
                             "industries": [SECTIONS[company % len(SECTIONS)]], "themes": [rng.choice(THEMES)],
                             "sentiment_label": rng.choice(("positive", "negative", "neutral")),
                             "sentiment_score": round(rng.uniform(-1, 1), 3), "tagger_version": "bench",
                             "analysed_at": now, "linked_at": now, "pulsed_at": now})
            links.append({"document_id": n, "company_id": company, "mention": name, "confidence": 0.9,
                          "reason": "bench"})
        put(Document, docs)
        put(DocumentAnalysis, analysis)
        put(DocumentEntity, links)
        put(IndustryPulse, [{"section": s, "day": day, "documents": 50, "baseline": 30.0, "volume_z": 2.1,
                             "sentiment": 0.1, "sentiment_trend": -0.2, "competitor_changes": 1,
                             "series_moves": [], "label": "heating", "details": {}} for s in SECTIONS])
        _series(put, rng, day)
        put(CompetitorOffer, [{"channel_id": 1, "competitor": "Rival Bank", "offer_key": f"o{n}",
                               "product_name": f"Offer {n}", "category": ("deposit", "loan", "fx")[n % 3],
                               "rate": 3.0, "industries": [], "first_seen": now, "last_seen": now}
                              for n in range(1, 31)])
        put(CompetitorOfferChange, [{"offer_id": n, "observed_on": day, "change": "changed", "field": "rate",
                                     "old_value": "3.0", "new_value": "3.2"} for n in range(1, 31)])


def _series(put, rng: random.Random, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    kinds = [("fx.eurusd", "EUR/USD", "USD per EUR"), ("rates.ust10y", "US 10-year Treasury yield", "%"),
             ("energy.wti", "WTI crude oil", "USD per barrel"), ("index.spx", "S&P 500 index", "points")]
    series = [(f"{key}.{n}", f"{name} {n}", unit) for n in range(12) for key, name, unit in kinds]
    put(Series, [{"key": k, "name": name, "unit": unit, "frequency": "B", "source": "bench"}
                 for k, name, unit in series])
    days = [day - dt.timedelta(days=n) for n in range(40, 0, -1)]
    observations, metrics, anomalies, forecasts = [], [], [], []
    for sid in range(1, len(series) + 1):
        value = 100.0
        for d in days:
            value *= 1 + rng.gauss(0, 0.01)
            observations.append({"series_id": sid, "date": d, "vintage": day, "value": round(value, 4)})
        metrics.append({"series_id": sid, "as_of": day, "last_value": value, "change_1d": 0.01, "change_1w": 0.02})
        if sid % 5 == 0:
            anomalies.append({"series_id": sid, "date": days[-1], "value": value, "change": 0.05, "score": 4.5,
                              "kind": "move"})
        forecasts.append({"series_id": sid, "as_of": day, "date": day + dt.timedelta(days=1), "value": value,
                          "lower": value * 0.98, "upper": value * 1.02})
    put(Observation, observations)
    put(SeriesMetric, metrics)
    put(SeriesAnomaly, anomalies)
    put(SeriesForecast, forecasts)
