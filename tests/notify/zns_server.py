"""A local server that speaks Zalo's ZNS "send template message" API (no Zalo account is
reachable from here): it checks each request the way ZNS documents it and answers in ZNS's
shapes, so the adapter is tested against the protocol, not against itself."""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PHONE = re.compile(r"^84\d{9,10}$")


@dataclass
class ZnsTemplate:
    template_id: str
    params: dict[str, int]  # parameter name -> maximum length


@dataclass
class ZnsState:
    access_token: str
    templates: dict[str, ZnsTemplate]
    no_zalo: set[str] = field(default_factory=set)  # phones without a Zalo account
    unknown_errors: int = 0  # answer -100 this many times before behaving
    requests: list[dict] = field(default_factory=list)
    daily_quota: int = 500


def _answer(state: ZnsState, headers, raw: bytes) -> dict:
    if headers.get("access_token") != state.access_token:
        return {"error": -124, "message": "Access token invalid"}
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {"error": -112, "message": "Template data invalid"}
    state.requests.append(body)
    if state.unknown_errors > 0:
        state.unknown_errors -= 1
        return {"error": -100, "message": "Unknown error"}
    phone = body.get("phone")
    if not isinstance(phone, str) or not PHONE.match(phone):
        return {"error": -108, "message": "Phone number invalid"}
    template = state.templates.get(body.get("template_id"))
    if template is None:
        return {"error": -109, "message": "Template ID invalid"}
    data = body.get("template_data")
    if not data:
        return {"error": -111, "message": "Template data empty"}
    if (not isinstance(data, dict) or set(data) != set(template.params)
            or any(not isinstance(v, str) or len(v) > template.params[k] for k, v in data.items())):
        return {"error": -112, "message": "Template data invalid"}
    if phone in state.no_zalo:
        return {"error": -118, "message": "Zalo account not existed"}
    state.daily_quota -= 1
    return {"error": 0, "message": "Success", "data": {
        "msg_id": uuid.uuid4().hex, "sent_time": str(int(time.time() * 1000)),
        "quota": {"dailyQuota": "500", "remainingQuota": str(state.daily_quota)}}}


class ZnsServer:
    def __init__(self, state: ZnsState) -> None:
        self.state = state

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != "/message/template":
                    answer = {"error": -106, "message": "Method unsupported"}
                else:
                    answer = _answer(state, self.headers, raw)
                payload = json.dumps(answer).encode()
                self.send_response(200)  # ZNS reports errors in the body, with HTTP 200
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ZnsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
