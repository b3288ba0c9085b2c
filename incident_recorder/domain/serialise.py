"""Lossless conversion of the domain's frozen dataclasses to and from plain
JSON-compatible values (dicts, lists, strings, numbers, booleans, None).

Used by the store (a record version is kept as canonical JSON, so it can be
hashed for the audit chain) and by the JSON export format (docs/data-format.md).
Unknown keys are ignored and missing keys take the field's default, so an older
export reads into a newer model.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date, datetime, time
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin

from incident_recorder.domain.errors import BadImportFile
from incident_recorder.domain.model import IncidentDetails

T = TypeVar("T")


def to_plain(value: Any) -> Any:
    """A dataclass (or any supported value) as JSON-compatible data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, frozenset | set):
        return sorted(to_plain(v) for v in value)
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot serialise {type(value).__name__}")


def from_plain(cls: type[T], data: Any) -> T:
    """Rebuild ``cls`` from :func:`to_plain` output. Raises BadImportFile on bad data."""
    try:
        return typing.cast(T, _convert(cls, data, cls.__name__))
    except BadImportFile:
        raise
    except (TypeError, ValueError, KeyError) as exc:
        raise BadImportFile(f"The data for {cls.__name__} is not valid: {exc}") from exc


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(tp: Any, data: Any, where: str) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if data is None:
            return None
        return _convert(args[0], data, where)
    if origin is tuple:
        targs = get_args(tp)
        if len(targs) == 2 and targs[1] is Ellipsis:
            return tuple(_convert(targs[0], v, where) for v in _list(data, where))
        items = _list(data, where)
        if len(items) != len(targs):
            raise BadImportFile(f"{where}: expected {len(targs)} items, found {len(items)}.")
        return tuple(_convert(a, v, where) for a, v in zip(targs, items, strict=True))
    if origin is frozenset:
        (arg,) = get_args(tp)
        return frozenset(_convert(arg, v, where) for v in _list(data, where))
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(data, dict):
            raise BadImportFile(f"{where}: expected an object, found {type(data).__name__}.")
        hints = _hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name in data:
                kwargs[f.name] = _convert(hints[f.name], data[f.name], f"{where}.{f.name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise BadImportFile(f"{where}.{f.name} is missing.")
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(data)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in tp)
            raise BadImportFile(f"{where}: {data!r} is not one of {allowed}.") from None
    if tp in _TEMPORAL:
        parse, example = _TEMPORAL[tp]
        try:
            return parse(_str(data, where))
        except ValueError:
            raise BadImportFile(f"{where}: expected {example}, found {data!r}.") from None
    if tp is bool:
        if not isinstance(data, bool):
            raise BadImportFile(f"{where}: expected true or false.")
        return data
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise BadImportFile(f"{where}: expected a whole number.")
        return data
    if tp is str:
        return _str(data, where)
    if tp is Any:
        return data
    raise TypeError(f"{where}: unsupported type {tp!r}")


_TEMPORAL: dict[Any, tuple[Any, str]] = {
    datetime: (datetime.fromisoformat, "a date and time such as 2026-03-10T14:05:00"),
    date: (date.fromisoformat, "a date such as 2026-03-10"),
    time: (time.fromisoformat, "a time such as 14:05"),
}


def _list(data: Any, where: str) -> list[Any]:
    if not isinstance(data, list):
        raise BadImportFile(f"{where}: expected a list.")
    return data


def _str(data: Any, where: str) -> str:
    if not isinstance(data, str):
        raise BadImportFile(f"{where}: expected text.")
    return data


def canonical_json(value: Any) -> str:
    """Stable JSON text (sorted keys, no spaces): the form that is hashed."""
    return json.dumps(to_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def details_to_json(details: IncidentDetails) -> str:
    return canonical_json(details)


def details_from_json(text: str) -> IncidentDetails:
    return from_plain(IncidentDetails, json.loads(text))
