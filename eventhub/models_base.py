"""Column helpers shared by every module's models."""
import enum

import sqlalchemy as sa


def enum_type(enum_class: type[enum.Enum]) -> sa.Enum:
    """Store an enum by its value in a VARCHAR with a CHECK, portable across SQLite and PostgreSQL."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        name=enum_class.__name__.lower(),
    )


_NOT_COPIED = frozenset({"created_at", "updated_at"})


def copy_row(row, **changes):
    """A new row of the same model with the same column values, but no primary key of its own (unless given in
    `changes`) and fresh creation times; `changes` override columns (e.g. the copy's event_id)."""
    mapper = sa.inspect(type(row))
    values = {column.key: getattr(row, column.key) for column in mapper.column_attrs
              if column.key not in _NOT_COPIED and not any(c.primary_key for c in column.columns)}
    values.update(changes)
    return type(row)(**values)
