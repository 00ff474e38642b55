"""Forms of the exhibitor portal and of the organiser's review of booth applications."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ...forms import REQUIRED, BaseForm, choices, enum_select, strip
from ..floorplan.models import BoothType
from .models import DocumentType, ExhibitorKind, ProductGroup, StartupStage
from .services import (
    MAX_BOOTHS_PER_APPLICATION,
    MAX_PRODUCTS,
    MAX_STAFF,
    ApplicationDetails,
    ExhibitorDetails,
    ProductDetails,
)


class ExhibitorSignUpForm(BaseForm):
    name = StringField(_l("Tên đơn vị trưng bày (HTX, doanh nghiệp, hộ kinh doanh, trường…)"), filters=[strip],
                       validators=[DataRequired(REQUIRED), Length(max=200)])
    kind = enum_select(ExhibitorKind, _l("Loại hình"), validators=[InputRequired(REQUIRED)])
    registration_no = StringField(_l("Mã số đăng ký kinh doanh hoặc mã số thuế"), filters=[strip],
                                  validators=[Optional(), Length(max=30)])
    contact_name = StringField(_l("Người liên hệ"), filters=[strip],
                               validators=[DataRequired(REQUIRED), Length(max=150)])
    email = EmailField(_l("E-mail (dùng để đăng nhập)"), filters=[strip],
                       validators=[DataRequired(REQUIRED), Email(_l("Địa chỉ e-mail không hợp lệ.")),
                                   Length(max=254)])
    phone = StringField(_l("Số điện thoại"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=20)])
    province = StringField(_l("Tỉnh/thành phố"), filters=[strip], validators=[DataRequired(REQUIRED),
                                                                              Length(max=100)])
    sub_unit = StringField(_l("Xã/phường"), filters=[strip], validators=[Optional(), Length(max=150)])
    description = TextAreaField(_l("Giới thiệu ngắn"), filters=[strip], validators=[Optional(), Length(max=2000)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(REQUIRED), Length(max=200)])
    confirm_password = PasswordField(_l("Nhập lại mật khẩu"), validators=[
        DataRequired(REQUIRED), EqualTo("password", _l("Mật khẩu nhập lại không khớp."))])
    consent = BooleanField(_l("Tôi đồng ý để ban tổ chức xử lý thông tin của đơn vị cho việc xét và bố trí gian "
                              "hàng"), validators=[DataRequired(_l("Vui lòng đồng ý để gửi hồ sơ."))])

    def to_details(self) -> ExhibitorDetails:
        return ExhibitorDetails(name=self.name.data, kind=self.kind.data, contact_name=self.contact_name.data,
                                email=self.email.data, phone=self.phone.data, province=self.province.data,
                                registration_no=self.registration_no.data, sub_unit=self.sub_unit.data,
                                description=self.description.data)


class ProductForm(BaseForm):
    class Meta:
        csrf = False  # a part of the application form, which carries the token

    product_id = HiddenField()
    name = StringField(_l("Tên sản phẩm"), filters=[strip], validators=[Optional(), Length(max=200)])
    product_group = SelectField(_l("Nhóm sản phẩm"), choices=choices(
        [("", "—")] + [(g.value, g.label) for g in ProductGroup]), validators=[Optional()])
    ocop_stars = SelectField(_l("Hạng sao OCOP"), choices=choices(
        [("", _l("Không có"))] + [(str(n), _l("%(n)d sao", n=n)) for n in (3, 4, 5)]), validators=[Optional()])
    ocop_certificate_no = StringField(_l("Số giấy chứng nhận OCOP"), filters=[strip],
                                      validators=[Optional(), Length(max=60)])
    ocop_certificate_year = IntegerField(_l("Năm cấp"), validators=[Optional(), NumberRange(min=2000, max=2100)])
    description = TextAreaField(_l("Mô tả"), filters=[strip], validators=[Optional(), Length(max=2000)])
    photo = FileField(_l("Ảnh sản phẩm (JPEG/PNG, tối đa 5 MB)"))

    def is_blank(self) -> bool:
        return not (self.name.data or self.product_group.data or self.ocop_stars.data
                    or self.ocop_certificate_no.data or self.description.data or self.product_id.data)

    def to_details(self) -> ProductDetails:
        upload = self.photo.data
        photo = upload.read() if upload and getattr(upload, "filename", "") else None
        return ProductDetails(
            name=self.name.data or "",
            product_group=ProductGroup(self.product_group.data) if self.product_group.data else None,
            ocop_stars=int(self.ocop_stars.data) if self.ocop_stars.data else None,
            ocop_certificate_no=self.ocop_certificate_no.data, ocop_certificate_year=self.ocop_certificate_year.data,
            description=self.description.data, photo=photo,
            product_id=int(self.product_id.data) if (self.product_id.data or "").isdecimal() else None)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApplicationForm(BaseForm):
    booth_type = SelectField(_l("Loại gian hàng"), choices=choices(
        [("", "—")] + [(t.value, t.label) for t in BoothType]), validators=[InputRequired(REQUIRED)])
    booths_requested = IntegerField(_l("Số gian hàng cần"), default=1, validators=[
        InputRequired(REQUIRED), NumberRange(min=1, max=MAX_BOOTHS_PER_APPLICATION)])
    preferred_zone_id = SelectField(_l("Khu vực mong muốn"), choices=[], validators=[Optional()])
    near_exhibitor_ids = MultiCheckboxField(_l("Muốn ở gần"), coerce=int, choices=[], validators=[Optional()])
    avoid_exhibitor_ids = MultiCheckboxField(_l("Muốn tránh xa"), coerce=int, choices=[], validators=[Optional()])
    staff_count = IntegerField(_l("Số nhân sự đứng gian hàng"), default=2, validators=[
        InputRequired(REQUIRED), NumberRange(min=1, max=MAX_STAFF)])
    startup_stage = SelectField(_l("Giai đoạn phát triển (dành cho khởi nghiệp)"), choices=choices(
        [("", "—")] + [(s.value, s.label) for s in StartupStage]), validators=[Optional()])
    products = FieldList(FormField(ProductForm), min_entries=3, max_entries=MAX_PRODUCTS)

    def to_details(self) -> ApplicationDetails:
        return ApplicationDetails(
            booth_type=BoothType(self.booth_type.data) if self.booth_type.data else None,
            booths_requested=self.booths_requested.data, staff_count=self.staff_count.data,
            products=[entry.form.to_details() for entry in self.products if not entry.form.is_blank()],
            preferred_zone_id=int(self.preferred_zone_id.data) if self.preferred_zone_id.data else None,
            near_exhibitor_ids=list(self.near_exhibitor_ids.data or []),
            avoid_exhibitor_ids=list(self.avoid_exhibitor_ids.data or []),
            startup_stage=StartupStage(self.startup_stage.data) if self.startup_stage.data else None)


class DocumentForm(BaseForm):
    document_type = enum_select(DocumentType, _l("Loại tài liệu"), validators=[InputRequired(REQUIRED)])
    file = FileField(_l("Tệp (PDF, JPEG hoặc PNG, tối đa 5 MB)"), validators=[DataRequired(_l("Vui lòng chọn tệp."))])


class BadgeForm(BaseForm):
    names = TextAreaField(_l("Họ tên nhân sự (mỗi dòng một người)"), filters=[strip],
                          validators=[DataRequired(REQUIRED), Length(max=5000)])


class ReviewForm(BaseForm):
    reason = TextAreaField(_l("Lý do / ghi chú gửi đơn vị"), filters=[strip], validators=[Optional(),
                                                                                         Length(max=2000)])


class OrganiserFieldsForm(BaseForm):
    priority = IntegerField(_l("Điểm ưu tiên (0–100)"), default=0, validators=[
        InputRequired(REQUIRED), NumberRange(min=0, max=100)])
    near_exhibitor_ids = MultiCheckboxField(_l("Xếp gần"), coerce=int, choices=[], validators=[Optional()])
    avoid_exhibitor_ids = MultiCheckboxField(_l("Xếp tránh xa"), coerce=int, choices=[], validators=[Optional()])
