"""Zalo Notification Service (ZNS): template messages to a citizen's Zalo account by phone number.

ZNS sends only templates approved by Zalo, so a message is a template id plus its parameters,
never free text. The request (``POST {ZNS_API_URL}/message/template`` with the Official Account's
``access_token`` header and a JSON body ``{phone, template_id, template_data, tracking_id}``) and
the answer (``{"error": 0, "message": "Success", "data": {"msg_id", "sent_time", "quota"}}``, or a
negative ``error`` code with a message) follow Zalo's published ZNS API. Code -100 ("unknown
error, try again later") and transport failures are worth a retry; every other error concerns the
recipient or the template and will not change on retry, so the caller falls back to SMS at once.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

RETRYABLE_CODES = frozenset({-100})


class ZnsError(Exception):
    def __init__(self, message: str, *, code: int | None = None, retryable: bool) -> None:
        super().__init__(message)
        self.code = code
        self.retryable = retryable


@dataclass(frozen=True)
class ZnsReceipt:
    msg_id: str
    sent_time: str


def zalo_phone(e164: str) -> str:
    """ZNS wants the number as 84xxxxxxxxx (no plus sign)."""
    return e164.removeprefix("+")


def template_for(purpose: str) -> str | None:
    return settings.ZNS_TEMPLATES.get(purpose)


def enabled_for(ward_code: int | str) -> bool:
    communes = settings.ZNS_COMMUNES
    return bool(settings.ZNS_ACCESS_TOKEN) and ("*" in communes or str(ward_code) in communes)


class ZnsClient:
    def __init__(self, *, base_url: str | None = None, access_token: str | None = None,
                 timeout: float | None = None) -> None:
        self.base_url = (base_url or settings.ZNS_API_URL).rstrip("/")
        self.access_token = access_token or settings.ZNS_ACCESS_TOKEN
        self.timeout = timeout or settings.ZNS_TIMEOUT

    def send(self, *, phone: str, template_id: str, params: dict[str, str],
             tracking_id: str) -> ZnsReceipt:
        body = json.dumps({
            "phone": zalo_phone(phone), "template_id": template_id,
            "template_data": params, "tracking_id": tracking_id,
        }, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            f"{self.base_url}/message/template", data=body, method="POST",
            headers={"Content-Type": "application/json", "access_token": self.access_token})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise ZnsError(f"HTTP {exc.code}", retryable=exc.code >= 500) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ZnsError(f"ZNS unreachable: {exc}", retryable=True) from exc
        except ValueError as exc:
            raise ZnsError("ZNS answered something that is not JSON", retryable=True) from exc
        code = answer.get("error") if isinstance(answer, dict) else None
        if not isinstance(code, int):
            raise ZnsError("ZNS answer without an error code", retryable=True)
        if code != 0:
            raise ZnsError(f"ZNS error {code}: {answer.get('message', '')}"[:500], code=code,
                           retryable=code in RETRYABLE_CODES)
        data = answer.get("data") or {}
        return ZnsReceipt(msg_id=str(data.get("msg_id", "")),
                          sent_time=str(data.get("sent_time", "")))
