"""Ad-hoc runs: `mi run FLOW --param k=v` and `prefect deployment run` take the same typed,
validated parameters; a bad one is refused before anything runs."""
from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import pytest

from mi.flows.parameters import PARAMETERS, ParameterError, parse_pairs, validate
from mi.serving import load_flow

FLOWS = {"gather": "flows/gather.py:gather", "refine": "flows/refine.py:refine", "daily": "flows/daily.py:daily",
         "brief": "flows/brief.py:brief", "signal": "flows/signal.py:signal",
         "follow_up": "flows/follow_up.py:follow_up", "alert": "flows/alert.py:alert",
         "maintenance": "flows/maintenance.py:maintenance"}


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_each_model_mirrors_its_flows_signature(name: str) -> None:
    flow = load_flow(FLOWS[name])
    signature = inspect.signature(flow.fn).parameters
    model = PARAMETERS[name]
    assert list(model.model_fields) == list(signature), name
    for key, field in model.model_fields.items():
        assert field.default == signature[key].default, (name, key)


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_prefects_schema_of_the_flow_refuses_what_the_model_refuses(name: str) -> None:
    """`prefect deployment run` is checked on the server against the schema Prefect derives
    from the flow's signature: the same constraints as the model's."""
    from prefect.utilities.callables import parameter_schema
    from prefect.utilities.schema_tools.validation import validate as validate_schema

    schema = parameter_schema(load_flow(FLOWS[name]).fn).model_dump_for_openapi()
    model_schema = PARAMETERS[name].model_json_schema()
    bad = {"gather": {"channels": []}, "refine": {"day": "2026-13-45"}, "daily": {"channels": ["a b"]},
           "brief": {"channels": ["fax"]}, "signal": {"min_customers": 0}, "follow_up": {"cost_basis": "monthly"},
           "alert": {"max_tone": 0.5}, "maintenance": {"history_days": 0}}
    with pytest.raises(ParameterError):
        validate(name, bad[name])
    errors = list(validate_schema(bad[name], schema, raise_on_error=False, preprocess=True,
                                  ignore_required=True))
    assert errors, f"{name}: Prefect's schema took {bad[name]}"
    assert set(schema["properties"]) == set(model_schema["properties"])


def test_parse_pairs_reads_lists_dates_flags_and_numbers() -> None:
    assert parse_pairs("gather", ["channels=markets-wire, company-wire", "since=2026-11-26"]).given() == {
        "channels": ["markets-wire", "company-wire"], "since": dt.date(2026, 11, 26)}
    assert parse_pairs("brief", ["dry_run=yes", "channels=eml"]).given() == {"dry_run": True, "channels": ["eml"]}
    assert parse_pairs("signal", ["min_customers=3"]).given() == {"min_customers": 3}
    assert parse_pairs("refine", []).given() == {}


@pytest.mark.parametrize(("flow", "pairs", "says"), [
    ("gather", ["since=last week"], "since"),
    ("gather", ["channel=markets-wire"], "unknown parameter 'channel'"),
    ("gather", ["channels="], "channels"),
    ("gather", ["since=2026-11-01", "since=2026-11-02"], "given twice"),
    ("brief", ["dry_run=maybe"], "dry_run"),
    ("brief", ["channels=fax"], "channels"),
    ("daily", ["since=2026-11-27", "day=2026-11-01"], "after day"),
    ("follow_up", ["months=0"], "months"),
    ("nonsense", [], "unknown flow"),
])
def test_a_bad_parameter_is_refused_naming_it(flow: str, pairs: list[str], says: str) -> None:
    with pytest.raises(ParameterError, match=says):
        parse_pairs(flow, pairs)


def test_mi_run_refuses_a_bad_parameter_before_anything_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mi.cli import main

    monkeypatch.setenv("MI_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("MI_DATABASE_URL", raising=False)
    with pytest.raises(SystemExit, match="since"):
        main(["run", "gather", "--param", "channels=markets-wire", "--param", "since=2026-02-30"])
    assert not (tmp_path / "var").exists()  # no warehouse, no Prefect API, nothing started
