"""The printable sign-in sheet (danh sách ký): A4 under the organiser's official header, numbered pages, one line
per person in the order the paper entry reads back, a signature column and blank lines for walk-ins."""
from flask_babel import lazy_gettext as _l

from .. import document
from ..checkin import paper
from ..checkin.services import get_list
from ..events.models import Event
from ..extensions import db
from ..i18n import format_datetime
from ..registration.models import Delegation, RegistrationCategory
from ..timeutil import to_local, utcnow

BLANK_ROWS = 10
MAX_BLANK_ROWS = 200
COLUMNS = (12, 58, 45, 28, 22)  # order number, name, organisation, phone, signature: the text width of A4


class SignInSheet(document.OfficialDocument):
    def footer(self):
        """"Trang 2/5" at the foot of every page, so a loose page finds its place."""
        self.set_y(-14)
        self.set_font(document.FONT, "I", 10)
        self.cell(self.text_width, 5, str(_l("Trang %(page)s/%(pages)s", page=self.page_no(), pages="{nb}")),
                  align="C")


def sheet_title(scope: paper.SheetScope) -> tuple[Event, str]:
    check_in_list = get_list(scope.list_id)
    event = db.session.get(Event, check_in_list.event_id)
    parts = [event.title, check_in_list.name]
    if scope.category_id is not None:
        parts.append(db.session.get(RegistrationCategory, scope.category_id).name)
    if scope.delegation_id is not None:
        parts.append(str(_l("Đoàn %(name)s", name=db.session.get(Delegation, scope.delegation_id).name)))
    return event, " – ".join(parts)


def sheet_pdf(scope: paper.SheetScope, blank_rows: int = BLANK_ROWS) -> bytes:
    people = paper.sheet_people(scope)
    event, title = sheet_title(scope)
    header = document.default_header(event.organisation, to_local(utcnow()).date())
    pdf = SignInSheet(header, title)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.masthead(str(_l("DANH SÁCH KÝ NHẬN THAM DỰ")), title)
    pdf.set_font(document.FONT, "", 11)
    when = _l("Thời gian: %(start)s – %(end)s. Địa điểm: %(venue)s.", start=format_datetime(event.starts_at),
              end=format_datetime(event.ends_at), venue=event.venue_name)
    pdf.multi_cell(pdf.text_width, 5.5, str(when), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    heading = ("STT", str(_l("Họ và tên")), str(_l("Đơn vị")), str(_l("Điện thoại")), str(_l("Ký tên")))
    with pdf.table(col_widths=COLUMNS, line_height=8, text_align=("CENTER", "LEFT", "LEFT", "LEFT", "CENTER"),
                   first_row_as_headings=True, repeat_headings=1) as table:
        table.row(heading)
        for number, person in enumerate(people, 1):
            table.row((str(number), person.full_name, person.organisation_name or "", paper.mask_phone(person.phone),
                       ""))
        for number in range(len(people) + 1, len(people) + 1 + blank_rows):
            table.row((str(number), "", "", "", ""))
    pdf.ln(4)
    pdf.set_font(document.FONT, "I", 10)
    pdf.multi_cell(pdf.text_width, 5, str(_l("In lúc %(time)s; %(count)d người đã đăng ký, %(blank)d dòng trống cho "
                                             "người đến trực tiếp.", time=format_datetime(utcnow()),
                                             count=len(people), blank=blank_rows)), new_x="LMARGIN", new_y="NEXT")
    pdf.closing()
    return bytes(pdf.output())
