"""Channels: one module per channel kind, all behind the Source protocol (no Prefect here).

Kinds register themselves when ``mi.sources.kinds`` is imported, which ``source_for`` does;
importing the HTTP layer alone stays cheap (no trafilatura, no pandas).
"""
