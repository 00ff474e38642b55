"""What exhibitors upload (application documents, product photos): at most 5 MB, judged by content by the
shared sniffer (`eventhub.uploads`), and stored under the upload folder with random names."""
from flask_babel import lazy_gettext as _l

from ... import uploads

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
_TOO_BIG = _l("Tệp vượt quá %(mb)d MB.")
_EMPTY = _l("Tệp rỗng, vui lòng chọn lại tệp.")
_NOT_JPEG_OR_PNG = _l("Chỉ chấp nhận ảnh JPEG hoặc PNG (tệp là %(format)s).")
DOCUMENT = uploads.Accepts(field="file", formats=frozenset({"PDF", "JPEG", "PNG"}), too_big=_TOO_BIG, empty=_EMPTY,
                           unreadable=_l("Chỉ chấp nhận tệp PDF, JPEG hoặc PNG; tệp này không đúng định dạng."),
                           wrong_format=_NOT_JPEG_OR_PNG)
PHOTO = uploads.Accepts(field="photo", formats=frozenset({"JPEG", "PNG"}), too_big=_TOO_BIG, empty=_EMPTY,
                        unreadable=_l("Tệp không phải ảnh hợp lệ (chấp nhận JPEG, PNG)."),
                        wrong_format=_NOT_JPEG_OR_PNG)


def inspect_upload(data: bytes, *, images_only: bool = False) -> tuple[str, str]:
    """(content type, extension) of an accepted document, or with `images_only` of a product photo."""
    return uploads.inspect(data, PHOTO if images_only else DOCUMENT, DOCUMENT_MAX_BYTES)
