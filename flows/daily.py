"""Flow ``daily``: the morning run before the branches open: gather, refine, demand signals,
brief every RM, follow up launched products."""
from __future__ import annotations

import datetime as dt

from prefect import flow
from prefect.states import Failed, State

from mi.briefing import BatchResult
from mi.flows.brief import UNDELIVERED, brief
from mi.flows.follow_up import follow_up
from mi.flows.gather import gather, outcome
from mi.flows.refine import refine
from mi.flows.signal import signal
from mi.gathering import ChannelResult


@flow(name="daily")
def daily(channels: list[str] | None = None, since: dt.date | None = None,
          day: dt.date | None = None
          ) -> tuple[list[ChannelResult], dict[str, int], list[BatchResult]] | State:
    """The morning run: gather every channel, refine what came in, brief every RM (even when
    a channel failed: the others' news is still today's news); Failed if a channel failed or
    a brief could not be delivered."""
    gathered = gather(channels=channels, since=since, return_state=True)
    results = outcome(gathered)
    stats = refine(day=day)
    signal(day=day)  # the product department's demand signals: published once per week
    briefed = brief(period=day)
    follow_up(day=day)
    undelivered = [row for batch in briefed for row in batch.rows() if row["outcome"] in UNDELIVERED]
    if gathered.is_failed() or undelivered:
        message = gathered.message if gathered.is_failed() else f"{len(undelivered)} brief(s) not delivered"
        return Failed(message=message, data=(results, stats, briefed))
    return results, stats, briefed
