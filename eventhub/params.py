"""Ids and enum values read from URLs, query strings and JSON bodies, parsed one way everywhere."""
from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from flask_babel import lazy_gettext as _l

from .errors import ValidationFailed

# Ids are 32-bit integer columns: a bigger number names no row, and PostgreSQL refuses it with an error.
MAX_DB_ID = 2**31 - 1

E = TypeVar("E", bound=Enum)


def is_db_id(value) -> bool:
    """Whether a JSON value can name a row: an integer (not a boolean) from 1 to MAX_DB_ID."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_DB_ID


def id_arg(args: Mapping, name: str) -> int | None:
    """A database id from query arguments; anything else (text, zero, beyond MAX_DB_ID) is ignored."""
    try:
        number = int(args.get(name))
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_DB_ID else None


def enum_arg(args: Mapping, name: str, enum_class: type[E], default: E | None = None, *,
             strict: bool = False) -> E | None:
    """The member of `enum_class` whose value the argument is; missing or empty gives `default`.

    An unknown value gives `default` too (a page's filter ignores it), or with `strict` (the API) a
    ValidationFailed on that argument."""
    value = args.get(name)
    if not value:
        return default
    member = next((m for m in enum_class if m.value == value), None)
    if member is None and strict:
        raise ValidationFailed({name: [_l("Giá trị không hợp lệ.")]})
    return default if member is None else member
