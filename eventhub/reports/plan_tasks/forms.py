"""Forms of plan tasks, manual indicators and their entries: the pages and the API validate with them."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ...extensions import db
from ...forms import REQUIRED, BaseForm, LocalDateField, choices, enum_select, optional_id, strip
from ...timeutil import to_local
from ..models import Plan, TaskStatus
from ..plans import MAX_LABEL_LENGTH, MAX_TARGET_VALUE, MAX_UNIT_LENGTH
from . import services
from .services import (
    MAX_ENTRY_NOTE_LENGTH,
    MAX_OUTSIDE_LENGTH,
    MAX_TASK_TITLE_LENGTH,
    MAX_URL_LENGTH,
    QUARTER_NAMES,
    EntryDetails,
    ManualIndicatorDetails,
    TaskDetails,
)


def _ids(label, description="") -> SelectMultipleField:
    # Not validated against the choices: the service names what is outside the plan's organisations.
    return SelectMultipleField(label, coerce=int, choices=[], validate_choice=False, description=description,
                               widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class TaskForm(BaseForm):
    """A task of the plan, for the page and the JSON API alike."""

    title = StringField(_l("Nhiệm vụ"), filters=[strip],
                        validators=[DataRequired(REQUIRED), Length(max=MAX_TASK_TITLE_LENGTH)])
    lead_organisation_id = SelectField(_l("Đơn vị chủ trì"), coerce=optional_id, choices=[], validate_choice=False,
                                       validators=[InputRequired(REQUIRED)])
    co_organisation_ids = _ids(_l("Đơn vị phối hợp"), "Organisations of the plan's organisation or below it")
    outside_agencies = StringField(_l("Cơ quan phối hợp khác (ngoài hệ thống)"), filters=[strip],
                                   validators=[Optional(), Length(max=MAX_OUTSIDE_LENGTH)])
    due_on = LocalDateField(_l("Hạn hoàn thành (dd/mm/yyyy)"), validators=[Optional()],
                            description="A date, or leave empty and give due_quarter")
    due_quarter = SelectField(_l("Hoặc hoàn thành trong quý"), coerce=optional_id, choices=choices(
        [("", _l("Không theo quý"))] + [(q, _l("Quý %(quarter)s", quarter=name)) for q, name in QUARTER_NAMES.items()]),
        validators=[Optional()], description="1–4: due on the quarter's last day in the plan's year")
    status = enum_select(TaskStatus, _l("Tình trạng"), default=TaskStatus.NOT_STARTED.value,
                         validators=[Optional()])
    event_ids = _ids(_l("Sự kiện thực hiện nhiệm vụ"))
    note = TextAreaField(_l("Ghi chú"), filters=[strip], validators=[Optional(), Length(max=2000)])

    def bind(self, plan: Plan) -> "TaskForm":
        self.lead_organisation_id.choices = choices([("", _l("Chọn đơn vị"))] + [
            (o.id, o.name) for o in services.task_organisations(plan)])
        self.co_organisation_ids.choices = choices((o.id, o.name) for o in services.task_organisations(plan))
        self.event_ids.choices = choices((e.id, f"{e.title} ({to_local(e.starts_at):%d/%m/%Y})")
                                         for e in db.session.scalars(services.task_events(plan).limit(200)))
        return self

    def to_details(self) -> TaskDetails:
        return TaskDetails(title=self.title.data, lead_organisation_id=self.lead_organisation_id.data,
                           due_on=self.due_on.data, due_quarter=self.due_quarter.data,
                           status=self.status.data or TaskStatus.NOT_STARTED,
                           co_organisation_ids=list(self.co_organisation_ids.data or []),
                           outside_agencies=self.outside_agencies.data, event_ids=list(self.event_ids.data or []),
                           note=self.note.data)


class ManualIndicatorForm(BaseForm):
    label = StringField(_l("Tên chỉ tiêu"), filters=[strip],
                        validators=[DataRequired(REQUIRED), Length(max=MAX_LABEL_LENGTH)])
    unit = StringField(_l("Đơn vị tính"), filters=[strip], validators=[DataRequired(REQUIRED),
                                                                      Length(max=MAX_UNIT_LENGTH)])
    target_value = IntegerField(_l("Giá trị chỉ tiêu (nếu có)"),
                                validators=[Optional(), NumberRange(min=0, max=MAX_TARGET_VALUE)])

    def to_details(self) -> ManualIndicatorDetails:
        return ManualIndicatorDetails(self.label.data, self.unit.data, self.target_value.data)


class EntryForm(BaseForm):
    entry_on = LocalDateField(_l("Ngày (dd/mm/yyyy)"), validators=[InputRequired(REQUIRED)])
    value = IntegerField(_l("Giá trị"), validators=[InputRequired(REQUIRED), NumberRange(min=0, max=MAX_TARGET_VALUE)])
    evidence_url = StringField(_l("Đường dẫn minh chứng (http:// hoặc https://)"), filters=[strip],
                               validators=[Optional(), Length(max=MAX_URL_LENGTH)])
    note = StringField(_l("Ghi chú"), filters=[strip], validators=[Optional(), Length(max=MAX_ENTRY_NOTE_LENGTH)])

    def to_details(self) -> EntryDetails:
        return EntryDetails(self.entry_on.data, self.value.data, self.evidence_url.data, self.note.data)


class EntryUploadForm(EntryForm):
    """The page's entry form: the evidence may also be a file (the JSON API takes links only)."""

    evidence_file = FileField(_l("Hoặc tệp minh chứng (PDF, JPEG, PNG, tối đa 10 MB)"))

    def to_details(self) -> EntryDetails:
        upload = self.evidence_file.data
        data = upload.read() if upload and getattr(upload, "filename", "") else None
        return EntryDetails(self.entry_on.data, self.value.data, self.evidence_url.data, self.note.data, data)
