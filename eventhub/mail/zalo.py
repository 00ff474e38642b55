"""Zalo ZNS (template messages of Zalo's official Business API). A message is sent as
POST {ZNS_API_URL}/message/template with the OA's access token in the `access_token` header and
{"phone", "template_id", "template_data", "tracking_id"}; the answer is {"error": 0, "data": {"msg_id": …}}
or an error code. An expired token is refreshed once (POST {ZALO_OAUTH_URL}/oa/access_token with the app's
`secret_key`, grant_type=refresh_token; the refresh token is single-use, so the new pair is stored) and the
message retried; a person who cannot receive ZNS goes by SMS in the same run."""
import json
from datetime import timedelta
from urllib.parse import urlencode

from ..extensions import db
from ..timeutil import utcnow
from .models import ProviderToken
from .sms import international
from .transport import PermanentFailure, Reroute, Sent, TemporaryFailure, http

PROVIDER = "zalo"
# Zalo's error codes (zalo.cloud/zns/guidelines/handle-error-code) by what EventHub does about them.
TOKEN_EXPIRED = {-124, -216}
NOT_REACHABLE = {
    -108: "số điện thoại không hợp lệ", -109: "mẫu ZNS không hợp lệ", -112: "dữ liệu mẫu không hợp lệ",
    -114: "người dùng không nhận ZNS", -115: "hết hạn mức ZNS", -117: "OA không có quyền dùng mẫu",
    -118: "không phải người dùng Zalo", -119: "tài khoản không nhận được ZNS", -131: "mẫu chưa được duyệt",
    -144: "vượt hạn mức trong ngày",
}
RATE_LIMITED = {-100, -138, -139, -140}


def _tokens(config) -> ProviderToken:
    tokens = db.session.get(ProviderToken, PROVIDER)
    if tokens is None:
        tokens = ProviderToken(provider=PROVIDER, access_token=config["ZALO_ACCESS_TOKEN"],
                               refresh_token=config["ZALO_REFRESH_TOKEN"])
        db.session.add(tokens)
        db.session.commit()
    return tokens


def refresh(config) -> ProviderToken:
    tokens = _tokens(config)
    answer = http("POST", f"{config['ZALO_OAUTH_URL'].rstrip('/')}/oa/access_token",
                  body=urlencode({"refresh_token": tokens.refresh_token, "app_id": config["ZALO_APP_ID"],
                                  "grant_type": "refresh_token"}).encode(),
                  headers={"secret_key": config["ZALO_SECRET_KEY"],
                           "Content-Type": "application/x-www-form-urlencoded"})
    try:
        payload = json.loads(answer.text)
        tokens.access_token, tokens.refresh_token = payload["access_token"], payload["refresh_token"]
    except (ValueError, KeyError, TypeError) as error:
        raise TemporaryFailure(f"zalo token refresh failed ({answer.status}): {answer.text[:200]}") from error
    tokens.expires_at = utcnow() + timedelta(seconds=int(payload.get("expires_in") or 0))
    tokens.updated_at = utcnow()
    db.session.commit()
    return tokens


# A parameter's length when its template does not say (the longest text parameter Zalo's template editor allows).
DEFAULT_PARAM_LENGTH = 100


def template_spec(config, template: str | None) -> tuple[str | None, dict[str, int]]:
    """The approved ZNS template for an EventHub template, and its parameters' maximum lengths: ZNS_TEMPLATES maps
    a name to the template id, or to {"id": …, "params": {"customer_name": 30, …}} as the template was approved
    (Zalo refuses a parameter the template lacks, or one longer than its max_length, with -112)."""
    spec = config["ZNS_TEMPLATES"].get(template or "")
    if isinstance(spec, dict):
        return spec.get("id"), {str(name): int(length) for name, length in (spec.get("params") or {}).items()}
    return spec, {}


def fit_parameters(data: dict[str, str], limits: dict[str, int]) -> dict[str, str]:
    """The template's own parameters (all given ones when it declares none), each cut to its length with "…"."""
    fitted = {}
    for name, value in data.items():
        if limits and name not in limits:
            continue
        text, limit = str(value), limits.get(name, DEFAULT_PARAM_LENGTH)
        fitted[name] = text if len(text) <= limit else text[:max(limit - 1, 0)].rstrip() + "…"
    return fitted


class ZnsTransport:
    def __init__(self, config):
        self.config = config

    def send(self, message, rendered, **_options) -> Sent:
        template_id, limits = template_spec(self.config, message.template)
        if not template_id or not rendered.zns:
            raise Reroute("ZNS: chưa có mẫu ZNS cho thông báo này")
        body = json.dumps({"phone": international(message.recipient), "template_id": template_id,
                           "template_data": fit_parameters(rendered.zns, limits),
                           "tracking_id": message.idempotency_key}).encode()
        for attempt in range(2):
            answer = http("POST", f"{self.config['ZNS_API_URL'].rstrip('/')}/message/template", body=body,
                          headers={"access_token": _tokens(self.config).access_token,
                                   "Content-Type": "application/json"}, timeout=self.config["ZNS_TIMEOUT"])
            if answer.status == 429:
                raise TemporaryFailure("ZNS: rate limited (HTTP 429)")
            if answer.status >= 500:
                raise TemporaryFailure(f"ZNS: HTTP {answer.status}")
            try:
                payload = json.loads(answer.text)
                code = int(payload.get("error", -1))
            except (ValueError, TypeError, AttributeError) as error:
                raise TemporaryFailure(f"ZNS: unreadable answer ({answer.status})") from error
            if code == 0:
                return Sent(provider_id=str((payload.get("data") or {}).get("msg_id") or ""))
            if code in TOKEN_EXPIRED and attempt == 0:
                refresh(self.config)
                continue
            if code in NOT_REACHABLE:
                raise Reroute(f"ZNS {code}: {NOT_REACHABLE[code]}")
            if code in RATE_LIMITED or code in TOKEN_EXPIRED:
                raise TemporaryFailure(f"ZNS {code}: {payload.get('message', '')}"[:300])
            raise PermanentFailure(f"ZNS {code}: {payload.get('message', '')}"[:300])
        raise TemporaryFailure("ZNS: token refresh did not help")
