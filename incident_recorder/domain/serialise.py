"""Lossless conversion of the domain's frozen dataclasses to and from plain
JSON-compatible values (dicts, lists, strings, numbers, booleans, None).

Used by the store (a record version is kept as canonical JSON, so it can be
hashed for the audit chain) and by the JSON export format (docs/data-format.md).
Unknown keys are ignored and missing keys take the field's default, so an older
export reads into a newer model. A field that changed its unit is read from its old
name too (:data:`_RENAMED`): durations were whole minutes before they took seconds.
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
from incident_recorder.domain.model import HoldUse, IncidentDetails, Injuries, Intervention

T = TypeVar("T")


# Fields added later that are left out while empty: a record saved before them keeps
# exactly its stored JSON (and so its SHA-256 in the audit chain and sign-offs) when it
# is read and written again. Missing keys read as the field's default.
_OMITTED_WHEN_EMPTY: dict[type, frozenset[str]] = {
    Injuries: frozenset({"pupil_marks", "staff_marks"}),
}


def to_plain(value: Any) -> Any:
    """A dataclass (or any supported value) as JSON-compatible data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        omit = _OMITTED_WHEN_EMPTY.get(type(value), frozenset())
        return {
            f.name: to_plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not (f.name in omit and not getattr(value, f.name))
        }
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
        convert = _converter(typing.cast(Any, cls))
        return typing.cast(T, convert(data, cls.__name__))
    except BadImportFile:
        raise
    except (TypeError, ValueError, KeyError) as exc:
        raise BadImportFile(f"The data for {cls.__name__} is not valid: {exc}") from exc


# A converter takes the plain data and where it sits (for the messages) and returns the
# value. One is made per type, once: the type is inspected when the converter is made,
# never per value (a pupil review reads hundreds of records at a time).
Converter = typing.Callable[[Any, str], Any]


@cache
def _converter(tp: Any) -> Converter:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return _optional(_converter(args[0]))
    if origin is tuple:
        targs = get_args(tp)
        if len(targs) == 2 and targs[1] is Ellipsis:
            return _sequence(tuple, _converter(targs[0]))
        return _fixed_tuple(tuple(_converter(a) for a in targs))
    if origin is frozenset:
        (arg,) = get_args(tp)
        return _sequence(frozenset, _converter(arg))
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass(tp)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enum(tp)
    if tp in _TEMPORAL:
        return _temporal(*_TEMPORAL[tp])
    if tp is bool:
        return _bool
    if tp is int:
        return _int
    if tp is str:
        return _str
    if tp is Any:
        return _any
    return _unsupported(tp)


def _unsupported(tp: Any) -> Converter:
    def convert(data: Any, where: str) -> Any:
        raise TypeError(f"{where}: unsupported type {tp!r}")

    return convert


def _optional(inner: Converter) -> Converter:
    def convert(data: Any, where: str) -> Any:
        return None if data is None else inner(data, where)

    return convert


def _sequence(kind: Any, item: Converter) -> Converter:
    def convert(data: Any, where: str) -> Any:
        return kind([item(v, where) for v in _list(data, where)])

    return convert


def _fixed_tuple(items: tuple[Converter, ...]) -> Converter:
    def convert(data: Any, where: str) -> Any:
        values = _list(data, where)
        if len(values) != len(items):
            raise BadImportFile(f"{where}: expected {len(items)} items, found {len(values)}.")
        return tuple(c(v, where) for c, v in zip(items, values, strict=True))

    return convert


# Field types whose plain value is the value itself, when it has exactly this type.
_VERBATIM: dict[Any, frozenset[type]] = {str: frozenset({str}), int: frozenset({int})}
_VERBATIM[bool] = frozenset({bool})


def _verbatim(tp: Any) -> frozenset[type]:
    """The value types that need no conversion (nor checking) for a field of type ``tp``."""
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return _verbatim(args[0]) | {type(None)}
    return _VERBATIM.get(tp, frozenset())


# Fields that an earlier version of the app kept under another name and unit:
# class -> {new field: (old field, factor)}. The old value, times the factor, is used
# only when the new field is absent (stored versions are never rewritten, so their
# hashes in the audit chain still hold).
_RENAMED: dict[type, dict[str, tuple[str, int]]] = {
    HoldUse: {"seconds": ("minutes", 60)},
    Intervention: {"floor_seconds": ("floor_minutes", 60)},
}


def _dataclass(tp: type) -> Converter:
    hints = typing.get_type_hints(tp)
    renamed = _RENAMED.get(tp, {})
    fields = [
        (
            f.name,
            _converter(hints[f.name]),
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
            _verbatim(hints[f.name]),
        )
        for f in dataclasses.fields(tp)
    ]

    def convert(data: Any, where: str) -> Any:
        if not isinstance(data, dict):
            raise BadImportFile(f"{where}: expected an object, found {type(data).__name__}.")
        kwargs = {}
        for name, field_converter, required, verbatim in fields:
            if name in data:
                value = data[name]
                if type(value) in verbatim:
                    kwargs[name] = value
                else:
                    kwargs[name] = field_converter(value, f"{where}.{name}")
            elif name in renamed and renamed[name][0] in data:
                old, factor = renamed[name]
                value = field_converter(data[old], f"{where}.{old}")
                kwargs[name] = None if value is None else value * factor
            elif required:
                raise BadImportFile(f"{where}.{name} is missing.")
        return tp(**kwargs)

    return convert


def _enum(tp: type[Enum]) -> Converter:
    members = {m.value: m for m in tp}  # a dict look-up is far quicker than tp(value)

    def convert(data: Any, where: str) -> Any:
        try:
            return members[data]
        except (KeyError, TypeError):
            pass
        try:
            return tp(data)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in tp)
            raise BadImportFile(f"{where}: {data!r} is not one of {allowed}.") from None

    return convert


def _temporal(parse: Any, example: str) -> Converter:
    def convert(data: Any, where: str) -> Any:
        try:
            return parse(_str(data, where))
        except ValueError:
            raise BadImportFile(f"{where}: expected {example}, found {data!r}.") from None

    return convert


def _bool(data: Any, where: str) -> bool:
    if not isinstance(data, bool):
        raise BadImportFile(f"{where}: expected true or false.")
    return data


def _int(data: Any, where: str) -> int:
    if isinstance(data, bool) or not isinstance(data, int):
        raise BadImportFile(f"{where}: expected a whole number.")
    return data


def _any(data: Any, where: str) -> Any:
    return data


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
