"""One pagination rule for pages and API alike."""
from urllib.parse import quote, urlencode

from flask import request
from flask_babel import lazy_gettext as _l

from .errors import ValidationFailed
from .extensions import db

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000  # beyond this an offset overflows the database's integers


def _bounded(name: str, default: int, largest: int) -> int:
    """A page argument: absent or empty is the default. In the API anything but a whole number from 1 to `largest`
    is a 422 naming it (a silent fallback hides a client's mistake); a page's link is forgiven and clamped."""
    text = request.args.get(name, "")
    if text == "":
        return default
    number = int(text) if text.isascii() and text.isdigit() else None
    if number is not None and 1 <= number <= largest:
        return number
    if request.path.startswith("/api/"):
        raise ValidationFailed({name: [_l("Cần một số nguyên từ 1 đến %(largest)d.", largest=largest)]})
    return largest if number is not None and number > largest else default


def page_args(default_per_page: int) -> tuple[int, int]:
    return _bounded("page", 1, MAX_PAGE), _bounded("per_page", default_per_page, MAX_PER_PAGE)


def paginate(query, default_per_page: int):
    page, per_page = page_args(default_per_page)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def page_url(page: int) -> str:
    """This page's address with another page number, every other query argument kept as it came.

    Built from the request rather than with url_for: query keys such as `endpoint` or `_external`
    would otherwise be taken as url_for's own arguments."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "page"]
    return quote(request.script_root + request.path) + "?" + urlencode(args + [("page", page)])
