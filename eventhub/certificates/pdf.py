"""Certificates as PDF: one landscape A4 page each, in the official document frame (eventhub/document.py: governing
body and issuing agency, the number "Số: 12/GCN-SKHCN", place and date, the signer) with the holder's name, the
wording it was issued with, and a QR code that opens its public verification page. A batch is one document."""
import io
from collections.abc import Sequence

from flask_babel import gettext

from ..document import FONT, DocumentHeader, OfficialDocument
from ..registration.tickets import qr_png
from .models import Certificate
from .services import verify_url

QR_SIZE = 34  # mm: at 150 dpi a module of the verification URL's QR is about 5 pixels


class CertificateDocument(OfficialDocument):
    def header(self):
        """No page numbers: each page is a certificate of its own."""
        self.set_xy(self.l_margin, self.t_margin)


def heading_of(certificate: Certificate) -> DocumentHeader:
    return DocumentHeader(agency=certificate.agency, number=certificate.number, place=certificate.place,
                          issued_on=certificate.issued_on, governing_body=certificate.governing_body,
                          signer_title=certificate.signer_title, signer_name=certificate.signer_name)


def _page(pdf: CertificateDocument, certificate: Certificate) -> None:
    pdf.heading = heading_of(certificate)
    pdf.add_page()
    pdf.set_line_width(0.8)
    pdf.rect(10, 8, pdf.w - 20, pdf.h - 16)
    pdf.set_line_width(0.2)
    pdf.rect(12, 10, pdf.w - 24, pdf.h - 20)
    pdf.set_y(pdf.t_margin - 4)
    pdf.masthead(certificate.title.upper(), certificate.holder_name)
    pdf.ln(2)
    pdf.set_font(FONT, "", 15)
    pdf.multi_cell(pdf.text_width, 8, certificate.body, align="C", new_x="LMARGIN", new_y="NEXT")
    signature_top = pdf.get_y()
    pdf.closing(recipients=False)
    url = verify_url(certificate.code)
    top = max(signature_top + 8, pdf.h - pdf.b_margin - QR_SIZE - 8)
    pdf.image(io.BytesIO(qr_png(url, box_size=6)), x=pdf.l_margin, y=top, w=QR_SIZE, h=QR_SIZE)
    pdf.set_xy(pdf.l_margin + QR_SIZE + 3, top + 6)
    pdf.set_font(FONT, "", 10)
    width = pdf.text_width / 2 - QR_SIZE - 5
    pdf.multi_cell(width, 5, gettext("Mã xác minh: %(code)s", code=certificate.code), align="L", new_x="LEFT",
                   new_y="NEXT")
    pdf.multi_cell(width, 5, gettext("Quét mã QR hoặc mở %(url)s để kiểm tra.", url=url), align="L", new_x="LEFT",
                   new_y="NEXT")


def render(certificates: Sequence[Certificate], title: str | None = None) -> bytes:
    """The certificates, one page each, in the order given."""
    if not certificates:
        raise ValueError("no certificates to print")
    pdf = CertificateDocument(heading_of(certificates[0]), title or certificates[0].title, orientation="landscape")
    pdf.set_auto_page_break(False, 20)  # a certificate is one page; its wording is bounded to fit
    for certificate in certificates:
        _page(pdf, certificate)
    return bytes(pdf.output())
