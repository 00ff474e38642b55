from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..events.models import EventLevel, EventType
from ..forms import REQUIRED, BaseForm, LocalDateField, choices, enum_select, strip
from ..registration.models import ParticipantGroup
from . import periods
from .models import Indicator, SupportKind
from .plans import TargetDetails, parse_tags


def _checkboxes(enum_class, label) -> SelectMultipleField:
    return SelectMultipleField(label, choices=choices((m.value, m.label) for m in enum_class),
                               coerce=lambda v: v if isinstance(v, enum_class) else enum_class(v),
                               widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class PlanForm(BaseForm):
    year = IntegerField(_l("Năm kế hoạch"), validators=[InputRequired(REQUIRED), NumberRange(min=2000, max=2100)])
    title = StringField(_l("Tên kế hoạch"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=300)])
    document_no = StringField(_l("Số văn bản"), filters=[strip], validators=[Optional(), Length(max=60)])


class TargetForm(BaseForm):
    """A plan target, for the page and the JSON API alike."""

    indicator = SelectField(_l("Chỉ tiêu"), choices=choices((i.value, i.label) for i in Indicator),
                            coerce=lambda v: v if isinstance(v, Indicator) else Indicator(v),
                            validators=[InputRequired(REQUIRED)])
    target_value = IntegerField(_l("Giá trị chỉ tiêu"),
                                validators=[InputRequired(REQUIRED), NumberRange(min=0, max=100_000_000)])
    label = StringField(_l("Tên hiển thị (để trống: theo chỉ tiêu)"), filters=[strip],
                        validators=[Optional(), Length(max=200)])
    unit = StringField(_l("Đơn vị tính (để trống: theo chỉ tiêu)"), filters=[strip],
                       validators=[Optional(), Length(max=40)])
    participant_group = SelectField(
        _l("Chỉ tính nhóm đối tượng"), choices=choices(
            [("", _l("Mọi đối tượng"))] + [(g.value, g.label) for g in ParticipantGroup]),
        coerce=lambda v: v if isinstance(v, ParticipantGroup) or v is None else (ParticipantGroup(v) if v else None),
        validators=[Optional()])
    event_types = _checkboxes(EventType, _l("Chỉ tính loại sự kiện (để trống: mọi loại)"))
    levels = _checkboxes(EventLevel, _l("Chỉ tính cấp tổ chức (để trống: mọi cấp)"))
    tags = StringField(_l("Chỉ tính sự kiện có thẻ (cách nhau bởi dấu phẩy)"), filters=[strip],
                       validators=[Optional(), Length(max=1000)])

    def to_details(self) -> TargetDetails:
        return TargetDetails(self.indicator.data, self.target_value.data, self.label.data or "",
                             self.unit.data or "", self.participant_group.data, list(self.event_types.data or []),
                             list(self.levels.data or []), parse_tags(self.tags.data))


class TagsForm(BaseForm):
    tags = StringField(_l("Thẻ của sự kiện (cách nhau bởi dấu phẩy)"), filters=[strip],
                       validators=[Optional(), Length(max=1300)])


class SupportedForm(BaseForm):
    kind = enum_select(SupportKind, _l("Loại"), validators=[InputRequired(REQUIRED)])
    name = StringField(_l("Tên dự án hoặc đơn vị"), filters=[strip],
                       validators=[DataRequired(REQUIRED), Length(max=200)])
    supported_on = LocalDateField(_l("Ngày hỗ trợ (dd/mm/yyyy)"), validators=[InputRequired(REQUIRED)])
    event_id = SelectField(_l("Tại sự kiện (nếu có)"), coerce=lambda v: int(v) if v not in (None, "") else None,
                           validators=[Optional()])
    note = TextAreaField(_l("Ghi chú"), filters=[strip], validators=[Optional(), Length(max=2000)])


PERIOD_CHOICES = choices([("first_half", _l("6 tháng đầu năm")), ("second_half", _l("6 tháng cuối năm")),
                          ("year", _l("Cả năm")), ("custom", _l("Khoảng thời gian khác"))])


class ReportForm(BaseForm):
    """The report's scope, read from the query string (a GET form: nothing is written)."""

    class Meta:
        csrf = False

    period = RadioField(_l("Kỳ báo cáo"), choices=PERIOD_CHOICES, default="year")
    year = IntegerField(_l("Năm"), validators=[Optional(), NumberRange(min=2000, max=2100)])
    starts_on = LocalDateField(_l("Từ ngày (dd/mm/yyyy)"), validators=[Optional()])
    ends_on = LocalDateField(_l("Đến ngày (dd/mm/yyyy)"), validators=[Optional()])
    # Not validated against the choices: an organisation outside the user's is refused with 404 by the service.
    organisation_ids = SelectMultipleField(_l("Đơn vị"), coerce=int, choices=[], validate_choice=False,
                                           widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


def report_for(user, form: ReportForm, today: date) -> periods.PeriodReport:
    """The report a valid ReportForm asks for, if the user may see every organisation in it."""
    periods.require_report_access(user, form.organisation_ids.data)
    starts_on, ends_on = periods.resolve_period(form.period.data, form.year.data, form.starts_on.data,
                                                form.ends_on.data, today)
    return periods.build_period_report(form.organisation_ids.data, starts_on, ends_on)
