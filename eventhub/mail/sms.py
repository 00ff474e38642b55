"""SMS through Kannel's `sendsms` HTTP interface (smsbox), which a deployment connects by SMPP to a telecom's
brandname service. Texts are GSM-7 without accents (160 characters a part, 153 when concatenated) or, where
the organiser prefers diacritics, UCS-2 (70, 67 when concatenated); the ticket link is always kept whole."""
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

from .transport import PermanentFailure, Sent, TemporaryFailure, http

GSM7_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = set("^{}\\[~]|€")  # two septets each
MAX_PARTS = 6


def unaccent(text: str) -> str:
    """Vietnamese without diacritics in GSM-7: "Đắk Lắk" → "Dak Lak"; anything else outside GSM-7 → "?"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c if c in GSM7_BASIC or c in GSM7_EXTENDED else "?" for c in text)


def septets(text: str) -> int:
    return sum(2 if c in GSM7_EXTENDED else 1 for c in text)


def parts_of(text: str, unicode: bool) -> int:
    if unicode:
        units = len(text.encode("utf-16-be")) // 2
        return 1 if units <= 70 else -(-units // 67)
    length = septets(text)
    return 1 if length <= 160 else -(-length // 153)


@dataclass
class SmsText:
    text: str
    unicode: bool
    parts: int


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def compose(short: str, link: str | None, *, unicode: bool, max_parts: int | None = None) -> SmsText:
    """The text cut to `max_parts` parts (2 unaccented, 3 in UCS-2), the link (never cut) at its end; control
    characters become spaces."""
    max_parts = max_parts or (3 if unicode else 2)
    body = one_line(short) if unicode else unaccent(one_line(short))
    tail = f" {link}" if link and link not in body else ""
    budget = (70 if max_parts == 1 else 67 * max_parts) if unicode else (160 if max_parts == 1 else 153 * max_parts)
    measure = (lambda t: len(t.encode("utf-16-be")) // 2) if unicode else septets
    while body and measure(body + tail) > budget:
        body = body[:-1]
    if body != (one_line(short) if unicode else unaccent(one_line(short))):
        body = body.rstrip()[:-1].rstrip() + "…" if unicode else body.rstrip()[:-3].rstrip() + "..."
    text = body + tail
    return SmsText(text, unicode, parts_of(text, unicode))


def hook_token(config) -> str:
    """The secret Kannel repeats when it calls back (delivery reports, replies)."""
    import hashlib
    import hmac

    return config["SMS_HOOK_TOKEN"] or hmac.new(config["SECRET_KEY"].encode(), b"sms-hook",
                                                hashlib.sha256).hexdigest()[:32]


def international(phone: str) -> str:
    """0912345678 → 84912345678, the form gateways and Zalo expect."""
    return "84" + phone[1:] if phone.startswith("0") else phone.lstrip("+")


class KannelTransport:
    """One sendsms request per message; the delivery report comes back to /hooks/sms/dlr."""

    def __init__(self, config):
        self.url = config["KANNEL_SENDSMS_URL"]
        self.config = config

    def send(self, message, rendered, *, unicode: bool) -> Sent:
        sms = compose(rendered.short or rendered.subject, rendered.link, unicode=unicode)
        base = self.config["PUBLIC_BASE_URL"].rstrip("/")
        report = f"{base}/hooks/sms/dlr?" + urlencode({"key": message.idempotency_key,
                                                       "token": hook_token(self.config)})
        # Kannel fills in %d (report type), %F (the SMSC's message id) and %A (the SMSC's answer).
        report += "&type=%d&smsc_id=%F&answer=%A"
        params = {"username": self.config["KANNEL_USERNAME"], "password": self.config["KANNEL_PASSWORD"],
                  "to": international(message.recipient), "text": sms.text, "charset": "UTF-8",
                  "coding": "2" if sms.unicode else "0", "dlr-mask": "31", "dlr-url": report}
        if self.config["SMS_SENDER"]:
            params["from"] = self.config["SMS_SENDER"]
        response = http("GET", self.url, params=params)
        answer = response.text.strip()[:200]
        if response.status in (200, 202):
            return Sent(provider_id=f"kannel:{message.idempotency_key}", parts=sms.parts)
        if response.status >= 500 or response.status == 429:
            raise TemporaryFailure(f"kannel {response.status}: {answer}")
        raise PermanentFailure(f"kannel {response.status}: {answer}")
