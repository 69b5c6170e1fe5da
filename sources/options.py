"""Typed channel options: what each kind lets a channel file say, checked before anything runs.

Every kind declares an ``Options`` model (a ``ChannelOptions``); the options of a channel
are validated into it when the channel file is loaded (``mi.sources.config``) and when its
source is built, so a typo (``date_colum:``) or a wrong value fails at start-up with one
error naming the channel, its kind and the option:

    channel 'fx' (series_csv): option 'date_colum': unknown option (known: columns, ...)

The field types below are shared by the kinds, so "an ISIC section letter" or "a CSV
delimiter" is checked, and worded, the same way everywhere.
"""
from __future__ import annotations

import re
import types
from collections.abc import Mapping
from typing import Annotated, Any, Self, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from mi.records.channels import COMMON_KEYS, ChannelConfig, ConfigError
from mi.records.series import FREQUENCIES
from mi.reference.industries import SECTIONS

DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
#: Marks a problem found across options (in a model validator) and names the option it is about.
_OPTION_PROBLEM = "channel_option"


class ChannelOptionError(ConfigError):
    """A channel's options are wrong: raised at start-up, naming the channel, kind and option."""


def option_problem(option: str, message: str) -> PydanticCustomError:
    """A problem a model validator finds, reported under ``option`` like a field's own."""
    return PydanticCustomError(_OPTION_PROBLEM, "{message}", {"option": option, "message": message})


def bad_value(message: str, **context: Any) -> PydanticCustomError:
    """A value a field type refuses; ``message`` is a ``str.format`` template filled from ``context``."""
    # Filled here, not by pydantic, whose templates know no ``!r``.
    return PydanticCustomError("channel_value", "{message}", {"message": message.format(**context)})


def what_is(value: Any) -> str:
    """A value's kind in the words of a YAML file, for messages."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__


# -- shared field types ------------------------------------------------------------------

def text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # YAML reads a bare 2020 or 1.5 as a number
    raise bad_value("must be text, not {what}", what=what_is(value))


def _name(value: Any) -> str:
    name = text(value).strip()
    if not name:
        raise bad_value("must not be empty")
    return name


def _section(value: Any) -> str:
    section = text(value)
    if section not in SECTIONS:
        raise bad_value("{value!r} is not an ISIC Rev.4 section letter (A-U)", value=section)
    return section


def _frequency(value: Any) -> str:
    frequency = text(value)
    if frequency not in FREQUENCIES:
        raise bad_value("{value!r} is not a frequency: one of {known}", value=frequency, known=", ".join(FREQUENCIES))
    return frequency


def _market(value: Any) -> str:
    market = text(value).strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", market):
        raise bad_value("{value!r} is not an ISO 3166 two-letter country code (IN, US, CN, ...)", value=value)
    return market


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise bad_value("must be yes or no (true/false), not {value!r}", value=value)
    return value


def _delimiter(value: Any) -> str:
    given = text(value)
    delimiter = DELIMITER_NAMES.get(given, given)
    if len(delimiter) != 1:
        raise bad_value("{value!r} is not one character, tab, comma, semicolon or pipe", value=given)
    return delimiter


def _delimiter_or_auto(value: Any) -> str | None:
    return None if value in (None, "auto") else _delimiter(value)  # None: guessed from the payload


def _count(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise bad_value("must be a whole number, 0 or more, not {value!r}", value=value)


def _sheet(value: Any) -> str | int:
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        return value
    raise bad_value("must be a worksheet name or a 0-based index, not {value!r}", value=value)


#: Text; a number (YAML's 2020 or 1.5) is taken as the text it was written as.
Text = Annotated[str, PlainValidator(text)]
#: Text that says something: surrounding spaces dropped, empty refused.
Name = Annotated[str, PlainValidator(_name)]
#: An ISIC Rev.4 section letter, A-U.
Section = Annotated[str, PlainValidator(_section)]
#: A series frequency: D(aily), B(usiness-daily), W(eekly), M(onthly), Q(uarterly), A(nnual).
Frequency = Annotated[str, PlainValidator(_frequency)]
#: A market: an ISO 3166 two-letter country code, upper-cased ("in" is IN).
Market = Annotated[str, PlainValidator(_market)]
#: yes/no; YAML's true/false. Anything else is refused rather than guessed.
Flag = Annotated[bool, PlainValidator(_flag)]
#: A CSV delimiter: one character, or tab, comma, semicolon, pipe.
Delimiter = Annotated[str, PlainValidator(_delimiter)]
#: A delimiter, or ``auto`` (None) to guess it from the payload.
DelimiterOrAuto = Annotated[str | None, PlainValidator(_delimiter_or_auto)]
#: An XLSX worksheet: its name or its 0-based position.
Sheet = Annotated[str | int, PlainValidator(_sheet)]
#: How many of something: a whole number, 0 or more.
Count = Annotated[int, PlainValidator(_count)]
#: A mapping of text to text (unit codes to labels, the file's columns to field names).
TextMap = dict[Text, Text]


# -- the base model and its errors ---------------------------------------------------------

class ChannelOptions(BaseModel):
    """A kind's options; this base, with no fields, is the model of kinds that take none."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def for_channel(cls, config: ChannelConfig) -> Self:
        """``config``'s options, validated; raises ``ChannelOptionError`` naming every problem."""
        try:
            return cls.model_validate(dict(config.options), context={"channel": config})
        except ValidationError as exc:
            raise ChannelOptionError(f"channel {config.name!r} ({config.kind}): {describe(cls, exc)}") from None


def describe(model: type[BaseModel], exc: ValidationError, label: str = "option") -> str:
    """Every problem pydantic found in the keys of ``model``, in the channel file's words."""
    return "; ".join(dict.fromkeys(_problem(model, error, label) for error in exc.errors()))


def _problem(model: type[BaseModel], error: ErrorDetails, label: str) -> str:
    path, owner = _walk(model, error["loc"])
    kind = error["type"]
    if kind == _OPTION_PROBLEM:
        ctx = error.get("ctx") or {}
        return f"{label} {ctx['option']!r}: {ctx['message']}"
    if kind == "extra_forbidden" and owner is not None:
        known = ", ".join(sorted(owner.model_fields)) or f"none besides the common keys {', '.join(COMMON_KEYS)}"
        what = label if len(error["loc"]) == 1 else "setting"
        message = f"unknown {what} (known: {known})"
    elif kind == "missing":
        message = "is required"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = f"must be a mapping, not {what_is(error['input'])}"
    elif kind == "literal_error":
        message = f"{error['input']!r} is not one of {(error.get('ctx') or {}).get('expected')}"
    elif kind in ("list_type", "tuple_type"):
        message = f"must be a list, not {what_is(error['input'])}"
    else:
        message = error["msg"]
    return f"{label} {path!r}: {message}" if path else message


def _walk(model: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[str, type[BaseModel] | None]:
    """``loc`` as the file names it (``columns[USD].unit``), and the model its last key is looked up in."""
    path, current, owner = "", _unwrap(model), None
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            owner, path = current, f"{path}.{part}" if path else str(part)
            field = current.model_fields.get(part) if isinstance(part, str) else None
            current = _unwrap(field.annotation) if field is not None else None
        elif get_origin(current) in (dict, list, tuple):
            args = get_args(current)
            owner, path = None, f"{path}[{part}]"
            current = _unwrap(args[1] if get_origin(current) is dict else args[0])  # the values, the items
        else:
            owner, current = None, None  # inside a plain type: no further path to show
    return path, owner


def _unwrap(annotation: Any) -> Any:
    """The type that matters for naming a path: without Annotated metadata or ``| None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            models = [arg for arg in members if isinstance(arg, type) and issubclass(arg, BaseModel)]
            annotation = (models or members)[0]
        else:
            return annotation
