"""Flow ``daily``: the morning run before the branches open: gather, then refine."""
from __future__ import annotations

import datetime as dt

from prefect import flow
from prefect.states import Failed, State

from mi.flows.gather import gather, outcome
from mi.flows.refine import refine
from mi.gathering import ChannelResult


@flow(name="daily")
def daily(channels: list[str] | None = None, since: dt.date | None = None,
          day: dt.date | None = None) -> tuple[list[ChannelResult], dict[str, int]] | State:
    """The morning run: gather every channel, then refine what came in (even when a
    channel failed: the others' news is still today's news); Failed if a channel failed."""
    gathered = gather(channels=channels, since=since, return_state=True)
    results = outcome(gathered)
    stats = refine(day=day)
    if gathered.is_failed():
        return Failed(message=gathered.message, data=(results, stats))
    return results, stats
