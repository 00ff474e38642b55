"""Text helpers shared by every module: safe Markdown and Vietnamese-aware slugs."""
import re
import unicodedata

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML is disabled in the parser and the output is sanitised again, so a description can never
# carry a script, an event handler or a javascript: link.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "img",
}


def render_markdown(source: str | None) -> Markup:
    html = _markdown.render(source or "")
    return Markup(nh3.clean(html, tags=_ALLOWED_TAGS, url_schemes={"http", "https", "mailto"}))


def _ascii_words(text: str, max_length: int) -> str:
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_length].rstrip("-")


def slugify(text: str, max_length: int = 80) -> str:
    return _ascii_words(text, max_length) or "su-kien"


def search_key(text: str, max_length: int = 600) -> str:
    """Lower case without diacritics, for searches that work however people type Vietnamese."""
    return _ascii_words(text, max_length).replace("-", " ")


# Characters that end a line somewhere (mail headers, SMS, iCalendar properties) or that no column stores:
# CR, LF, NUL, the other C0 controls but tab, NEL, and Word's line and paragraph separators.
LINE_BREAKERS = "".join(chr(c) for c in range(32) if c != 9) + "\x7f\x85\u2028\u2029"
_LINE_BREAKERS = re.compile(f"[{re.escape(LINE_BREAKERS)}]")


def has_line_breakers(text: str | None) -> bool:
    return bool(text) and _LINE_BREAKERS.search(text) is not None


def one_line(text: str | None) -> str:
    """Text for a single-line place (a header, a calendar SUMMARY, an SMS): breaks become one space."""
    return " ".join(_LINE_BREAKERS.sub(" ", text or "").replace("\t", " ").split())


def normalise_pasted(text: str | None) -> str:
    """Pasted multi-line text: CR LF and CR, NEL, line and paragraph separators become LF; NUL and other
    controls go."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").translate(
        {0x85: "\n", 0x2028: "\n", 0x2029: "\n\n"})
    return "".join(c for c in text if c in "\n\t" or not (ord(c) < 32 or ord(c) == 0x7f))


# A secret link's key, wherever a URL is written down (access logs, error logs): /tickets/<access key>/…
SECRET_PATH = re.compile(r"(/tickets/)[^/?#\s\"]+")


def redact_secrets(text: str) -> str:
    return SECRET_PATH.sub(r"\1…", text)
