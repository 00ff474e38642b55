from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.models import Organisation
from ..events.models import EventLevel, EventType
from ..forms import REQUIRED, BaseForm, LocalDateField, choices, enum_select, optional_enum, optional_id, strip
from ..registration.groups import group_choices
from ..timeutil import to_local
from . import periods, plans
from .models import Indicator, SupportKind, TraineeBasis
from .plans import (
    MAX_LABEL_LENGTH,
    MAX_PLAN_YEAR,
    MAX_SUPPORTED_NAME_LENGTH,
    MAX_TARGET_VALUE,
    MAX_UNIT_LENGTH,
    MIN_PLAN_YEAR,
    PlanDetails,
    SupportedDetails,
    TargetDetails,
    parse_tags,
)
from .rounds.models import RoundPeriod


def _checkboxes(enum_class, label, description="") -> SelectMultipleField:
    return SelectMultipleField(label, choices=choices((m.value, m.label) for m in enum_class),
                               coerce=lambda v: v if isinstance(v, enum_class) else enum_class(v),
                               widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                               description=description)


class PlanForm(BaseForm):
    year = IntegerField(_l("Năm kế hoạch"), validators=[
        InputRequired(REQUIRED), NumberRange(min=MIN_PLAN_YEAR, max=MAX_PLAN_YEAR)])
    title = StringField(_l("Tên kế hoạch"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=300)])
    document_no = StringField(_l("Số văn bản"), filters=[strip], validators=[Optional(), Length(max=60)])

    def to_details(self) -> PlanDetails:
        return PlanDetails(year=self.year.data, title=self.title.data, document_no=self.document_no.data)


class TargetForm(BaseForm):
    """A plan target, for the page and the JSON API alike."""

    indicator = SelectField(_l("Chỉ tiêu"), choices=choices((i.value, i.label) for i in Indicator),
                            coerce=lambda v: v if isinstance(v, Indicator) else Indicator(v),
                            validators=[InputRequired(REQUIRED)])
    target_value = IntegerField(_l("Giá trị chỉ tiêu"),
                                validators=[InputRequired(REQUIRED), NumberRange(min=0, max=MAX_TARGET_VALUE)])
    label = StringField(_l("Tên hiển thị (để trống: theo chỉ tiêu)"), filters=[strip],
                        validators=[Optional(), Length(max=MAX_LABEL_LENGTH)],
                        description="Empty: the indicator's name")
    unit = StringField(_l("Đơn vị tính (để trống: theo chỉ tiêu)"), filters=[strip],
                       validators=[Optional(), Length(max=MAX_UNIT_LENGTH)],
                       description="Empty: the indicator's unit")
    participant_group = SelectField(
        _l("Chỉ tính nhóm đối tượng"), choices=choices([("", _l("Mọi đối tượng"))]),
        coerce=lambda v: v or None, validators=[Optional()], description="A participant group's code")
    trainee_basis = SelectField(
        _l("Học viên được tính là (chỉ tiêu học viên)"), choices=choices(
            [("", _l("Mặc định (người hoàn thành)"))] + [(b.value, b.label) for b in TraineeBasis]),
        coerce=optional_enum(TraineeBasis),
        validators=[Optional()], description="Trainees targets only: completers (default) or attendees")
    event_types = _checkboxes(EventType, _l("Chỉ tính loại sự kiện (để trống: mọi loại)"), "Empty: every type")
    levels = _checkboxes(EventLevel, _l("Chỉ tính cấp tổ chức (để trống: mọi cấp)"), "Empty: every level")
    tags = StringField(_l("Chỉ tính sự kiện có thẻ (cách nhau bởi dấu phẩy)"), filters=[strip],
                       validators=[Optional(), Length(max=1000)],
                       description="Comma-separated; only events with one of these tags count")

    def bind(self, current_group: str | None = None) -> "TargetForm":
        """The groups offered, and the target's own if it was retired since."""
        self.participant_group.choices = choices([("", _l("Mọi đối tượng"))] + group_choices(current_group))
        return self

    def to_details(self) -> TargetDetails:
        return TargetDetails(self.indicator.data, self.target_value.data, self.label.data or "",
                             self.unit.data or "", self.participant_group.data, list(self.event_types.data or []),
                             list(self.levels.data or []), parse_tags(self.tags.data), self.trainee_basis.data)


class TagsForm(BaseForm):
    tags = StringField(_l("Thẻ của sự kiện (cách nhau bởi dấu phẩy)"), filters=[strip],
                       validators=[Optional(), Length(max=1300)])

    def to_tags(self) -> list[str]:
        return parse_tags(self.tags.data)


class SupportedForm(BaseForm):
    kind = enum_select(SupportKind, _l("Loại"), validators=[InputRequired(REQUIRED)])
    name = StringField(_l("Tên dự án hoặc đơn vị"), filters=[strip],
                       validators=[DataRequired(REQUIRED), Length(max=MAX_SUPPORTED_NAME_LENGTH)])
    supported_on = LocalDateField(_l("Ngày hỗ trợ (dd/mm/yyyy)"), validators=[InputRequired(REQUIRED)])
    event_id = SelectField(_l("Tại sự kiện (nếu có)"), coerce=optional_id, validators=[Optional()])
    note = TextAreaField(_l("Ghi chú"), filters=[strip], validators=[Optional(), Length(max=2000)])

    def bind(self, organisation_id: int) -> "SupportedForm":
        """The events the organisation organised or co-organised."""
        events = plans.list_organised_events(organisation_id)
        self.event_id.choices = choices([("", _l("Không gắn với sự kiện"))] + [
            (e.id, f"{e.title} ({to_local(e.starts_at):%d/%m/%Y})") for e in events])
        return self

    def to_details(self) -> SupportedDetails:
        return SupportedDetails(kind=self.kind.data, name=self.name.data, supported_on=self.supported_on.data,
                                event_id=self.event_id.data, note=self.note.data)


PERIOD_CHOICES = choices((period.value, period.label) for period in RoundPeriod)


class ReportScopeFields:
    """Which organisations and which period a report is about: the report page's query, and the scope of the
    report an issue form issues."""

    period = RadioField(_l("Kỳ báo cáo"), choices=PERIOD_CHOICES, default="year")
    year = IntegerField(_l("Năm"), validators=[Optional(), NumberRange(min=MIN_PLAN_YEAR, max=MAX_PLAN_YEAR)])
    starts_on = LocalDateField(_l("Từ ngày (dd/mm/yyyy)"), validators=[Optional()])
    ends_on = LocalDateField(_l("Đến ngày (dd/mm/yyyy)"), validators=[Optional()])
    # Not validated against the choices: an organisation outside the user's is refused with 404 by the service.
    organisation_ids = SelectMultipleField(_l("Đơn vị"), coerce=int, choices=[], validate_choice=False,
                                           widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def bind(self, organisations: list[Organisation]):
        self.organisation_ids.choices = choices((o.id, o.name) for o in organisations)
        return self


class ReportForm(ReportScopeFields, BaseForm):
    """The report's scope, read from the query string (a GET form: nothing is written)."""

    class Meta:
        csrf = False


def report_scope(user, form: ReportScopeFields, today: date) -> tuple[list[int], date, date]:
    """The organisations and dates a valid form names, if the user may see every organisation in it."""
    periods.require_report_access(user, form.organisation_ids.data)
    starts_on, ends_on = periods.resolve_period(form.period.data, form.year.data, form.starts_on.data,
                                                form.ends_on.data, today)
    return form.organisation_ids.data, starts_on, ends_on


def report_for(user, form: ReportForm, today: date) -> periods.PeriodReport:
    """The report a valid ReportForm asks for, if the user may see every organisation in it."""
    return periods.build_period_report(*report_scope(user, form, today))
