"""Certificate PDFs read back with independent readers: pypdf for the text (Vietnamese diacritics as typed), and the
QR decoded by zbar after poppler rasterises the page at 150 dpi, as a phone camera would see a print."""
import io
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from eventhub.certificates import pdf, services
from eventhub.certificates.models import CertificateKind

from .factories import AFTER, make_training, template

TOOLS_MISSING = "pdftoppm (poppler-utils) and zbarimg (zbar-tools) are needed: run `make test-prereqs`"


def text_of(page) -> str:
    return unicodedata.normalize("NFC", " ".join(page.extract_text().split()))


def decode_qr_codes(pdf_bytes: bytes, tmp_path) -> list[list[str]]:
    """Each page's QR codes, as zbar reads them from a 150 dpi rendering."""
    assert shutil.which("pdftoppm") and shutil.which("zbarimg"), TOOLS_MISSING
    source = tmp_path / "certificates.pdf"
    source.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(source), str(tmp_path / "page")], check=True)
    pages = []
    for image in sorted(tmp_path.glob("page-*.png")):
        result = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
                                capture_output=True, text=True)
        pages.append(result.stdout.split())
    return pages


@pytest.fixture
def certificates(factory):
    event, _people = make_training(factory, completers=3, once=0, absent=0)
    template(event, body="Đã hoàn thành lớp {event_title}, tổ chức {event_dates} tại {venue}.")
    return services.issue_batch(event.id, CertificateKind.COMPLETION, issued_by=None, now=AFTER)


def test_a_certificate_prints_the_agency_number_holder_wording_and_signer(certificates):
    certificate = next(c for c in certificates if c.holder_name == "H'Hen Niê")
    reader = PdfReader(io.BytesIO(pdf.render([certificate])))
    [page] = reader.pages
    text = text_of(page)
    for expected in ("UBND TỈNH ĐẮK LẮK", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", f"Số: {certificate.number}", "GIẤY CHỨNG NHẬN", "H'Hen Niê",
                     "Khởi nghiệp xanh trong nền kinh tế tuần hoàn", "từ ngày 08/03/2027 đến ngày 09/03/2027",
                     "Hội trường Sở Khoa học và Công nghệ", "KT. GIÁM ĐỐC - PHÓ GIÁM ĐỐC", "Nguyễn Thị Hồng Nhung",
                     f"Mã xác minh: {certificate.code}", f"ngày {AFTER.day:02d} tháng 3 năm 2027"):
        assert expected in text, expected
    assert "Nơi nhận" not in text
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape A4


def test_the_qr_opens_the_verification_page_after_printing_at_150_dpi(app, certificates, tmp_path):
    decoded = decode_qr_codes(pdf.render(certificates), tmp_path)
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert decoded == [[f"{base}/verify/{c.code}"] for c in certificates]


def test_a_batch_is_one_page_per_certificate_in_order(certificates):
    reader = PdfReader(io.BytesIO(pdf.render(certificates, "Giấy chứng nhận – lớp tập huấn")))
    assert len(reader.pages) == len(certificates)
    for page, certificate in zip(reader.pages, certificates, strict=True):
        text = text_of(page)
        assert certificate.number in text and certificate.holder_name in text
    assert reader.metadata.title == "Giấy chứng nhận – lớp tập huấn"
