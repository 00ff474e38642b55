"""The one upload sniffer: files are judged by what they contain, never by their name."""
import io

import pytest
from flask_babel import lazy_gettext as _l
from PIL import Image

from eventhub import uploads
from eventhub.errors import ValidationFailed

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DOCUMENT = uploads.Accepts(field="file", formats=frozenset({"PDF", "JPEG", "PNG"}),
                           too_big=_l("Tệp vượt quá %(mb)d MB."),
                           unreadable=_l("Chỉ chấp nhận tệp PDF, JPEG hoặc PNG; tệp này không đúng định dạng."),
                           wrong_format=_l("Chỉ chấp nhận ảnh JPEG hoặc PNG (tệp là %(format)s)."),
                           empty=_l("Tệp rỗng, vui lòng chọn lại tệp."))
PHOTO = uploads.Accepts(field="photo", formats=frozenset({"JPEG", "PNG", "WEBP"}),
                        too_big=_l("Ảnh bìa tối đa %(mb)d MB."),
                        unreadable=_l("Tệp không phải ảnh hợp lệ (chấp nhận JPEG, PNG, WebP)."),
                        wrong_format=_l("Chỉ chấp nhận ảnh JPEG, PNG hoặc WebP."))
PHOTO_NAMING_FORMAT = uploads.Accepts(field="photo", formats=frozenset({"JPEG", "PNG"}), too_big=DOCUMENT.too_big,
                                      unreadable=_l("Tệp không phải ảnh hợp lệ (chấp nhận JPEG, PNG)."),
                                      wrong_format=DOCUMENT.wrong_format)
LIMIT = 1024 * 1024


def image(file_format: str, size=(4, 3), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, file_format)
    return buffer.getvalue()


def refusal(data: bytes, accepts=DOCUMENT, limit=LIMIT) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as raised:
        uploads.inspect(data, accepts, limit)
    return {field: [str(m) for m in messages] for field, messages in raised.value.fields.items()}


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize(("data", "accepts", "expected"), [
    (PDF, DOCUMENT, ("application/pdf", "pdf")),
    (image("JPEG"), DOCUMENT, ("image/jpeg", "jpg")),
    (image("PNG"), DOCUMENT, ("image/png", "png")),
    (image("JPEG"), PHOTO, ("image/jpeg", "jpg")),
    (image("PNG"), PHOTO, ("image/png", "png")),
    (image("WEBP"), PHOTO, ("image/webp", "webp")),
])
def test_accepted_files_get_their_media_type_and_extension_from_their_content(data, accepts, expected):
    assert uploads.inspect(data, accepts, LIMIT) == expected


@pytest.mark.parametrize("data", [
    b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",  # uploaded as "report.pdf"
    b"MZ\x90\x00 a program",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a PNG signature and nothing Pillow can read behind it
    b"\xff\xd8\xff\xe0" + b"\x00" * 40,  # the same for JPEG
    image("PNG")[:30],  # cut off while uploading
])
def test_what_only_looks_like_a_document_is_refused(data):
    assert refusal(data) == {"file": ["Chỉ chấp nhận tệp PDF, JPEG hoặc PNG; tệp này không đúng định dạng."]}


def test_a_pdf_without_its_end_is_refused():
    assert refusal(b"%PDF-1.4 truncated") == {"file": ["Tệp PDF bị hỏng hoặc chưa tải lên hết."]}


def test_a_pdf_where_only_images_are_taken_is_the_wrong_format():
    assert refusal(PDF, PHOTO) == {"photo": ["Chỉ chấp nhận ảnh JPEG, PNG hoặc WebP."]}
    assert refusal(PDF, PHOTO_NAMING_FORMAT) == {"photo": ["Chỉ chấp nhận ảnh JPEG hoặc PNG (tệp là PDF)."]}


def test_an_image_of_another_format_names_it():
    assert refusal(image("GIF", mode="P")) == {"file": ["Chỉ chấp nhận ảnh JPEG hoặc PNG (tệp là GIF)."]}
    assert refusal(image("WEBP")) == {"file": ["Chỉ chấp nhận ảnh JPEG hoặc PNG (tệp là WEBP)."]}
    assert refusal(image("GIF", mode="P"), PHOTO) == {"photo": ["Chỉ chấp nhận ảnh JPEG, PNG hoặc WebP."]}


def test_the_size_limit_counts_bytes():
    padded = PDF[:-7] + b" " * (LIMIT - len(PDF)) + PDF[-7:]
    assert len(padded) == LIMIT and uploads.inspect(padded, DOCUMENT, LIMIT) == ("application/pdf", "pdf")
    assert refusal(padded + b" ") == {"file": ["Tệp vượt quá 1 MB."]}
    assert refusal(image("PNG"), PHOTO, limit=10) == {"photo": ["Ảnh bìa tối đa 0 MB."]}


def test_an_empty_file_gets_the_field_s_own_message_or_is_unreadable():
    assert refusal(b"") == {"file": ["Tệp rỗng, vui lòng chọn lại tệp."]}
    assert refusal(b"", PHOTO) == {"photo": ["Tệp không phải ảnh hợp lệ (chấp nhận JPEG, PNG, WebP)."]}


def test_an_image_with_too_many_pixels_is_refused():
    huge = image("PNG", size=(8000, 5001), mode="1")  # 40,008,000 pixels in a few kilobytes
    assert len(huge) < LIMIT
    assert refusal(huge) == {"file": ["Ảnh có độ phân giải quá lớn."]}
    assert uploads.inspect(image("PNG", size=(8000, 5000), mode="1"), DOCUMENT, LIMIT) == ("image/png", "png")
