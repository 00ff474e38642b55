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
