"""Templates of the outbox. A queued message keeps a template name and small parameters; the module that
owns the notice registers a renderer for that name, and delivery renders the message when it sends it, so
queueing costs one INSERT and the text is as fresh as the data."""
import base64
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale

from .models import OutboxMessage


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes
    inline_id: str | None = None  # set for images referenced from the HTML as cid:<inline_id>

    def as_json(self) -> dict:
        return {"filename": self.filename, "content_type": self.content_type,
                "data": base64.b64encode(self.data).decode("ascii"), "content_id": self.inline_id}


@dataclass
class Rendered:
    """A notice in every channel's form: the e-mail, the short text of SMS (written with diacritics; the SMS
    channel unaccents it unless the organiser prefers UCS-2), the link every SMS keeps, and ZNS data."""

    subject: str
    text: str
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    short: str | None = None
    link: str | None = None
    zns: dict[str, str] = field(default_factory=dict)


class Gone(LookupError):
    """What the message was about no longer exists (e.g. a deleted registration): nothing to send."""


_renderers: dict[str, Callable[[dict], Rendered]] = {}


def renderer(name: str):
    def register(function: Callable[[dict], Rendered]):
        _renderers[name] = function
        return function
    return register


def render(message: OutboxMessage) -> Rendered:
    if message.template is None:
        return Rendered(message.subject, message.text_body, message.html_body,
                        [Attachment(a["filename"], a["content_type"], base64.b64decode(a["data"]), a.get("content_id"))
                         for a in message.attachments or []], short=message.text_body)
    try:
        function = _renderers[message.template]
    except KeyError as error:
        raise Gone(f"unknown template {message.template}") from error
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return function(dict(message.params or {}))
