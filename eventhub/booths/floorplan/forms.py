"""Forms of the floor-plan editor; the API validates its JSON bodies with the same classes."""
from math import isfinite

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FloatField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from ...forms import REQUIRED, BaseForm, choices, enum_select, strip
from .models import BookingMode, BoothType
from .services import BoothSpec, PlanSettings, RowDirection, RowSpec, ZoneSpec


class MetreField(FloatField):
    """Metres, typed with a decimal point or the Vietnamese decimal comma (3,5)."""

    def process_formdata(self, valuelist):
        super().process_formdata([v.replace(",", ".") for v in valuelist] if valuelist else valuelist)
        if self.data is not None and not isfinite(self.data):
            self.data = None
            raise ValueError(_l("Vui lòng nhập một số."))


ZONE_COLOUR = "#e8f0fe"


def _or(value, default):
    """An optional number left empty (or absent from a JSON body) takes its default."""
    return default if value is None else value


def _metres(label, minimum=None):
    return MetreField(label, validators=[InputRequired(REQUIRED), NumberRange(min=minimum, max=1000)])


def _optional_zone():
    return SelectField(_l("Khu"), choices=[], coerce=lambda v: int(v) if v not in (None, "", "None") else None,
                       validate_choice=False, validators=[Optional()])


def zone_choices(zones) -> list:
    return choices([("", _l("Không thuộc khu nào"))] + [(z.id, z.name) for z in zones])


class PlanForm(BaseForm):
    hall_width_m = _metres(_l("Chiều rộng hội trường (m)"))
    hall_depth_m = _metres(_l("Chiều sâu hội trường (m)"))
    entrance_x_m = _metres(_l("Lối vào: cách mép trái (m)"), 0)
    entrance_y_m = _metres(_l("Lối vào: cách mép trên (m)"), 0)
    booking_mode = enum_select(BookingMode, _l("Cách xếp gian hàng"), default=BookingMode.ALLOCATION.value)
    self_booking_open = BooleanField(_l("Đang mở cho đơn vị tự chọn gian hàng"))
    hold_minutes = IntegerField(_l("Thời gian giữ chỗ khi tự chọn (phút)"), default=10,
                                validators=[Optional(), NumberRange(min=1, max=120)])
    setup_instructions_md = TextAreaField(_l("Hướng dẫn dựng gian hàng (Markdown)"), filters=[strip],
                                          validators=[Optional(), Length(max=10000)])

    def to_settings(self) -> PlanSettings:
        return PlanSettings(self.hall_width_m.data, self.hall_depth_m.data, self.entrance_x_m.data,
                            self.entrance_y_m.data, booking_mode=self.booking_mode.data,
                            self_booking_open=self.self_booking_open.data, hold_minutes=_or(self.hold_minutes.data, 10),
                            setup_instructions_md=self.setup_instructions_md.data or "")


class ZoneForm(BaseForm):
    name = StringField(_l("Tên khu"), filters=[strip], validators=[InputRequired(REQUIRED), Length(max=100)])
    booth_type = SelectField(_l("Loại gian hàng của khu"), choices=choices(
        [("", _l("Nhiều loại"))] + [(t.value, t.label) for t in BoothType]), validators=[Optional()])
    x_m = _metres(_l("Cách mép trái (m)"), 0)
    y_m = _metres(_l("Cách mép trên (m)"), 0)
    width_m = _metres(_l("Chiều rộng (m)"))
    depth_m = _metres(_l("Chiều sâu (m)"))
    colour = StringField(_l("Màu nền"), default=ZONE_COLOUR, filters=[strip], validators=[
        Optional(), Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Màu phải có dạng #RRGGBB."))])

    def to_spec(self) -> ZoneSpec:
        return ZoneSpec(self.name.data, self.x_m.data, self.y_m.data, self.width_m.data, self.depth_m.data,
                        BoothType(self.booth_type.data) if self.booth_type.data else None,
                        (self.colour.data or ZONE_COLOUR).lower())


class BoothForm(BaseForm):
    code = StringField(_l("Mã gian"), filters=[strip], validators=[InputRequired(REQUIRED), Length(max=20)])
    booth_type = enum_select(BoothType, _l("Loại gian hàng"))
    zone_id = _optional_zone()
    x_m = _metres(_l("Cách mép trái (m)"), 0)
    y_m = _metres(_l("Cách mép trên (m)"), 0)
    width_m = _metres(_l("Chiều rộng (m)"))
    depth_m = _metres(_l("Chiều sâu (m)"))
    price_vnd = IntegerField(_l("Giá (đồng)"), default=0,
                             validators=[Optional(), NumberRange(min=0, max=2_000_000_000)])
    premium = IntegerField(_l("Mức ưu tiên vị trí (0–3)"), default=0,
                           validators=[Optional(), NumberRange(min=0, max=3)])
    has_power = BooleanField(_l("Có điện"))
    has_water = BooleanField(_l("Có nước"))
    is_corner = BooleanField(_l("Gian góc"))
    note = StringField(_l("Ghi chú"), filters=[strip], validators=[Optional(), Length(max=300)])

    def to_spec(self) -> BoothSpec:
        return BoothSpec(code=self.code.data, booth_type=self.booth_type.data, x_m=self.x_m.data, y_m=self.y_m.data,
                         width_m=self.width_m.data, depth_m=self.depth_m.data, price_vnd=_or(self.price_vnd.data, 0),
                         zone_id=self.zone_id.data, has_power=self.has_power.data, has_water=self.has_water.data,
                         is_corner=self.is_corner.data, premium=_or(self.premium.data, 0), note=self.note.data)


class RowForm(BaseForm):
    prefix = StringField(_l("Tiền tố mã"), filters=[strip], validators=[InputRequired(REQUIRED), Length(max=10)])
    first_number = IntegerField(_l("Số bắt đầu"), default=1,
                                validators=[Optional(), NumberRange(min=0, max=9999)])
    digits = IntegerField(_l("Số chữ số"), default=2, validators=[Optional(), NumberRange(min=1, max=4)])
    count = IntegerField(_l("Số gian"), default=10, validators=[InputRequired(REQUIRED), NumberRange(min=1, max=100)])
    direction = SelectField(_l("Hướng"), choices=choices([(RowDirection.RIGHT, _l("Sang phải")),
                                                         (RowDirection.DOWN, _l("Xuống dưới"))]))
    x_m = _metres(_l("Gian đầu: cách mép trái (m)"), 0)
    y_m = _metres(_l("Gian đầu: cách mép trên (m)"), 0)
    width_m = _metres(_l("Chiều rộng mỗi gian (m)"))
    depth_m = _metres(_l("Chiều sâu mỗi gian (m)"))
    booth_type = enum_select(BoothType, _l("Loại gian hàng"))
    zone_id = _optional_zone()
    price_vnd = IntegerField(_l("Giá mỗi gian (đồng)"), default=0,
                             validators=[Optional(), NumberRange(min=0, max=2_000_000_000)])
    has_power = BooleanField(_l("Có điện"))
    has_water = BooleanField(_l("Có nước"))

    def to_spec(self) -> RowSpec:
        return RowSpec(x_m=self.x_m.data, y_m=self.y_m.data, direction=self.direction.data, count=self.count.data,
                       width_m=self.width_m.data, depth_m=self.depth_m.data, booth_type=self.booth_type.data,
                       prefix=self.prefix.data, first_number=_or(self.first_number.data, 1),
                       digits=_or(self.digits.data, 2), price_vnd=_or(self.price_vnd.data, 0),
                       zone_id=self.zone_id.data, has_power=self.has_power.data, has_water=self.has_water.data)


class PlaceForm(BaseForm):
    """The editor's drag and resize: a booth's new rectangle."""
    x_m = _metres(_l("Cách mép trái (m)"), 0)
    y_m = _metres(_l("Cách mép trên (m)"), 0)
    width_m = _metres(_l("Chiều rộng (m)"))
    depth_m = _metres(_l("Chiều sâu (m)"))


class BlockForm(BaseForm):
    reason = StringField(_l("Lý do"), filters=[strip], validators=[Optional(), Length(max=500)])
