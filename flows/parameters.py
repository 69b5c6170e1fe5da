"""Each flow's parameters as one typed, validated model: what ``mi run FLOW --param k=v``,
``prefect deployment run … --param k=v`` and prefect.yaml's deployments may pass.

The flows' signatures use the same annotated types (``ChannelNames``, ``RmRefs`` …), so the
parameter schema Prefect derives from a flow, and enforces on the server for a
``prefect deployment run``, holds the same constraints that the CLI checks here before
anything runs (``tests/test_flow_parameters.py`` keeps the two in step). Plain pydantic:
importing this module starts no Prefect.
"""
from __future__ import annotations

import datetime as dt
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

#: A channel, RM or recipient name: no blanks, no control characters, a sane length.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                                        pattern=r"^[^\s\x00-\x1f]+$")]
ChannelNames = Annotated[list[Name], Field(min_length=1, max_length=1000)]
RmRefs = Annotated[list[Name], Field(min_length=1, max_length=100_000)]
DeliveryChannels = Annotated[list[Literal["eml", "smtp", "webhook"]], Field(min_length=1, max_length=3)]
Recipient = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=320)]
CostBasis = Literal["annual", "one_off"]


class FlowParameters(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def given(self) -> dict[str, Any]:
        """The parameters set explicitly, as the flow takes them."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class _Window(FlowParameters):
    @model_validator(mode="after")
    def _since_before_day(self) -> "_Window":
        since, day = getattr(self, "since", None), getattr(self, "day", None)
        if since is not None and day is not None and since > day:
            raise ValueError(f"since ({since}) is after day ({day})")
        return self


class GatherParameters(FlowParameters):
    channels: ChannelNames | None = None
    since: dt.date | None = None


class RefineParameters(_Window):
    day: dt.date | None = None
    #: Re-run a date range: what arrived from ``since`` to ``day`` is tagged again.
    since: dt.date | None = None


class DailyParameters(_Window):
    channels: ChannelNames | None = None
    since: dt.date | None = None
    day: dt.date | None = None


class BriefParameters(FlowParameters):
    period: dt.date | None = None
    rms: RmRefs | None = None
    channels: DeliveryChannels | None = None
    dry_run: bool = False


class SignalParameters(_Window):
    day: dt.date | None = None
    since: dt.date | None = None
    min_customers: Annotated[int, Field(ge=1, le=100_000)] = 2
    min_score: Annotated[float, Field(ge=0, le=100)] = 0.0
    recipient: Recipient = "product-department@bank.invalid"


class FollowUpParameters(FlowParameters):
    day: dt.date | None = None
    months: Annotated[int, Field(ge=1, le=240)] = 24
    threshold: Annotated[float, Field(gt=0, le=10)] = 0.8
    grace_months: Annotated[int, Field(ge=0, le=120)] = 3
    cost_basis: CostBasis = "annual"
    recipient: Recipient = "product-department@bank.invalid"


class AlertParameters(FlowParameters):
    channels: ChannelNames | None = None
    window_hours: Annotated[float, Field(gt=0, le=168)] = 6.0
    min_anomaly_score: Annotated[float, Field(gt=0, le=100)] = 3.5
    min_move: Annotated[float, Field(gt=0, le=1)] = 0.02
    min_move_points: Annotated[float, Field(gt=0, le=100)] = 0.15
    max_tone: Annotated[float, Field(ge=-1, le=0)] = -0.3
    staff: Recipient = "market-information@bank.invalid"
    as_of: dt.datetime | None = None


class MaintenanceParameters(FlowParameters):
    history_days: Annotated[int, Field(ge=1, le=3650)] = 30
    payload_days: Annotated[int, Field(ge=1, le=3650)] = 90
    vacuum_database: bool = True


#: Flow name (as ``mi run`` takes it) → its parameter model.
PARAMETERS: dict[str, type[FlowParameters]] = {
    "gather": GatherParameters, "refine": RefineParameters, "daily": DailyParameters, "brief": BriefParameters,
    "signal": SignalParameters, "follow_up": FollowUpParameters, "alert": AlertParameters,
    "maintenance": MaintenanceParameters,
}


class ParameterError(ValueError):
    """A parameter a flow does not take, or a value it cannot take; the message says which."""


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is list:
        return True
    return any(_is_list(arg) for arg in typing.get_args(annotation) if arg is not type(None))


def parse_pairs(flow: str, pairs: list[str]) -> FlowParameters:
    """``["channels=a,b", "since=2026-11-01"]`` as the flow's validated parameters.

    A list parameter is written comma-separated; every other value as text pydantic reads
    (a date ``2026-11-01``, ``true``/``false``, a number). Refused with a ``ParameterError``
    naming the parameter: an unknown key, a repeated key, a value of the wrong type."""
    model = PARAMETERS.get(flow)
    if model is None:
        raise ParameterError(f"unknown flow {flow!r}; available: {', '.join(PARAMETERS)}")
    raw: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError(f"--param expects key=value, got {pair!r}")
        if key not in model.model_fields:
            raise ParameterError(f"unknown parameter {key!r} ({flow} takes {', '.join(model.model_fields)})")
        if key in raw:
            raise ParameterError(f"parameter {key!r} given twice")
        raw[key] = [item.strip() for item in value.split(",")] if _is_list(model.model_fields[key].annotation) \
            else value
    return validate(flow, raw)


def validate(flow: str, values: dict[str, Any]) -> FlowParameters:
    """``values`` (JSON-like, as a deployment or the API passes them) checked against ``flow``'s model."""
    model = PARAMETERS[flow]
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or flow}: {err['msg']}" for err in exc.errors())
        raise ParameterError(f"{flow}: {problems}") from None
