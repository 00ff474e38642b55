"""Agenda forms, for the organiser's pages, the editor's JSON calls and the API alike."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ..events.models import Event
from ..forms import REQUIRED, BaseForm, LocalDateTimeField, choices, enum_select, optional_id, strip
from . import services
from .models import SessionType
from .services import (
    COLOUR_MESSAGE,
    HEX_COLOUR,
    MAX_CAPACITY,
    MIN_CAPACITY,
    RoomDetails,
    SessionDetails,
    SpeakerDetails,
    TrackDetails,
)


class RoomForm(BaseForm):
    name = StringField(_l("Tên phòng"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=120)])
    capacity = IntegerField(_l("Sức chứa (người)"), validators=[
        InputRequired(REQUIRED), NumberRange(min=MIN_CAPACITY, max=MAX_CAPACITY)])
    position = IntegerField(_l("Thứ tự hiển thị"), default=0, validators=[Optional(), NumberRange(min=0, max=999)])

    def to_details(self) -> RoomDetails:
        return RoomDetails(name=self.name.data, capacity=self.capacity.data, position=self.position.data or 0)


class TrackForm(BaseForm):
    name = StringField(_l("Tên chuỗi chương trình"), filters=[strip],
                       validators=[DataRequired(REQUIRED), Length(max=120)])
    colour = StringField(_l("Màu"), default="#2563eb", filters=[strip],
                         validators=[DataRequired(REQUIRED), Regexp(HEX_COLOUR, message=COLOUR_MESSAGE)])

    def to_details(self) -> TrackDetails:
        return TrackDetails(name=self.name.data, colour=self.colour.data)


class SpeakerForm(BaseForm):
    name = StringField(_l("Họ tên"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=150)])
    title = StringField(_l("Chức danh"), filters=[strip], validators=[Optional(), Length(max=150)])
    organisation_name = StringField(_l("Đơn vị công tác"), filters=[strip], validators=[Optional(), Length(max=200)])
    email = StringField(_l("E-mail"), filters=[strip], validators=[Optional(), Length(max=254)])
    bio = TextAreaField(_l("Giới thiệu"), validators=[Optional(), Length(max=5000)])

    def to_details(self) -> SpeakerDetails:
        return SpeakerDetails(name=self.name.data, title=self.title.data,
                              organisation_name=self.organisation_name.data, email=self.email.data, bio=self.bio.data)


class SlotFields(BaseForm):
    """Where and when: what the editor changes when a session is dragged."""

    starts_at = LocalDateTimeField(_l("Bắt đầu"), validators=[InputRequired(REQUIRED)])
    ends_at = LocalDateTimeField(_l("Kết thúc"), validators=[InputRequired(REQUIRED)])
    room_id = SelectField(_l("Phòng"), coerce=optional_id, choices=[], validate_choice=True)
    confirm_warnings = BooleanField(_l("Vẫn lưu dù có cảnh báo (không áp dụng cho trùng lịch)"),
                                    description="Save despite warnings (never despite conflicts)")

    def bind(self, event: Event) -> "SlotFields":
        self.room_id.choices = choices([("", _l("— Chưa xếp phòng —"))] + [
            (r.id, f"{r.name} ({r.capacity})") for r in services.rooms(event.id)])
        return self

    def moved(self, details: SessionDetails) -> SessionDetails:
        """A saved session's details at the slot the editor dropped it on."""
        return details.moved(starts_at=self.starts_at.data, ends_at=self.ends_at.data, room_id=self.room_id.data)


class SessionForm(SlotFields):
    title = StringField(_l("Tên phiên"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)])
    session_type = enum_select(SessionType, _l("Hình thức"), validators=[InputRequired(REQUIRED)])
    track_id = SelectField(_l("Chuỗi chương trình"), coerce=optional_id, choices=[], validate_choice=True)
    speaker_ids = SelectMultipleField(_l("Báo cáo viên, giảng viên"), coerce=int, choices=[], validate_choice=True,
                                      widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    capacity = IntegerField(_l("Số chỗ (để trống: theo sức chứa phòng)"),
                            validators=[Optional(), NumberRange(min=MIN_CAPACITY, max=MAX_CAPACITY)],
                            description="Empty: the room's capacity (or no limit without a room)")
    signup_required = BooleanField(_l("Người tham dự phải đăng ký trước (giới hạn chỗ)"))
    description_md = TextAreaField(_l("Mô tả (Markdown)"), validators=[Optional(), Length(max=20_000)])

    NULLABLE_FIELDS = ("room_id", "track_id", "capacity", "description_md")

    def bind(self, event: Event) -> "SessionForm":
        super().bind(event)
        self.track_id.choices = choices([("", _l("— Không thuộc chuỗi nào —"))] + [
            (t.id, t.name) for t in services.tracks(event.id)])
        self.speaker_ids.choices = choices((s.id, s.name) for s in services.speakers(event.organisation_id))
        return self

    def to_details(self) -> SessionDetails:
        return SessionDetails(
            title=self.title.data, session_type=self.session_type.data, starts_at=self.starts_at.data,
            ends_at=self.ends_at.data, room_id=self.room_id.data, track_id=self.track_id.data,
            speaker_ids=list(self.speaker_ids.data or []), capacity=self.capacity.data,
            signup_required=bool(self.signup_required.data), description_md=self.description_md.data or "")


class CancelSessionForm(BaseForm):
    reason = TextAreaField(_l("Lý do huỷ (gửi tới người đã đăng ký)"), filters=[strip],
                           validators=[Optional(), Length(max=2000)])
