"""One pagination rule for pages and API alike."""
from urllib.parse import quote, urlencode

from flask import request

from .extensions import db

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000  # beyond this an offset overflows the database's integers


def page_args(default_per_page: int) -> tuple[int, int]:
    page = request.args.get("page", 1, type=int) or 1
    per_page = request.args.get("per_page", default_per_page, type=int) or default_per_page
    return min(max(page, 1), MAX_PAGE), min(max(per_page, 1), MAX_PER_PAGE)


def paginate(query, default_per_page: int):
    page, per_page = page_args(default_per_page)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def page_url(page: int) -> str:
    """This page's address with another page number, every other query argument kept as it came.

    Built from the request rather than with url_for: query keys such as `endpoint` or `_external`
    would otherwise be taken as url_for's own arguments."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "page"]
    return quote(request.script_root + request.path) + "?" + urlencode(args + [("page", page)])
