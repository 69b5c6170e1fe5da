"""Imports every built-in channel kind so that each registers itself."""
from mi.sources import book, competitors, feeds, internal, market, notes, pages, statistics  # noqa: F401
