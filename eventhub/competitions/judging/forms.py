"""Forms of rounds and their rubric, of judges and their conflicts, and of a judge's scores."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FloatField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ...forms import REQUIRED, BaseForm, choices, enum_select, strip
from .models import AdvancementRule
from .services import MAX_JUDGES_PER_ENTRY, MAX_SCALE, CriterionDetails, JudgeDetails, RoundDetails


def _checkboxes(label) -> SelectMultipleField:
    return SelectMultipleField(label, coerce=int, choices=[], validate_choice=False,
                               widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


def parse_criteria(text: str | None) -> list[CriterionDetails]:
    """"Tính đổi mới: 30" per line: a criterion and its weight."""
    criteria = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, _, weight = line.rpartition(":")
        if not name.strip() or not weight.strip().isdigit():
            raise ValidationError(_l("Mỗi dòng một tiêu chí dạng \"Tên tiêu chí: trọng số\", "
                                     "ví dụ \"Tính đổi mới: 30\"."))
        criteria.append(CriterionDetails(name.strip()[:200], int(weight)))
    return criteria


class RoundForm(BaseForm):
    name = StringField(_l("Tên vòng"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=150)])
    criteria = TextAreaField(_l("Tiêu chí chấm (mỗi dòng \"Tên: trọng số\")"), validators=[DataRequired(REQUIRED),
                                                                                      Length(max=4000)],
                             description="One criterion a line: \"Name: weight\"")
    scale_max = IntegerField(_l("Thang điểm mỗi tiêu chí (0 đến …)"), default=10,
                             validators=[InputRequired(REQUIRED), NumberRange(min=1, max=MAX_SCALE)])
    judges_per_entry = IntegerField(_l("Số giám khảo chấm mỗi bài"), default=3, validators=[
        InputRequired(REQUIRED), NumberRange(min=1, max=MAX_JUDGES_PER_ENTRY)])
    require_comment = BooleanField(_l("Bắt buộc nhận xét"))
    rule = enum_select(AdvancementRule, _l("Cách chọn bài vào vòng sau"), default=AdvancementRule.TOP_N.value)
    advance_count = IntegerField(_l("Số bài vào vòng sau (N)"), validators=[Optional(), NumberRange(min=1, max=10000)])
    threshold = FloatField(_l("Ngưỡng điểm"), validators=[Optional(), NumberRange(min=0, max=MAX_SCALE)])
    judge_ids = _checkboxes(_l("Giám khảo của vòng"))

    def validate_criteria(self, field):
        parse_criteria(field.data)

    def bind(self, judges) -> "RoundForm":
        self.judge_ids.choices = choices((j.id, j.user.full_name) for j in judges)
        return self

    def to_details(self) -> RoundDetails:
        return RoundDetails(name=self.name.data, criteria=parse_criteria(self.criteria.data),
                            judges_per_entry=self.judges_per_entry.data, scale_max=self.scale_max.data,
                            require_comment=bool(self.require_comment.data), rule=self.rule.data,
                            advance_count=self.advance_count.data, threshold=self.threshold.data,
                            judge_ids=list(self.judge_ids.data or []))


class JudgeForm(BaseForm):
    email = StringField(_l("E-mail"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=254)])
    full_name = StringField(_l("Họ tên (khi chưa có tài khoản)"), filters=[strip],
                            validators=[Optional(), Length(max=150)])
    is_chair = BooleanField(_l("Chủ tịch hội đồng giám khảo"))
    field_ids = _checkboxes(_l("Lĩnh vực chấm"))

    def bind(self, competition) -> "JudgeForm":
        self.field_ids.choices = choices((f.id, f.name) for f in competition.fields)
        return self

    def to_details(self) -> JudgeDetails:
        return JudgeDetails(email=self.email.data, full_name=self.full_name.data or "",
                            is_chair=bool(self.is_chair.data), field_ids=list(self.field_ids.data or []))


class ConflictForm(BaseForm):
    entry_id = SelectField(_l("Bài dự thi"), coerce=int, choices=[], validate_choice=False,
                           validators=[InputRequired(REQUIRED)])
    reason = StringField(_l("Lý do (quan hệ với đội thi)"), filters=[strip], validators=[Optional(), Length(max=300)])

    def bind(self, entries) -> "ConflictForm":
        self.entry_id.choices = choices((e.id, e.team_name) for e in entries)
        return self
