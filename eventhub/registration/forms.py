"""The registration form: fixed fields plus the organiser's questions, built per event."""
import secrets

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import REQUIRED, BaseForm, UpToThisYear, choices, enum_select, optional_id, strip
from .delegations import MAX_QUOTA as DELEGATION_MAX_QUOTA
from .delegations import DelegationDetails
from .groups import GroupDetails, group_choices
from .models import ConsentMethod, Gender, Question, QuestionKind, RegistrationCategory, RegistrationMode
from .provenance import Provenance
from .services import MIN_BIRTH_YEAR, Registrant
from .setup import MAX_POSITION, MAX_QUOTA, CategoryDetails, QuestionDetails


class RegistrantFields(BaseForm):
    """Who registers: what an organiser fills in for someone; the public page adds the consent."""

    category_id = RadioField(_l("Bạn là"), coerce=int, choices=[], validators=[InputRequired(REQUIRED)])
    full_name = StringField(_l("Họ và tên"), filters=[strip], validators=[InputRequired(REQUIRED), Length(max=150)])
    phone = StringField(_l("Số điện thoại"), filters=[strip], validators=[Optional(), Length(max=20)],
                        description="10 digits from 0, or +84 and 9 digits")
    email = EmailField(_l("E-mail (để nhận vé)"), filters=[strip], validators=[Optional(), Length(max=254)])
    gender = SelectField(_l("Giới tính"), validators=[Optional()],
                         choices=choices([("", _l("— Chọn —"))] + [(g.value, g.label) for g in Gender]))
    birth_year = IntegerField(_l("Năm sinh"), validators=[Optional(), UpToThisYear(MIN_BIRTH_YEAR)])
    organisation_name = StringField(_l("Trường, đơn vị hoặc doanh nghiệp"), filters=[strip],
                                    validators=[Optional(), Length(max=200)])
    province = StringField(_l("Tỉnh/thành phố"), filters=[strip], validators=[Optional(), Length(max=100)])
    sub_unit = StringField(_l("Xã/phường"), filters=[strip], validators=[Optional(), Length(max=150)])
    submission_key = HiddenField(
        default=lambda: secrets.token_urlsafe(16), filters=[strip],
        validators=[Optional(), Length(max=64), Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Mã lần gửi không hợp lệ."))],
        description="A random key made once per submission: sent again with the same contact (a retry after a "
                    "lost answer), it returns the registration that submission made instead of a duplicate error")

    def bind(self, category_list: list[RegistrationCategory]) -> "RegistrantFields":
        self.category_id.choices = choices((c.id, c.name) for c in category_list)
        return self

    def to_registrant(self, question_list: list[Question], consent_version: str | None = None) -> Registrant:
        return Registrant(
            full_name=self.full_name.data or "", category_id=self.category_id.data, email=self.email.data or None,
            phone=self.phone.data or None,
            gender=Gender(self.gender.data) if self.gender.data in {g.value for g in Gender} else None,
            birth_year=self.birth_year.data, organisation_name=self.organisation_name.data,
            province=self.province.data, sub_unit=self.sub_unit.data,
            answers={q.id: self[f"q_{q.id}"].data for q in question_list}, consent_version=consent_version,
            submission_key=self.submission_key.data or None,
        )


class RegistrationForm(RegistrantFields):
    """The public page: the person accepts the consent text shown beside the form."""

    consent = BooleanField(_l("Tôi đã đọc và đồng ý với điều khoản xử lý dữ liệu cá nhân"))

    def to_registrant(self, question_list: list[Question], consent_version: str | None = None) -> Registrant:
        return super().to_registrant(question_list, consent_version if self.consent.data else None)


def _question_field(question: Question) -> Field:
    """Fields stay permissive; the service checks every answer, for the page and the API alike."""
    label = question.label
    if question.kind == QuestionKind.LONG_TEXT:
        return TextAreaField(label, filters=[strip])
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return RadioField(label, choices=choices((o, o) for o in question.options), validate_choice=False)
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return SelectMultipleField(label, choices=choices((o, o) for o in question.options), validate_choice=False,
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    if question.kind == QuestionKind.YES_NO:
        return RadioField(label, choices=choices([("yes", _l("Có")), ("no", _l("Không"))]), validate_choice=False)
    return StringField(label, filters=[strip])


def registration_form_class(question_list: list[Question],
                            base: type[RegistrantFields] = RegistrationForm) -> type[RegistrantFields]:
    """The form of one event: `base` plus a q_<id> field per question; bind it to the categories on offer."""
    attributes = {f"q_{q.id}": _question_field(q) for q in question_list}
    return type(f"Event{base.__name__}", (base,), attributes)


class ResendForm(BaseForm):
    contact = StringField(_l("Số điện thoại hoặc e-mail đã dùng khi đăng ký"), filters=[strip],
                          validators=[InputRequired(REQUIRED), Length(max=254)])


class SettingsForm(BaseForm):
    mode = enum_select(RegistrationMode, _l("Cách xác nhận"))


class CategoryForm(BaseForm):
    name = StringField(_l("Tên đối tượng"), filters=[strip], validators=[InputRequired(REQUIRED), Length(max=120)])
    participant_group = SelectField(_l("Nhóm báo cáo"), validators=[InputRequired(REQUIRED)])
    quota = IntegerField(_l("Chỉ tiêu (để trống nếu không giới hạn)"),
                         validators=[Optional(), NumberRange(min=0, max=MAX_QUOTA)])
    position = IntegerField(_l("Thứ tự"), default=0, validators=[Optional(), NumberRange(min=0, max=MAX_POSITION)])
    is_active = BooleanField(_l("Đang nhận đăng ký"), default=True)
    organisation_id = SelectField(_l("Đơn vị phối hợp vận động"), coerce=optional_id, choices=[],
                                  validate_choice=True, validators=[Optional()],
                                  description="An accepted co-organiser whose organisers see this category's people")

    def bind(self, current_group: str | None = None, co_organisers=()) -> "CategoryForm":
        """The groups offered, and the category's own if it was retired since; the accepted co-organisers."""
        self.participant_group.choices = choices(group_choices(current_group))
        self.organisation_id.choices = choices([("", "—")] + [(o.id, o.name) for o in co_organisers])
        return self

    def to_details(self) -> CategoryDetails:
        return CategoryDetails(name=self.name.data, participant_group=self.participant_group.data,
                               quota=self.quota.data, position=self.position.data or 0,
                               is_active=self.is_active.data, organisation_id=self.organisation_id.data)


class QuestionForm(BaseForm):
    label = StringField(_l("Câu hỏi"), filters=[strip], validators=[InputRequired(REQUIRED), Length(max=300)])
    kind = enum_select(QuestionKind, _l("Kiểu trả lời"))
    options = TextAreaField(_l("Các phương án (mỗi dòng một phương án)"), validators=[Optional(), Length(max=5000)])
    required = BooleanField(_l("Bắt buộc trả lời"))
    position = IntegerField(_l("Thứ tự"), default=0, validators=[Optional(), NumberRange(min=0, max=MAX_POSITION)])

    def to_details(self) -> QuestionDetails:
        return QuestionDetails(label=self.label.data, kind=self.kind.data,
                               options=(self.options.data or "").splitlines(), required=self.required.data,
                               position=self.position.data or 0)


class RejectForm(BaseForm):
    reason = TextAreaField(_l("Lý do (gửi cho người đăng ký)"), validators=[InputRequired(REQUIRED),
                                                                          Length(max=2000)])


class GroupForm(BaseForm):
    """A participant group as the platform admin edits it; the code is only given when it is added."""
    name_vi = StringField(_l("Tên tiếng Việt"), filters=[strip], validators=[InputRequired(REQUIRED), Length(max=120)])
    name_en = StringField(_l("Tên tiếng Anh"), filters=[strip], validators=[InputRequired(REQUIRED), Length(max=120)])
    position = IntegerField(_l("Thứ tự"), default=0, validators=[Optional(), NumberRange(min=0, max=MAX_POSITION)])
    is_active = BooleanField(_l("Đang sử dụng"), default=True)

    def to_details(self) -> GroupDetails:
        return GroupDetails(name_vi=self.name_vi.data, name_en=self.name_en.data, position=self.position.data or 0,
                            is_active=self.is_active.data)


class NewGroupForm(GroupForm):
    code = StringField(_l("Mã (không đổi được sau khi tạo)"), filters=[strip],
                       validators=[InputRequired(REQUIRED), Length(max=32)])


class ManualRegistrationForm(RegistrantFields):
    """An organiser types someone in: how that person's consent was obtained is recorded with them."""

    consent_method = SelectField(_l("Sự đồng ý xử lý dữ liệu cá nhân được ghi nhận"), default="staff",
                                 choices=choices([
                                     (ConsentMethod.STAFF.value, _l("Người này đồng ý trực tiếp với cán bộ")),
                                     (ConsentMethod.PAPER.value, _l("Người này đã ký phiếu giấy"))]),
                                 validators=[Optional()])  # not sent: the staff member answers for it

    def provenance(self, recorded_by_id: int) -> Provenance:
        return Provenance(ConsentMethod(self.consent_method.data or ConsentMethod.STAFF.value),
                          recorded_by_id=recorded_by_id)


class DelegationForm(BaseForm):
    """A delegation as the lead or a co-organiser creates it."""

    name = StringField(_l("Tên đoàn (trường, HTX, xã, chi hội…)"), filters=[strip],
                       validators=[InputRequired(REQUIRED), Length(max=200)])
    organisation_id = SelectField(_l("Đơn vị vận động"), coerce=int, choices=[], validators=[InputRequired(REQUIRED)])
    category_id = SelectField(_l("Đối tượng tham dự"), coerce=int, choices=[], validators=[InputRequired(REQUIRED)])
    quota = IntegerField(_l("Chỉ tiêu của đoàn (người)"), validators=[InputRequired(REQUIRED),
                                                                       NumberRange(min=1, max=DELEGATION_MAX_QUOTA)])
    leader_name = StringField(_l("Trưởng đoàn"), filters=[strip], validators=[InputRequired(REQUIRED), Length(max=150)])
    leader_phone = StringField(_l("Điện thoại trưởng đoàn"), filters=[strip], validators=[Optional(), Length(max=20)])

    def bind(self, organisations, category_list) -> "DelegationForm":
        self.organisation_id.choices = choices((o.id, o.name) for o in organisations)
        self.category_id.choices = choices((c.id, c.name) for c in category_list)
        return self

    def to_details(self) -> DelegationDetails:
        return DelegationDetails(name=self.name.data, organisation_id=self.organisation_id.data, quota=self.quota.data,
                                 category_id=self.category_id.data, leader_name=self.leader_name.data,
                                 leader_phone=self.leader_phone.data or None)


class DelegationPersonForm(BaseForm):
    """One row the leader types in; the import's checks judge it."""

    class Meta:
        csrf = False

    full_name = StringField(_l("Họ và tên"), filters=[strip], validators=[Optional(), Length(max=150)])
    phone = StringField(_l("Điện thoại"), filters=[strip], validators=[Optional(), Length(max=20)])
    email = StringField(_l("E-mail"), filters=[strip], validators=[Optional(), Length(max=254)])
    gender = StringField(_l("Giới tính"), filters=[strip], validators=[Optional(), Length(max=10)])
    birth_year = StringField(_l("Năm sinh"), filters=[strip], validators=[Optional(), Length(max=4)])
    organisation_name = StringField(_l("Đơn vị"), filters=[strip], validators=[Optional(), Length(max=200)])


class DelegationRowsForm(BaseForm):
    rows = FieldList(FormField(DelegationPersonForm), min_entries=10, max_entries=DELEGATION_MAX_QUOTA)

    def to_rows(self) -> list[dict]:
        return [entry.form.data for entry in self.rows]

