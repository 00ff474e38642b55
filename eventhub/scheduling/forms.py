"""Agenda forms, for the organiser's pages, the editor's JSON calls and the API alike."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import REQUIRED, BaseForm, LocalDateTimeField, choices, enum_select, strip
from .models import Room, SessionType, Speaker, Track
from .services import SessionDetails


def _optional_id(value):
    """A select whose empty option means none."""
    if value in ("", None):
        return None
    return int(value)


class RoomForm(BaseForm):
    name = StringField(_l("Tên phòng"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=120)])
    capacity = IntegerField(_l("Sức chứa (người)"), validators=[InputRequired(REQUIRED), NumberRange(min=1)])
    position = IntegerField(_l("Thứ tự hiển thị"), default=0, validators=[Optional(), NumberRange(min=0, max=999)])


class TrackForm(BaseForm):
    name = StringField(_l("Tên chuỗi chương trình"), filters=[strip],
                       validators=[DataRequired(REQUIRED), Length(max=120)])
    colour = StringField(_l("Màu"), default="#2563eb", filters=[strip], validators=[DataRequired(REQUIRED)])


class SpeakerForm(BaseForm):
    name = StringField(_l("Họ tên"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=150)])
    title = StringField(_l("Chức danh"), filters=[strip], validators=[Optional(), Length(max=150)])
    organisation_name = StringField(_l("Đơn vị công tác"), filters=[strip], validators=[Optional(), Length(max=200)])
    email = StringField(_l("E-mail"), filters=[strip], validators=[Optional(), Length(max=254)])
    bio = TextAreaField(_l("Giới thiệu"), validators=[Optional(), Length(max=5000)])


class SlotFields(BaseForm):
    """Where and when: what the editor changes when a session is dragged."""

    starts_at = LocalDateTimeField(_l("Bắt đầu"), validators=[InputRequired(REQUIRED)])
    ends_at = LocalDateTimeField(_l("Kết thúc"), validators=[InputRequired(REQUIRED)])
    room_id = SelectField(_l("Phòng"), coerce=_optional_id, choices=[], validate_choice=True)
    confirm_warnings = BooleanField(_l("Vẫn lưu dù có cảnh báo (không áp dụng cho trùng lịch)"))

    def set_rooms(self, rooms: list[Room]) -> None:
        self.room_id.choices = choices([("", _l("— Chưa xếp phòng —"))] + [
            (r.id, f"{r.name} ({r.capacity})") for r in rooms])


class SessionForm(SlotFields):
    title = StringField(_l("Tên phiên"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)])
    session_type = enum_select(SessionType, _l("Hình thức"), validators=[InputRequired(REQUIRED)])
    track_id = SelectField(_l("Chuỗi chương trình"), coerce=_optional_id, choices=[], validate_choice=True)
    speaker_ids = SelectMultipleField(_l("Báo cáo viên, giảng viên"), coerce=int, choices=[], validate_choice=True,
                                      widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    capacity = IntegerField(_l("Số chỗ (để trống: theo sức chứa phòng)"), validators=[Optional(), NumberRange(min=1)])
    signup_required = BooleanField(_l("Người tham dự phải đăng ký trước (giới hạn chỗ)"))
    description_md = TextAreaField(_l("Mô tả (Markdown)"), validators=[Optional(), Length(max=20_000)])

    NULLABLE_FIELDS = ("room_id", "track_id", "capacity", "description_md")

    def set_choices(self, rooms: list[Room], tracks: list[Track], speakers: list[Speaker]) -> None:
        self.set_rooms(rooms)
        self.track_id.choices = choices([("", _l("— Không thuộc chuỗi nào —"))] + [(t.id, t.name) for t in tracks])
        self.speaker_ids.choices = choices((s.id, s.name) for s in speakers)

    def to_details(self) -> SessionDetails:
        return SessionDetails(
            title=self.title.data, session_type=self.session_type.data, starts_at=self.starts_at.data,
            ends_at=self.ends_at.data, room_id=self.room_id.data, track_id=self.track_id.data,
            speaker_ids=list(self.speaker_ids.data or []), capacity=self.capacity.data,
            signup_required=bool(self.signup_required.data), description_md=self.description_md.data or "")


class CancelSessionForm(BaseForm):
    reason = TextAreaField(_l("Lý do huỷ (gửi tới người đã đăng ký)"), filters=[strip],
                           validators=[Optional(), Length(max=2000)])
