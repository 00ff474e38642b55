"""Forms of a competition's set-up and of a team's entry; the pages and the API validate with them."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...forms import REQUIRED, BaseForm, LocalDateTimeField, choices, enum_select, optional_id, strip
from .models import Competition, MemberGender
from .services import MAX_TEAM_SIZE, CompetitionDetails, EntryDetails, MemberDetails


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CompetitionForm(BaseForm):
    entry_deadline = LocalDateTimeField(_l("Hạn chót nhận bài (dd/mm/yyyy HH:MM)"),
                                        validators=[InputRequired(REQUIRED)])
    field_names = TextAreaField(_l("Lĩnh vực dự thi (mỗi dòng một lĩnh vực)"), validators=[DataRequired(REQUIRED),
                                                                                     Length(max=2000)])
    questions = TextAreaField(_l("Câu hỏi thêm cho đội thi (mỗi dòng một câu)"),
                              validators=[Optional(), Length(max=4000)])
    max_team_size = IntegerField(_l("Số thành viên tối đa mỗi đội"), default=MAX_TEAM_SIZE,
                                 validators=[InputRequired(REQUIRED), NumberRange(min=1, max=MAX_TEAM_SIZE)])
    rules_md = TextAreaField(_l("Thể lệ"), validators=[Optional(), Length(max=20000)])

    def to_details(self) -> CompetitionDetails:
        return CompetitionDetails(entry_deadline=self.entry_deadline.data, fields=_lines(self.field_names.data),
                                  questions=_lines(self.questions.data), max_team_size=self.max_team_size.data,
                                  rules_md=self.rules_md.data or "")


class MemberForm(BaseForm):
    """One member of a team; the entry page shows one per place in the team, the API takes a list."""

    class Meta:
        csrf = False

    full_name = StringField(_l("Họ tên"), filters=[strip], validators=[Optional(), Length(max=150)])
    phone = StringField(_l("Số điện thoại"), filters=[strip], validators=[Optional(), Length(max=20)])
    email = StringField(_l("E-mail (không bắt buộc)"), filters=[strip], validators=[Optional(), Length(max=254)])
    group_code = SelectField(_l("Đối tượng"), choices=[], validate_choice=False)
    gender = enum_select(MemberGender, _l("Giới tính"), default=MemberGender.FEMALE.value)
    consent = BooleanField(_l("Đồng ý cho Ban tổ chức xử lý dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP)"))

    def is_empty(self) -> bool:
        return not (self.full_name.data or self.phone.data)

    def to_details(self) -> MemberDetails:
        return MemberDetails(full_name=self.full_name.data or "", phone=self.phone.data or "",
                             email=self.email.data or None, group_code=self.group_code.data or None,
                             gender=self.gender.data, consent=bool(self.consent.data))


class EntryForm(BaseForm):
    team_name = StringField(_l("Tên đội / dự án"), filters=[strip], validators=[DataRequired(REQUIRED),
                                                                               Length(max=200)])
    field_id = SelectField(_l("Lĩnh vực"), coerce=optional_id, choices=[], validate_choice=False)
    summary = TextAreaField(_l("Tóm tắt dự án"), validators=[Optional(), Length(max=5000)])
    project_code = StringField(_l("Mã dự án (nếu đã dự thi trước đây)"), filters=[strip],
                               validators=[Optional(), Length(max=16)])
    submit_entry = BooleanField(_l("Nộp bài (vẫn sửa được đến hạn chót)"))

    def bind(self, competition: Competition) -> "EntryForm":
        self.field_id.choices = choices([("", _l("Chọn lĩnh vực"))] + [(f.id, f.name) for f in competition.fields])
        return self

    def to_details(self, members: list[MemberDetails], answers: dict[int, str]) -> EntryDetails:
        return EntryDetails(team_name=self.team_name.data, members=members, field_id=self.field_id.data,
                            summary=self.summary.data or "", project_code=self.project_code.data or None,
                            answers=answers, submit=bool(self.submit_entry.data))


class DisqualifyForm(BaseForm):
    reason = TextAreaField(_l("Lý do loại bài"), filters=[strip], validators=[DataRequired(REQUIRED),
                                                                            Length(max=2000)])


class EntryFileForm(BaseForm):
    file = FileField(_l("Tệp (PDF, JPEG, PNG, tối đa 10 MB)"))
