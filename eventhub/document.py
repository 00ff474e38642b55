"""The frame of an official administrative document (Decree 30/2020/NĐ-CP, Appendix I), drawn with fpdf2: the
governing body over the issuing agency and its number on the left, the national name and motto on the right with
the italic place and date line on the number's line; page numbers at the top from the second page on; at the end
the recipients ("Nơi nhận") and the signature block. Text is set in Tinos, metric-compatible with Times New Roman,
vendored in static/vendor/tinos (no system font is assumed). What the document says in between is the caller's."""
import unicodedata
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from fpdf import FPDF

from .accounts.models import Organisation, OrganisationKind

FONT = "Tinos"
FONT_FILES = {"": "Tinos_400Regular.ttf", "B": "Tinos_700Bold.ttf", "I": "Tinos_400Regular_Italic.ttf",
              "BI": "Tinos_700Bold_Italic.ttf"}
LOCALITY_WORDS = {"tỉnh", "thành", "huyện", "quận", "thị", "xã", "phường"}
UNIT_PREFIXES = ("thành phố ", "thị trấn ", "thị xã ", "huyện ", "quận ", "xã ", "phường ")
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class DocumentHeader:
    """Who issues the document, its number and date, whom it goes to and who signs it."""

    agency: str  # the issuing agency, e.g. "Sở Khoa học và Công nghệ tỉnh Đắk Lắk"
    number: str  # "…/BC-SKHCN": the number is written in when the report is signed
    place: str  # "Đắk Lắk"
    issued_on: date
    governing_body: str | None = None  # the agency above the issuer, printed over its name
    recipients: tuple[str, ...] = ()  # "UBND tỉnh Đắk Lắk (để báo cáo)"; the filing line "Lưu: VT" ends the list
    signer_title: str | None = None  # "GIÁM ĐỐC", or "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    signer_name: str | None = None

    @property
    def date_line(self) -> str:
        """"Đắk Lắk, ngày 05 tháng 7 năm 2026": days below 10 and months 1 and 2 take a leading zero."""
        day, month = self.issued_on.day, self.issued_on.month
        month_text = f"{month:02d}" if month < 3 else str(month)
        return str(_l("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s", place=self.place, day=f"{day:02d}",
                      month=month_text, year=self.issued_on.year))

    @property
    def agency_line(self) -> str:
        """The agency as printed under its governing body, which already names the locality: under "UBND tỉnh
        Đắk Lắk", "Sở Khoa học và Công nghệ tỉnh Đắk Lắk" is printed "Sở Khoa học và Công nghệ"."""
        words = self.agency.split()
        above = [word.casefold() for word in (self.governing_body or "").split()]
        for start in range(1, len(words)):
            tail = [word.casefold() for word in words[start:]]
            if words[start].casefold() in LOCALITY_WORDS and above[-len(tail):] == tail:
                return " ".join(words[:start])
        return self.agency


def abbreviation(name: str) -> str:
    """The agency's initials as document numbers use them: "Sở Khoa học và Công nghệ tỉnh Đắk Lắk" → SKHCN.
    Words in capitals (UBND) stay whole; "và" and the locality after the agency's name are left out."""
    letters = []
    for word in name.replace("&", " ").split():
        if letters and word.lower() in LOCALITY_WORDS:
            break
        if word.lower() == "và":
            continue
        letters.append(word if word.isupper() and len(word) > 1 else word[0].upper())
    return unicodedata.normalize("NFC", "".join(letters))


def governing_body(organisation: Organisation) -> str | None:
    """The body printed above the issuer. A People's Committee heads its own documents, whoever it reports to;
    another organisation is under its parent, and a provincial agency without one under the province's UBND."""
    if organisation.kind == OrganisationKind.DISTRICT:
        return None
    if organisation.parent is not None:
        return organisation.parent.name
    if organisation.kind == OrganisationKind.AGENCY:
        return str(_l("UBND tỉnh %(province)s", province=organisation.province))
    return None


def place_name(organisation: Organisation) -> str:
    """Where the document is issued: a People's Committee writes its own commune's or district's proper name
    ("Xã Ea Kar" → "Ea Kar"), everyone else the province's."""
    unit = (organisation.sub_unit or "").strip()
    if organisation.kind != OrganisationKind.DISTRICT or not unit:
        return organisation.province
    prefix = next((p for p in UNIT_PREFIXES if f"{unit.casefold()} ".startswith(p)), "")
    return unit[len(prefix):].strip() or organisation.province


def default_header(organisation: Organisation, today: date) -> DocumentHeader:
    """The issuing organisation's header; the report goes to the organisation it reports to."""
    above = governing_body(organisation)
    superior = organisation.parent.name if organisation.parent is not None else above
    return DocumentHeader(agency=organisation.name, number=f"…/BC-{abbreviation(organisation.name)}",
                          place=place_name(organisation), issued_on=today, governing_body=above,
                          recipients=(str(_l("%(name)s (để báo cáo)", name=superior)),) if superior else ())


class OfficialDocument(FPDF):
    """An A4 page with the decree's margins (left 30 mm for binding, top and bottom 20, right 15) in Tinos."""

    def __init__(self, heading: DocumentHeader, title: str, orientation: str = "portrait"):
        super().__init__(orientation=orientation, format="A4")
        fonts = current_app.static_folder + "/vendor/tinos"
        for style, file in FONT_FILES.items():
            self.add_font(FONT, style, f"{fonts}/{file}")
        self.heading = heading
        self.set_margins(30, 20, 15)
        self.set_auto_page_break(True, 20)
        self.set_title(title)
        self.set_author(heading.agency)
        self.set_lang("vi")
        self.set_font(FONT, "", 13)

    @property
    def text_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def header(self):
        """The page number, centred in the top margin; the first page shows none (Appendix I of the decree)."""
        if self.page_no() > 1:
            self.set_font(FONT, "", 13)
            self.set_xy(self.l_margin, 9)
            self.cell(self.text_width, 6, str(self.page_no()), align="C")
        self.set_xy(self.l_margin, self.t_margin)

    def masthead(self, kind: str, title: str) -> None:
        """The two header columns, then the document's kind ("BÁO CÁO") and its title with a rule under it."""
        left = 73.5  # "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK" fits on one line, the national name on the right too
        right = self.text_width - left
        top = self.get_y()
        if self.heading.governing_body:
            self.set_font(FONT, "", 12)
            self.multi_cell(left, 5.5, self.heading.governing_body.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "B", 12)
        agency = self.heading.agency_line.upper()
        self.multi_cell(left, 5.5, agency, align="C", new_x="LMARGIN", new_y="NEXT")
        self._rule(self.l_margin + left / 2, self._widest_line(agency, left) * 0.4)
        left_bottom = self.get_y() + 2

        x = self.l_margin + left
        self.set_xy(x, top)
        self.set_font(FONT, "B", 12)
        self.multi_cell(right, 5.5, NATIONAL_NAME, align="C", new_x="LEFT", new_y="NEXT")
        self.set_font(FONT, "B", 13)
        self.multi_cell(right, 6, MOTTO, align="C", new_x="LEFT", new_y="NEXT")
        self._rule(x + right / 2, self.get_string_width(MOTTO))

        line = max(left_bottom, self.get_y() + 2)  # the number and the place and date share one line
        self.set_xy(self.l_margin, line)
        self.set_font(FONT, "", 13)
        self.multi_cell(left, 6, str(_l("Số: %(number)s", number=self.heading.number)), align="C",
                        new_x="LMARGIN", new_y="NEXT")
        number_bottom = self.get_y()
        self.set_xy(x, line)
        self.set_font(FONT, "I", 13)
        self.multi_cell(right, 6, self.heading.date_line, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_y(max(number_bottom, self.get_y()) + 8)

        self.set_font(FONT, "B", 14)
        self.cell(self.text_width, 7, kind, align="C", new_x="LMARGIN", new_y="NEXT")
        self.multi_cell(self.text_width, 7, title, align="C", new_x="LMARGIN", new_y="NEXT")
        self._rule(self.l_margin + self.text_width / 2, self._widest_line(title, self.text_width) / 3)
        self.set_y(self.get_y() + 6)
        self.set_font(FONT, "", 13)

    def closing(self, recipients: bool = True) -> None:
        """Recipients bottom left (unless left out, as on a certificate), the signer's title, signature space and
        name bottom right, kept on one page."""
        if self.get_y() + 55 > self.page_break_trigger:
            self.add_page()
        self.ln(8)
        top = self.get_y()
        half = self.text_width / 2
        if recipients:
            self._recipients(half)
        x = self.l_margin + half
        self.set_xy(x, top)
        self.set_font(FONT, "B", 13)
        title = self.heading.signer_title or str(_l("THỦ TRƯỞNG ĐƠN VỊ"))
        self.multi_cell(half, 6, title.upper(), align="C", new_x="LEFT", new_y="NEXT")
        if self.heading.signer_name:
            self.set_xy(x, self.get_y() + 24)  # room for the signature and the seal
            self.multi_cell(half, 6, self.heading.signer_name, align="C", new_x="LEFT", new_y="NEXT")
        else:
            self.set_font(FONT, "I", 12)
            self.multi_cell(half, 6, str(_l("(Ký, ghi rõ họ tên và đóng dấu)")), align="C", new_x="LEFT",
                            new_y="NEXT")

    def _recipients(self, width: float) -> None:
        self.set_font(FONT, "BI", 12)
        self.cell(width, 6, str(_l("Nơi nhận:")), new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 11)
        lines = [*self.heading.recipients, str(_l("Lưu: VT"))]
        for n, line in enumerate(lines, 1):
            self.multi_cell(width - 5, 5, f"- {line}{'.' if n == len(lines) else ';'}", new_x="LMARGIN",
                            new_y="NEXT")

    def _widest_line(self, text: str, width: float) -> float:
        lines = self.multi_cell(width, 5, text, dry_run=True, output="LINES")
        return max(self.get_string_width(line) for line in lines)

    def _rule(self, centre: float, length: float) -> None:
        """A solid line under a heading: the decree's rules run 1/3 to 1/2 of the text above, the motto's all of it."""
        self.set_line_width(0.3)
        self.line(centre - length / 2, self.get_y() + 0.8, centre + length / 2, self.get_y() + 0.8)
