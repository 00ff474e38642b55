"""Who holds which booth, however it was given (solver, organiser, self-booking), and the solver's runs."""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from ...models_base import enum_type
from ...timeutil import UTCDateTime, utcnow
from ..applications.models import BoothApplication
from ..floorplan.models import Booth


class AllocationSource(enum.Enum):
    AUTO = "auto"
    MANUAL = "manual"
    SELF = "self"

    @property
    def label(self):
        return {
            AllocationSource.AUTO: _l("Phân bổ tự động"),
            AllocationSource.MANUAL: _l("Ban tổ chức xếp"),
            AllocationSource.SELF: _l("Đơn vị tự chọn"),
        }[self]

class BoothAssignment(db.Model):
    """Who holds a booth. The unique booth_id is what makes double-booking impossible."""

    __tablename__ = "booth_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    booth_id: Mapped[int] = mapped_column(sa.ForeignKey("booths.id", ondelete="CASCADE"), unique=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("booth_applications.id", ondelete="CASCADE"),
                                                index=True)
    source: Mapped[AllocationSource] = mapped_column(enum_type(AllocationSource))
    locked: Mapped[bool] = mapped_column(default=False)
    # Non-null: a self-booking hold not yet confirmed; once past, the booth counts as free.
    held_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the exhibitor was told this booth (notice queued, or the plan published): from then on an automatic
    # run keeps it unless the organiser confirms moving it, and any change is notified.
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    booth: Mapped[Booth] = relationship(back_populates="assignment")
    application: Mapped[BoothApplication] = relationship(back_populates="assignments")


class AllocationRun(db.Model):
    __tablename__ = "allocation_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("floor_plans.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rules: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    objective: Mapped[float] = mapped_column(sa.Float, default=0)
    upper_bound: Mapped[float] = mapped_column(sa.Float, default=0)
    gap_percent: Mapped[float] = mapped_column(sa.Float, default=0)
    proven_optimal: Mapped[bool] = mapped_column(default=False)
    seconds: Mapped[float] = mapped_column(sa.Float, default=0)
    assigned: Mapped[int] = mapped_column(default=0)
    unassigned: Mapped[int] = mapped_column(default=0)
    explanations: Mapped[dict] = mapped_column(sa.JSON, default=dict)
