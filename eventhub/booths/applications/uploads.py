"""Files exhibitors upload (application documents, product photos): accepted by their content, never by their
name, at most 5 MB, and stored under the upload folder with random names."""
import io
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from ...errors import ValidationFailed

DOCUMENT_FORMATS = {"PDF": ("application/pdf", "pdf"), "JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000


def uploads_dir(name: str) -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def inspect_upload(data: bytes, *, images_only: bool = False) -> tuple[str, str]:
    """(content type, extension) of an accepted file, judged by its content, never by its name."""
    limit = DOCUMENT_MAX_BYTES
    field_name = "photo" if images_only else "file"
    if not data:
        raise ValidationFailed({field_name: [_l("Tệp rỗng, vui lòng chọn lại tệp.")]})
    if len(data) > limit:
        raise ValidationFailed({field_name: [_l("Tệp vượt quá %(mb)d MB.", mb=limit // (1024 * 1024))]})
    if data.startswith(b"%PDF-"):
        if images_only:
            raise ValidationFailed({field_name: [_l("Ảnh sản phẩm phải là JPEG hoặc PNG.")]})
        if b"%%EOF" not in data[-2048:]:
            raise ValidationFailed({field_name: [_l("Tệp PDF bị hỏng hoặc chưa tải lên hết.")]})
        return DOCUMENT_FORMATS["PDF"]
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        message = (_l("Tệp không phải ảnh hợp lệ (chấp nhận JPEG, PNG).") if images_only else
                   _l("Chỉ chấp nhận tệp PDF, JPEG hoặc PNG; tệp này không đúng định dạng."))
        raise ValidationFailed({field_name: [message]}) from error
    if image_format not in ("JPEG", "PNG"):
        raise ValidationFailed({field_name: [_l("Chỉ chấp nhận ảnh JPEG hoặc PNG (tệp là %(format)s).",
                                                format=image_format)]})
    if width * height > IMAGE_MAX_PIXELS:
        raise ValidationFailed({field_name: [_l("Ảnh có độ phân giải quá lớn.")]})
    return DOCUMENT_FORMATS[image_format]
