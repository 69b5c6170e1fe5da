"""Slots of Prefect global concurrency limits, taken and held through the API directly.

Prefect's own ``concurrency()`` context manager took about two seconds of the client's own
time for most acquisitions on this machine (most of it waiting on its event and lease
machinery), while the API answers the same request in about 12 ms: measured on a
temporary API with 400 limits, an acquisition of 80 limits through ``concurrency()`` took
0.3-16 s, through the client's request 12 ms. A gather run asks for a few such requests, and
with nothing new to fetch they were most of the run.

`held_slots` asks the API for each group of limits in turn (a slot of each, under one lease
per group), waits as the API says when a limit is full (its ``Retry-After``), renews the
leases from a background thread while the block runs, and releases them at the end. A
process killed meanwhile leaves leases the API expires after `LEASE_SECONDS`, as Prefect's
own would. Unlike ``concurrency()`` it emits no acquisition events.
"""
from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import httpx

#: How long the API keeps a lease that is not renewed (a killed run's slots come free after it).
LEASE_SECONDS = 300.0
#: Renewed this often while held.
RENEW_SECONDS = LEASE_SECONDS / 4
#: Shortest and longest wait between two asks for a full limit.
MIN_RETRY_SECONDS, MAX_RETRY_SECONDS = 0.1, 5.0

logger = logging.getLogger(__name__)


@contextmanager
def held_slots(requests: Sequence[Sequence[str]], timeout_seconds: float) -> Iterator[None]:
    """Hold one slot of every limit named, one request (and lease) per group, for the block.

    Raises TimeoutError when a limit stays full for ``timeout_seconds`` (after releasing what
    it took); an API error is raised as it comes. Limits that do not exist are not waited for.
    """
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + timeout_seconds
    leases: list[str] = []
    with get_client(sync_client=True) as client:
        try:
            for names in requests:
                if names:
                    leases.append(_acquire(client, list(names), deadline))
            renewer = _Renewer(leases)
            try:
                yield
            finally:
                renewer.stop()
        finally:
            for lease in leases:
                try:
                    client.release_concurrency_slots_with_lease(lease)
                except Exception as exc:  # noqa: BLE001 - an unreleased lease expires on its own
                    logger.warning("concurrency lease %s not released (it expires in %g s): %s", lease,
                                   LEASE_SECONDS, exc)


def _acquire(client: object, names: list[str], deadline: float) -> str:
    while True:
        try:
            response = client.increment_concurrency_slots_with_lease(  # type: ignore[attr-defined]
                names=names, slots=1, mode="concurrency", lease_duration=LEASE_SECONDS)
            return str(response.json()["lease_id"])
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code != 423:
                raise
            try:
                wait = float(exc.response.headers.get("Retry-After", MIN_RETRY_SECONDS))
            except ValueError:
                wait = MIN_RETRY_SECONDS
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"concurrency slots of {len(names)} limit(s) not free in time") from None
            time.sleep(min(max(wait, MIN_RETRY_SECONDS), MAX_RETRY_SECONDS, left))


class _Renewer:
    """Renews the leases every `RENEW_SECONDS` from a daemon thread until stopped."""

    def __init__(self, leases: list[str]) -> None:
        self._leases = list(leases)
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        if self._leases:
            # In the caller's context, so that the thread asks the same API (Prefect's settings
            # live in context variables, which a new thread does not inherit).
            self._thread = threading.Thread(target=contextvars.copy_context().run, args=(self._run,),
                                            name="mi-slot-leases", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        from prefect.client.orchestration import get_client

        while not self._stopped.wait(RENEW_SECONDS):
            try:
                with get_client(sync_client=True) as client:
                    for lease in self._leases:
                        client.renew_concurrency_lease(lease, lease_duration=LEASE_SECONDS)
            except Exception as exc:  # noqa: BLE001 - the next renewal tries again; the run goes on
                logger.warning("concurrency leases not renewed: %s", exc)

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
