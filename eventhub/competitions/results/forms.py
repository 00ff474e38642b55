"""Forms of advancement and prizes."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ...forms import REQUIRED, BaseForm, choices, enum_select, strip
from .models import PrizeKind


class AdvanceForm(BaseForm):
    picks = SelectMultipleField(_l("Bài vào vòng sau (khi Ban tổ chức chọn)"), coerce=int, choices=[],
                                validate_choice=False, widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput())
    reason = TextAreaField(_l("Lý do"), filters=[strip], validators=[Optional(), Length(max=2000)])


class PrizeForm(BaseForm):
    entry_id = SelectField(_l("Bài dự thi"), coerce=int, choices=[], validate_choice=False,
                           validators=[InputRequired(REQUIRED)])
    kind = enum_select(PrizeKind, _l("Giải"))

    def bind(self, entries) -> "PrizeForm":
        self.entry_id.choices = choices((e.id, e.team_name) for e in entries)
        return self
