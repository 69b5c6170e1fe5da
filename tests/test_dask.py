"""Scale-out on an existing engine: `gather` on a local Dask cluster (prefect-dask) lands the
same rows as on the default thread pool."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, select

from tests.conftest import FIXTURES

pytestmark = pytest.mark.flow


def _rows(engine: Engine) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    from mi.warehouse.models import Channel, Document, RawItem

    with engine.connect() as conn:
        documents = conn.execute(select(Channel.name, Document.external_id, Document.title, Document.url)
                                 .join(Channel, Channel.id == Document.channel_id)
                                 .order_by(Channel.name, Document.external_id)).all()
        payloads = conn.execute(select(Channel.name, RawItem.external_id, RawItem.content_hash, RawItem.parse_status)
                                .join(Channel, Channel.id == RawItem.channel_id)
                                .order_by(Channel.name, RawItem.external_id)).all()
    return [tuple(r) for r in documents], [tuple(r) for r in payloads]


def test_gather_on_a_local_dask_cluster_lands_the_same_rows_as_the_thread_pool(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None) -> None:
    from prefect_dask import DaskTaskRunner

    from mi.flows.gather import gather
    from mi.runtime import current_runtime

    inputs = FIXTURES / "feeds" / "rss-parser" / "input"
    channels = [{"name": path.stem, "kind": "feed", "url": str(path)}
                for path in sorted(inputs.glob("*.rss"))[:4] + sorted(inputs.glob("*.atom"))[:2]]
    (tmp_path / "channels.yaml").write_text(yaml.safe_dump({"channels": channels}))
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))

    found = {}
    for name, runner in (("threads", None),
                         ("dask", DaskTaskRunner(cluster_kwargs={"n_workers": 2, "processes": False,
                                                                 "threads_per_worker": 2, "dashboard_address": None}))):
        monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / f'{name}.sqlite'}")
        flow = gather if runner is None else gather.with_options(task_runner=runner)
        results = flow(return_state=True).result(raise_on_failure=False)
        assert len(results) == len(channels)
        found[name] = (_rows(current_runtime().engine), sorted((r.channel, r.status, r.new) for r in results))
    assert found["dask"] == found["threads"]
    assert len(found["threads"][0][0]) > 20  # documents landed: the comparison is not of two empty sets
