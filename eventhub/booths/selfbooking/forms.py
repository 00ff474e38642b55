"""The exhibitor's pick of free booths on the map; the API validates its JSON body with the same form."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, ValidationError

from ...forms import BaseForm, choices
from ...params import is_db_id
from ..applications.forms import MultiCheckboxField
from ..applications.models import BoothApplication
from ..floorplan import services as floorplan
from ..floorplan.models import FloorPlan
from . import services


def _database_ids(form, field) -> None:
    if not all(is_db_id(booth_id) for booth_id in field.data or []):
        raise ValidationError(_l("Danh sách mã gian hàng không hợp lệ."))


class PickForm(BaseForm):
    booth_ids = MultiCheckboxField(_l("Gian hàng còn trống"), coerce=int, choices=[],
                                   validators=[DataRequired(_l("Vui lòng chọn gian hàng.")), _database_ids],
                                   description="As many adjacent booths as requested")

    def bind(self, plan: FloorPlan | None = None, application: BoothApplication | None = None) -> "PickForm":
        """The page offers the booths free now and refuses the others. A JSON pick (no plan) may race other
        exhibitors, so `selfbooking.hold` alone says which booth was just taken (409 booth_taken)."""
        if plan is None:
            self.booth_ids.validate_choice = False
            return self
        free = services.free_booth_ids(plan, application)
        self.booth_ids.choices = choices((b.id, f"{b.code} · {b.booth_type.label}")
                                         for b in floorplan.booths(plan.id) if b.id in free)
        return self
