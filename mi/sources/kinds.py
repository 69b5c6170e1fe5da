"""Imports every built-in channel kind so that each registers itself."""
from mi.sources import competitors, feeds, market, pages, statistics  # noqa: F401
