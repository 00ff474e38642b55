"""What a channel's transport answers: sent (with the provider's id), or a failure worth retrying, or one
that will never succeed, or (ZNS) one that another channel should carry."""
from dataclasses import dataclass


@dataclass
class Sent:
    provider_id: str | None = None
    parts: int | None = None


class TemporaryFailure(Exception):
    """The provider is unreachable, busy or rate-limiting: retry later with back-off."""


class PermanentFailure(Exception):
    """This message cannot be sent this way (refused recipient, bad request)."""


class Reroute(Exception):
    """ZNS cannot reach this person (no Zalo account, template refused, quota): send it by SMS instead."""


@dataclass
class HttpAnswer:
    status: int
    text: str


def http(method: str, url: str, *, params: dict | None = None, body: bytes | None = None,
         headers: dict | None = None, timeout: float = 10) -> HttpAnswer:
    """One HTTP request with the standard library; a network error or timeout is a TemporaryFailure."""
    import urllib.error
    import urllib.parse
    import urllib.request

    if params:
        url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured provider URL)
            return HttpAnswer(response.status, response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        return HttpAnswer(error.code, error.read().decode("utf-8", "replace"))
    except (TimeoutError, urllib.error.URLError, OSError) as error:
        raise TemporaryFailure(f"{urllib.parse.urlsplit(url).netloc}: {error}") from error
