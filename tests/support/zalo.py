"""A local HTTP server that follows Zalo's documented ZNS contract (zalo.cloud/zns): POST /message/template
with the `access_token` header and {"phone", "template_id", "template_data", "tracking_id"} answers
{"error": 0, "data": {"msg_id", "sent_time", "quota"}} or an error code; POST /oa/access_token with the
`secret_key` header and a form (refresh_token, app_id, grant_type=refresh_token) returns a new token pair and
invalidates the old refresh token. Tests set who has no Zalo account, expire the token, rate-limit or stall."""
import json
import secrets
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

APP_ID, SECRET_KEY = "1234567890", "zalo-app-secret"


class ZaloState:
    def __init__(self):
        self.access_token, self.refresh_token = "access-1", "refresh-1"
        self.not_zalo_users: set[str] = set()
        # template id → {parameter: max_length}, as the template was approved: anything else is -112
        self.templates: dict[str, dict[str, int]] = {}
        self.rate_limited = False
        self.out_of_quota = False
        self.stall_seconds = 0.0
        self.sent: list[dict] = []
        self.refreshes = 0
        self.lock = threading.Lock()

    def expire_token(self):
        self.access_token = f"access-{secrets.token_hex(4)}"  # the one the app holds is no longer valid


def _handler(state: ZaloState):
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, payload: dict):
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            if self.path == "/oa/access_token":
                form = {k: v[0] for k, v in parse_qs(raw).items()}
                with state.lock:
                    if (self.headers.get("secret_key") != SECRET_KEY or form.get("app_id") != APP_ID
                            or form.get("grant_type") != "refresh_token"
                            or form.get("refresh_token") != state.refresh_token):
                        return self._answer(400, {"error": -14014, "message": "Invalid refresh token"})
                    state.refreshes += 1
                    state.access_token = f"access-{secrets.token_hex(4)}"
                    state.refresh_token = f"refresh-{secrets.token_hex(4)}"
                    return self._answer(200, {"access_token": state.access_token,
                                              "refresh_token": state.refresh_token, "expires_in": "90000"})
            if self.path != "/message/template":
                return self._answer(404, {"error": -106, "message": "Method unsupported"})
            if state.stall_seconds:
                time.sleep(state.stall_seconds)
            payload = json.loads(raw or "{}")
            with state.lock:
                if self.headers.get("access_token") != state.access_token:
                    return self._answer(200, {"error": -124, "message": "Access token invalid"})
                if state.rate_limited:
                    return self._answer(429, {"error": -139, "message": "Request exceeded rate limit"})
                if not all(payload.get(k) for k in ("phone", "template_id", "template_data", "tracking_id")):
                    return self._answer(200, {"error": -112, "message": "Template data invalid"})
                limits = state.templates.get(payload["template_id"])
                if limits is not None and any(name not in limits or len(str(value)) > limits[name]
                                              for name, value in payload["template_data"].items()):
                    return self._answer(200, {"error": -112, "message": "Template data invalid"})
                if state.out_of_quota:
                    return self._answer(200, {"error": -144, "message": "OA has exceeded the daily quota"})
                if payload["phone"] in state.not_zalo_users:
                    return self._answer(200, {"error": -118, "message": "Zalo account not existed"})
                msg_id = secrets.token_hex(10)
                state.sent.append({**payload, "msg_id": msg_id})
            return self._answer(200, {"error": 0, "message": "Success", "data": {
                "msg_id": msg_id, "sent_time": str(int(time.time() * 1000)),
                "quota": {"dailyQuota": "500", "remainingQuota": "499"}}})

        def log_message(self, *args):
            pass

    return Handler


@contextmanager
def zalo_server():
    state = ZaloState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
