"""An event at a glance for its organisers: the few large figures their pages lead with, and the set-up checklist
(details → categories and quotas → questions → agenda → preview → publish) saying what is still missing.
It reads several modules' services, so it lives here, above them all."""
from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..booths.floorplan import services as floorplan
from ..booths.floorplan.models import BoothStatus
from ..checkin import services as checkin
from ..checkin import stats as checkin_stats
from ..events.models import Event, EventStatus
from ..registration import services as registrations
from ..registration.models import RegistrationStatus
from ..scheduling import services as agenda

HELD_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED)


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    value: int | None  # None: no limit (seats) or nothing to count (no floor plan)
    of: int | None = None


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    done: bool
    missing: list[str]
    url: str
    optional: bool = False


def event_figures(event: Event) -> list[Figure]:
    counts = registrations.status_counts(event.id)
    confirmed = counts[RegistrationStatus.CONFIRMED]
    entrance = checkin_stats.entrance_list_id(event.id)
    figures = [
        Figure("registered", str(_l("Đã đăng ký")), sum(counts[s] for s in HELD_STATUSES)),
        Figure("confirmed", str(_l("Đã xác nhận")), confirmed),
        Figure("checked_in", str(_l("Đã check-in")), checkin.checked_in_count(entrance) if entrance else 0),
        Figure("seats_left", str(_l("Còn chỗ")),
               None if event.capacity is None else max(event.capacity - confirmed, 0), event.capacity),
    ]
    plan = floorplan.get_plan(event.id)
    if plan is not None:
        booths = floorplan.status_counts(plan.id)
        figures.append(Figure("booths_taken", str(_l("Gian hàng đã có đơn vị")),
                              booths[BoothStatus.ASSIGNED] + booths[BoothStatus.HELD], sum(booths.values())))
    return figures


def setup_steps(event: Event) -> list[Step]:
    missing_details = [str(label) for value, label in (
        (event.summary, _l("tóm tắt")), (event.venue_name, _l("địa điểm")), (event.description_md, _l("mô tả")),
        (event.capacity, _l("sức chứa"))) if not value]
    categories = registrations.categories(event.id, active_only=True)
    questions = registrations.questions(event.id)
    sessions = agenda.sessions(event.id, include_cancelled=False)
    published = event.status not in (EventStatus.DRAFT,)
    return [
        Step("details", str(_l("Thông tin sự kiện")), not missing_details, missing_details,
             url_for("manage.edit_event", event_id=event.id)),
        Step("categories", str(_l("Đối tượng và chỉ tiêu")), bool(categories),
             [] if categories else [str(_l("chưa có đối tượng nhận đăng ký"))],
             url_for("registrations.settings", event_id=event.id)),
        Step("questions", str(_l("Câu hỏi đăng ký")), bool(questions),
             [] if questions else [str(_l("chưa có câu hỏi (không bắt buộc)"))],
             url_for("registrations.settings", event_id=event.id), optional=True),
        Step("agenda", str(_l("Soạn chương trình")), bool(sessions),
             [] if sessions else [str(_l("chưa có phiên nào"))], url_for("agenda.editor", event_id=event.id)),
        Step("preview", str(_l("Xem trước trang công khai")), published, [],
             url_for("manage.preview_event", event_id=event.id)),
        Step("publish", str(_l("Công bố sự kiện")), published,
             [] if published else [str(_l("sự kiện còn là bản nháp"))], url_for("manage.event_detail",
                                                                                event_id=event.id) + "#trang-thai"),
    ]
