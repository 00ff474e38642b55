"""Forms of reporting rounds: the pages and the API validate with them."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...forms import REQUIRED, BaseForm, LocalDateField, choices, enum_select, optional_id, strip
from ..plan_tasks.services import MAX_URL_LENGTH
from ..plans import MAX_PLAN_YEAR, MAX_TARGET_VALUE, MIN_PLAN_YEAR
from .models import RoundPeriod
from .services import MAX_COMMENT_LENGTH, MAX_NOTE_LENGTH, RoundDetails, SubmissionDetails, ValueDetails


class ReportingRoundForm(BaseForm):
    """Open a round: which organisation asks its children, for which period, by when."""

    organisation_id = SelectField(_l("Đơn vị mở đợt báo cáo"), coerce=optional_id, choices=[],
                                  validate_choice=False, validators=[InputRequired(REQUIRED)],
                                  description="An organisation you manage; its direct child organisations answer")
    period = enum_select(RoundPeriod, _l("Kỳ báo cáo"), default=RoundPeriod.FIRST_HALF.value,
                         validators=[InputRequired(REQUIRED)])
    year = IntegerField(_l("Năm"), validators=[Optional(), NumberRange(min=MIN_PLAN_YEAR, max=MAX_PLAN_YEAR)],
                        description="Default: this year (not used for a custom period)")
    starts_on = LocalDateField(_l("Từ ngày (dd/mm/yyyy, kỳ tuỳ chọn)"), validators=[Optional()])
    ends_on = LocalDateField(_l("Đến ngày (dd/mm/yyyy, kỳ tuỳ chọn)"), validators=[Optional()])
    deadline = LocalDateField(_l("Hạn nộp (dd/mm/yyyy)"), validators=[InputRequired(REQUIRED)],
                              description="The last local day a child organisation may submit on")
    note = TextAreaField(_l("Ghi chú gửi các đơn vị"), filters=[strip],
                         validators=[Optional(), Length(max=MAX_NOTE_LENGTH)])

    def bind(self, organisations=()) -> "ReportingRoundForm":
        self.organisation_id.choices = choices((o.id, o.name) for o in organisations)
        return self

    def to_details(self) -> RoundDetails:
        return RoundDetails(organisation_id=self.organisation_id.data, period=self.period.data,
                            deadline=self.deadline.data, year=self.year.data, starts_on=self.starts_on.data,
                            ends_on=self.ends_on.data, note=self.note.data)


class SubmissionForm(BaseForm):
    """The child's comment on its submission (its figures are computed, never typed)."""

    comment = TextAreaField(_l("Ý kiến, giải trình của đơn vị"), filters=[strip],
                            validators=[Optional(), Length(max=MAX_COMMENT_LENGTH)])

    def to_details(self) -> SubmissionDetails:
        return SubmissionDetails(self.comment.data)


class ValueForm(BaseForm):
    """The child's figure of one manual indicator with its evidence link (the page may add a file)."""

    value = IntegerField(_l("Giá trị"), validators=[InputRequired(REQUIRED), NumberRange(min=0, max=MAX_TARGET_VALUE)])
    evidence_url = StringField(_l("Đường dẫn minh chứng (http:// hoặc https://)"), filters=[strip],
                               validators=[Optional(), Length(max=MAX_URL_LENGTH)],
                               description="Needed for a value above zero unless a file was uploaded on the page")

    def to_details(self) -> ValueDetails:
        return ValueDetails(self.value.data, self.evidence_url.data)


class ValueUploadForm(ValueForm):
    evidence_file = FileField(_l("Hoặc tệp minh chứng (PDF, JPEG, PNG, tối đa 10 MB)"))

    def to_details(self) -> ValueDetails:
        upload = self.evidence_file.data
        data = upload.read() if upload and getattr(upload, "filename", "") else None
        return ValueDetails(self.value.data, self.evidence_url.data, data)


class ReturnForm(BaseForm):
    comment = TextAreaField(_l("Lý do trả lại"), filters=[strip],
                            validators=[InputRequired(REQUIRED), Length(max=MAX_COMMENT_LENGTH)])
