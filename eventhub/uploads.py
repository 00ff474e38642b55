"""Uploaded files, judged by their content and never by their name: a PDF by its signature and ending, an
image by opening it with Pillow, so an HTML page named .pdf or a file that only starts like a PNG is refused.
Each upload field says what it takes and what it tells people otherwise (`Accepts`)."""
import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from .errors import ValidationFailed
from .extensions import db

MEDIA_TYPES = {"PDF": ("application/pdf", "pdf"), "JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"),
               "WEBP": ("image/webp", "webp")}
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Accepts:
    """What one upload field takes. Messages are lazy strings; `too_big` gets %(mb)d, `wrong_format`
    %(format)s (the format the file turned out to be)."""

    field: str
    formats: frozenset[str]
    too_big: LazyString
    unreadable: LazyString  # neither a PDF nor an image Pillow can open
    wrong_format: LazyString  # a PDF or an image of a format the field does not take
    empty: LazyString | None = None  # None: an empty file is unreadable like any other


def inspect(data: bytes, accepts: Accepts, max_bytes: int) -> tuple[str, str]:
    """(media type, file extension) of an accepted file, else ValidationFailed on the field."""
    if not data and accepts.empty is not None:
        _refuse(accepts, accepts.empty)
    if len(data) > max_bytes:
        _refuse(accepts, accepts.too_big % {"mb": max_bytes // (1024 * 1024)})
    file_format = _pdf_format(data, accepts) if data.startswith(b"%PDF-") else _image_format(data, accepts)
    if file_format not in accepts.formats:
        _refuse(accepts, accepts.wrong_format % {"format": file_format})
    return MEDIA_TYPES[file_format]


def uploads_dir(name: str) -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(folder: str, data: bytes, extension: str) -> Path:
    """Write an upload under a random name, which tells nothing of the person and cannot be guessed."""
    path = uploads_dir(folder) / f"{secrets.token_hex(16)}.{extension}"
    path.write_bytes(data)
    return path


# What a browser may do with a file that came from outside: show it as the sniffed type, never run it.
UPLOAD_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
_EXTENSIONS = {media_type: extension for media_type, extension in MEDIA_TYPES.values()}


def send_upload(directory: Path, name: str, *, download_name: str | None = None, max_age: int = 0):
    """A stored upload as an inert download: the type its content was sniffed as (its random name's extension),
    Content-Disposition attachment under a name ending in that type's extension (never the sender's ".html"),
    nosniff and a sandboxing CSP. Images still show in <img>, which ignores the disposition."""
    from flask import abort, send_file
    from werkzeug.security import safe_join

    joined = safe_join(str(directory), name)
    path = Path(joined) if joined else None
    media_type = next((t for t, extension in _EXTENSIONS.items() if path and path.suffix == f".{extension}"), None)
    if media_type is None or not path.is_file():
        abort(404)
    stem = Path(download_name).stem if download_name else path.stem
    response = send_file(path, mimetype=media_type, as_attachment=True, download_name=f"{stem}{path.suffix}",
                         max_age=max_age)
    response.headers["Content-Security-Policy"] = UPLOAD_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def commit_or_remove(*paths: Path | None) -> None:
    """Commit the rows that name these stored files; when the commit fails, roll back and remove the files, so
    no file outlives the row that would have pointed to it."""
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for path in paths:
            if path is not None:
                path.unlink(missing_ok=True)
        raise


def _pdf_format(data: bytes, accepts: Accepts) -> str:
    if "PDF" in accepts.formats and b"%%EOF" not in data[-2048:]:
        _refuse(accepts, _l("Tệp PDF bị hỏng hoặc chưa tải lên hết."))
    return "PDF"


def _image_format(data: bytes, accepts: Accepts) -> str:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        _refuse(accepts, accepts.unreadable, error)
    if image_format in accepts.formats and width * height > MAX_PIXELS:
        _refuse(accepts, _l("Ảnh có độ phân giải quá lớn."))
    return image_format


def _refuse(accepts: Accepts, message, cause: Exception | None = None):
    raise ValidationFailed({accepts.field: [message]}) from cause
