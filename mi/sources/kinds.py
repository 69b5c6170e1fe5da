"""Imports every built-in channel kind so that each registers itself."""
from mi.sources import feeds, market, pages  # noqa: F401
