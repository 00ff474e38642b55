"""The exhibitor's pick of free booths on the map."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired

from ...forms import BaseForm
from ..applications.forms import MultiCheckboxField


class PickForm(BaseForm):
    booth_ids = MultiCheckboxField(_l("Gian hàng còn trống"), coerce=int, choices=[],
                                   validators=[DataRequired(_l("Vui lòng chọn gian hàng."))])
