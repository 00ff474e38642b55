"""Reading a row through the object it belongs to."""
from .errors import NotFound
from .extensions import db


def get_owned(model, key, **owner):
    """The `model` row `key` if it belongs to `owner` (e.g. `event_id=3`), else NotFound: another event's or
    organisation's id answers exactly as an id that does not exist."""
    row = db.session.get(model, key)
    if row is None or any(getattr(row, name) != value for name, value in owner.items()):
        raise NotFound()
    return row
