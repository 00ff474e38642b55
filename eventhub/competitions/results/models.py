"""Prizes a competition awards to entries."""
import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from ...models_base import enum_type
from ..entries.models import Entry


class PrizeKind(enum.Enum):
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"
    CONSOLATION = "consolation"

    @property
    def label(self):
        return {PrizeKind.FIRST: _l("Giải Nhất"), PrizeKind.SECOND: _l("Giải Nhì"), PrizeKind.THIRD: _l("Giải Ba"),
                PrizeKind.CONSOLATION: _l("Giải Khuyến khích")}[self]

    @property
    def rank(self) -> int:
        return list(PrizeKind).index(self) + 1


class Prize(db.Model):
    __tablename__ = "competition_prizes"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_entries.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[PrizeKind] = mapped_column(enum_type(PrizeKind))

    entry: Mapped[Entry] = relationship()
