"""Forms of the allocation page; the API validates its JSON with the same classes."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FloatField, HiddenField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...forms import REQUIRED, BaseForm, enum_select
from .services import MAX_TIME_LIMIT, MAX_WEIGHT, MIN_TIME_LIMIT, PriorityBasis
from .solver import Rules

DEFAULTS = Rules()


def _weight(label, default, description):
    return FloatField(label, default=default, description=description,
                      validators=[InputRequired(REQUIRED), NumberRange(min=0, max=MAX_WEIGHT)])


class RulesForm(BaseForm):
    priority_basis = enum_select(PriorityBasis, _l("Xếp hạng ưu tiên theo"), default=PriorityBasis.STARS,
                                 validators=[InputRequired(REQUIRED)])
    zone_weight = _weight(_l("Khu vực mong muốn"), DEFAULTS.zone_weight,
                          _l("Điểm cộng cho mỗi gian nằm trong khu vực đơn vị đã chọn."))
    priority_weight = _weight(_l("Mức ưu tiên × vị trí đẹp"), DEFAULTS.priority_weight,
                              _l("Đơn vị ưu tiên cao (sản phẩm OCOP nhiều sao, ưu tiên thủ công của ban tổ chức, "
                                 "nộp hồ sơ sớm) được gian gần cửa vào và gian cao cấp."))
    near_weight = _weight(_l("Đứng gần đơn vị mong muốn"), DEFAULTS.near_weight,
                          _l("Điểm cộng khi hai đơn vị muốn đứng gần nhau được xếp cùng một dãy."))
    competitor_weight = _weight(_l("Tách đối thủ cùng nhóm sản phẩm"), DEFAULTS.competitor_weight,
                                _l("Điểm trừ khi hai đơn vị cùng nhóm sản phẩm đứng sát nhau, hoặc hai đơn vị "
                                   "muốn tránh nhau cùng một dãy."))
    time_limit_seconds = FloatField(_l("Thời gian giải tối đa (giây)"), default=DEFAULTS.time_limit_seconds,
                                    validators=[InputRequired(REQUIRED),
                                                NumberRange(min=MIN_TIME_LIMIT, max=MAX_TIME_LIMIT)])

    def to_details(self) -> Rules:
        return Rules(**{name: float(self[name].data) for name in Rules.__dataclass_fields__})


class RunPageForm(RulesForm):
    """The page's run: the rules, whether placements the exhibitors were told may move, and which preview the
    organiser accepted."""

    move_told = BooleanField(_l("Cho phép chuyển cả những đơn vị đã được báo gian (các đơn vị này sẽ nhận thông báo "
                                "gian mới)"), description="Also move placements the exhibitors were told (notified)")
    digest = HiddenField(validators=[Optional(), Length(max=64)],
                         description="The preview's digest: the run is refused if its moves differ")


class DropForm(BaseForm):
    """An exhibitor dropped on the map; the booth ids come beside it as a JSON list."""
    application_id = IntegerField(_l("Đơn vị"), validators=[InputRequired(REQUIRED)])


class MoveForm(DropForm):
    """The page's move: booth codes typed by the organiser."""
    booth_codes = StringField(_l("Mã gian (cách nhau bởi dấu phẩy)"),
                              validators=[InputRequired(REQUIRED), Length(max=200)])


class SwapForm(BaseForm):
    application_id = IntegerField(_l("Đơn vị thứ nhất"), validators=[InputRequired(REQUIRED)])
    other_application_id = IntegerField(_l("Đơn vị thứ hai"), validators=[InputRequired(REQUIRED)])
