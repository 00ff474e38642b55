from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UTCDateTime, utcnow


class OrganiserMessage(db.Model):
    """One message an organiser sent: what, to whom (the audience filter as chosen), how many got it."""

    __tablename__ = "organiser_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(sa.String(150))
    body: Mapped[str] = mapped_column(sa.Text)
    audience: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    recipients: Mapped[int] = mapped_column(default=0)
    paid: Mapped[int] = mapped_column(default=0)  # SMS/ZNS messages queued
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
