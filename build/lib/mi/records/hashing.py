"""Content hashes that decide when two texts are the same record."""
from __future__ import annotations

import hashlib
import re

_WS = re.compile(r"\s+")


def content_hash(*parts: str | None) -> str:
    normalised = "\x1f".join(_WS.sub(" ", (p or "")).strip().lower() for p in parts)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
