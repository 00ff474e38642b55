"""Staff badges of an exhibitor: one A6 badge per person with the name, the exhibitor and the booth code,
drawn by the shared badge writer (DejaVu, text shrunk to fit)."""
from flask_babel import lazy_gettext as _l

from ...accounts.services import organisation_logo_path
from ...badges import BadgeWriter, layout_for
from ...errors import DomainError, ValidationFailed
from .models import ApplicationStatus, BoothApplication
from .services import assignments_of


class StaffBadgeWriter(BadgeWriter):
    def staff_badge(self, name: str, exhibitor: str, booths: str, event_title: str) -> None:
        pdf, padding = self.pdf, 6
        width = self.cell_w - 2 * padding
        pdf.add_page()
        self._logo(padding, 2, width, 9)
        pdf.set_y(padding + (6 if self.logo else 0))
        self._text(padding, width, event_title, size=10, grey=True)
        pdf.set_y(30)
        self._text(padding, width, name, size=26, bold=True, max_lines=2, smallest=12)
        pdf.ln(4)
        self._text(padding, width, exhibitor, size=13, max_lines=3)
        pdf.set_y(self.cell_h - 48)
        self._text(padding, width, str(_l("Gian hàng")), size=11, grey=True)
        self._text(padding, width, booths, size=30, bold=True, max_lines=1, smallest=14)
        pdf.set_y(self.cell_h - padding - 8)
        self._text(padding, width, str(_l("Đơn vị trưng bày")), size=12, bold=True, grey=True)


def staff_badges_pdf(application: BoothApplication, names: list[str]) -> bytes:
    """One badge per named staff member, at most the staff count of the application, once it has its booths."""
    names = [" ".join(n.split()) for n in names if n.strip()]
    if not names:
        raise ValidationFailed({"names": [_l("Vui lòng nhập họ tên nhân sự, mỗi dòng một người.")]})
    if len(names) > application.staff_count:
        raise ValidationFailed({"names": [_l("Hồ sơ đăng ký %(n)d nhân sự; danh sách có %(count)d người.",
                                             n=application.staff_count, count=len(names))]})
    if any(len(n) > 150 for n in names):
        raise ValidationFailed({"names": [_l("Họ tên tối đa 150 ký tự.")]})
    codes = _booth_codes(application)
    writer = StaffBadgeWriter(layout_for("a6"), organisation_logo_path(application.event.organisation))
    for name in names:
        writer.staff_badge(name, application.exhibitor.name, codes, application.event.title)
    return writer.output()


def _booth_codes(application: BoothApplication) -> str:
    assignments = assignments_of(application.id, confirmed_only=True)
    if application.status == ApplicationStatus.APPROVED and assignments:
        return ", ".join(sorted(a.booth.code for a in assignments))
    raise DomainError("no_booth", _l("Đơn vị chưa được xếp gian hàng nên chưa in được thẻ."), status=409)
