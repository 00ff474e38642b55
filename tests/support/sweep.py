"""Outcome tables for bad input: each row sends one value to one endpoint and states what must happen, either
stored (with the value read back from the database) or refused (with the status, the error code and the fields
named), and a refusal must leave the database as it was. The JSON types themselves are proven once, on the
validator, in tests/test_form_json.py; these tables only send what reaches an endpoint's own rules."""
import json
from dataclasses import dataclass

import sqlalchemy as sa

from eventhub.extensions import db


@dataclass(frozen=True)
class Stored:
    value: object


@dataclass(frozen=True)
class Refused:
    status: int
    code: str
    fields: tuple[str, ...] = ()


def invalid(*fields: str) -> Refused:
    """A 422 naming exactly these fields."""
    return Refused(422, "validation_error", tuple(sorted(fields)))


NOT_FOUND = Refused(404, "not_found")


def send_json(client, method: str, url: str, body, headers=None):
    """JSON as any client may write it: NaN and Infinity as Python's json writes them, surrogates escaped."""
    return client.open(url, method=method, data=json.dumps(body), content_type="application/json",
                       headers=headers or {})


def snapshot(*tables: str) -> dict:
    """The rows of these tables (without updated_at), to prove that a refused request wrote nothing."""
    db.session.expire_all()
    state = {}
    for name in tables:
        table = db.metadata.tables[name]
        columns = [c for c in table.c if c.name != "updated_at"]
        state[name] = sorted(map(repr, db.session.execute(sa.select(*columns)).all()))
    return state


def outcome(response, before: dict, read_back):
    """What happened, in the shape of the table's rows: Stored(read_back(response)) for a success, else
    Refused(...) after checking that the tables in `before` did not change."""
    if response.status_code < 400:
        db.session.expire_all()
        return Stored(read_back(response))
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if snapshot(*before) != before:
        return f"refused with {response.status_code} but wrote"
    if not response.is_json:
        return Refused(response.status_code, "")
    error = response.get_json()["error"]
    assert error["message"], error
    return Refused(response.status_code, error["code"], tuple(sorted(error.get("fields") or {})))


def row(table: str, **where) -> dict:
    """One row of a table, read with plain SQL (so the test does not depend on where a model class lives)."""
    db.session.expire_all()
    columns = db.metadata.tables[table]
    return dict(db.session.execute(sa.select(columns).where(
        *(columns.c[name] == value for name, value in where.items()))).mappings().one())


def newest(table: str) -> dict:
    columns = db.metadata.tables[table]
    db.session.expire_all()
    return dict(db.session.execute(sa.select(columns).order_by(columns.c.id.desc()).limit(1)).mappings().one())
