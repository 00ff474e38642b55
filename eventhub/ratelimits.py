"""Rate limits per account as well as per client address: the key functions Flask-Limiter counts by. In production
the counts live in Redis (RATELIMIT_STORAGE_URI), so every worker and machine shares them."""
from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from .contact import normalise_email, normalise_phone
from .errors import DomainError


def account_limit() -> str:
    return current_app.config["ACCOUNT_RATE_LIMIT"]


def _submitted(field: str) -> str:
    value = request.form.get(field)
    if value is None and request.is_json:
        try:
            body = request.get_json(silent=True)
        except DomainError:  # an unreadable body is refused on its own; count it by address
            body = None
        value = body.get(field) if isinstance(body, dict) else None
    return value.strip() if isinstance(value, str) else ""


def submitted_account(*fields: str):
    """A key function: the account a request names (an e-mail or a phone in the form or JSON body), normalised so
    that "An@X.vn" and "an@x.vn" share a count; without one, the client address."""
    def key() -> str:
        for field in fields:
            text = _submitted(field)
            if not text:
                continue
            if "@" in text:
                return f"account:{normalise_email(text)}"
            return f"account:{normalise_phone(text) or text[:64]}"
        return f"address:{get_remote_address()}"

    return key


def signed_in_account() -> str:
    """A key function for pages behind sign-in (the current-password check): the account, whatever the address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{get_remote_address()}"
