"""The charts of an event's statistics and of a period report, drawn from the numbers the services return;
pages and PDF exports show these same SVGs."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from . import charts
from .event_stats import Breakdown, EventStatistics
from .periods import PeriodReport

TOP_PROVINCES = 10


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    svg: Markup


def _came_or_not(key: str, title, breakdowns: tuple[Breakdown, ...]) -> Figure:
    """Each part of the audience as one bar: those who came, then the no-shows."""
    title = str(title)
    return Figure(key, title, charts.grouped_bar_chart(
        title, [b.label for b in breakdowns],
        [charts.Series(str(_l("Đã đến")), tuple(b.checked_in for b in breakdowns)),
         charts.Series(str(_l("Vắng mặt")), tuple(b.no_shows for b in breakdowns))], stacked=True))


def event_figures(stats: EventStatistics) -> dict[str, Figure]:
    by_day = str(_l("Số đăng ký theo ngày"))
    gender = str(_l("Người đăng ký đã xác nhận theo giới tính"))
    arrivals = str(_l("Lượt đến mỗi 15 phút (cổng chính, giờ địa phương)"))
    figures = [
        Figure("registrations_by_day", by_day, charts.time_series(
            by_day, [d.day.strftime("%d/%m") for d in stats.registrations_by_day],
            [d.registrations for d in stats.registrations_by_day])),
        _came_or_not("by_category", _l("Có mặt và vắng mặt theo đối tượng đăng ký"), stats.by_category),
        _came_or_not("by_group", _l("Có mặt và vắng mặt theo nhóm đối tượng"), stats.by_group),
        Figure("by_gender", gender, charts.donut_chart(
            gender, [b.label for b in stats.by_gender], [b.registered for b in stats.by_gender])),
        _came_or_not("by_age", _l("Có mặt và vắng mặt theo độ tuổi"), stats.by_age),
        _came_or_not("by_province", _l("Có mặt và vắng mặt theo tỉnh, thành (10 nơi nhiều nhất)"),
                     stats.by_province[:TOP_PROVINCES]),
        Figure("arrivals", arrivals, charts.time_series(
            arrivals, [s.label for s in stats.arrivals], [s.count for s in stats.arrivals])),
    ]
    return {figure.key: figure for figure in [*figures, *_programme_figures(stats)]}


def _programme_figures(stats: EventStatistics) -> list[Figure]:
    sessions = str(_l("Người tham dự theo phiên"))
    booths = str(_l("Gian hàng đã có đơn vị theo loại"))
    ocop = str(_l("Sản phẩm OCOP trưng bày theo nhóm và số sao"))
    held = [s for s in stats.sessions if not s.cancelled]
    return [
        Figure("sessions", sessions, charts.grouped_bar_chart(
            sessions, [s.title for s in held],
            [charts.Series(str(_l("Sức chứa")), tuple(s.capacity or 0 for s in held)),
             charts.Series(str(_l("Đã đến")), tuple(s.checked_in for s in held))],
            colours=(charts.PALETTE[5], charts.PALETTE[0]))),
        Figure("booths", booths, charts.grouped_bar_chart(
            booths, [b.label for b in stats.booths],
            [charts.Series(str(_l("Đã có đơn vị")), tuple(b.occupied for b in stats.booths)),
             charts.Series(str(_l("Còn trống")), tuple(b.booths - b.occupied for b in stats.booths))],
            stacked=True)),
        Figure("ocop_products", ocop, charts.grouped_bar_chart(
            ocop, [o.label for o in stats.ocop_products],
            [charts.Series(str(_l("%(n)d sao", n=n)), tuple(getattr(o, name) for o in stats.ocop_products))
             for n, name in ((3, "three_stars"), (4, "four_stars"), (5, "five_stars"))],
            stacked=True, colours=(charts.PALETTE[2], charts.PALETTE[1], charts.PALETTE[3]))),
    ]


def period_figures(report: PeriodReport) -> dict[str, Figure]:
    """Indicators against their targets, events by type beside the previous period, and participants by
    group (registrations, attendees and unique people)."""
    targeted = [row for row in report.indicators if row.target]
    indicators = str(_l("Kết quả so với chỉ tiêu kế hoạch"))
    by_type = str(_l("Số sự kiện theo loại, so với cùng kỳ"))
    groups = str(_l("Người tham gia theo nhóm đối tượng"))
    figures = [
        Figure("indicators", indicators, charts.target_chart(
            indicators, [row.label for row in targeted], [row.target for row in targeted],
            [row.achieved for row in targeted])),
        Figure("events_by_type", by_type, charts.grouped_bar_chart(
            by_type, [row.label for row in report.events_by_type],
            [charts.Series(str(_l("Kỳ này")), tuple(row.value for row in report.events_by_type)),
             charts.Series(str(_l("Cùng kỳ năm trước")), tuple(row.previous for row in report.events_by_type))])),
        Figure("participants_by_group", groups, charts.grouped_bar_chart(
            groups, [row.label for row in report.participants_by_group],
            [charts.Series(str(_l("Lượt đăng ký")), tuple(row.registrations for row in report.participants_by_group)),
             charts.Series(str(_l("Lượt có mặt")), tuple(row.attendees for row in report.participants_by_group)),
             charts.Series(str(_l("Số người")), tuple(row.unique_people for row in report.participants_by_group))])),
    ]
    return {figure.key: figure for figure in figures}
