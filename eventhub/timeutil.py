"""Time: stored in UTC, shown and entered in the configured local zone (Asia/Ho_Chi_Minh)."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware datetime stored as naive UTC, identically on SQLite and PostgreSQL."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["EVENTHUB_TIMEZONE"])


def to_local(value: datetime) -> datetime:
    return value.astimezone(local_zone())


def from_local(value: datetime) -> datetime:
    """Read a wall-clock time entered by a person as local time; aware values keep their offset."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_zone())
    return value.astimezone(UTC)


def this_year(now: datetime | None = None) -> int:
    """The current year in Vietnam (on 31/12 after 17:00 UTC it is already the next one)."""
    return to_local(now or utcnow()).year
