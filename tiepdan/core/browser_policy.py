"""Permissions-Policy: no page may use the camera, the microphone or other powerful features,
except the hearing room and the readiness check, which need the camera and the microphone."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

_DENIED = ("accelerometer", "autoplay", "display-capture", "geolocation",
           "gyroscope", "hid", "magnetometer", "midi", "payment", "serial", "usb",
           "publickey-credentials-get", "screen-wake-lock", "xr-spatial-tracking")
_HEADER = "Permissions-Policy"


def _policy(allowed: tuple[str, ...]) -> str:
    parts = [f"{feature}=(self)" for feature in allowed]
    parts += [f"{feature}=()" for feature in ("camera", "microphone", *_DENIED)
              if feature not in allowed]
    return ", ".join(parts)


DEFAULT_POLICY = _policy(())
MEDIA_POLICY = _policy(("camera", "microphone", "autoplay"))


def allow_camera_and_microphone(response: HttpResponse) -> HttpResponse:
    """For the hearing-room and readiness pages only."""
    response[_HEADER] = MEDIA_POLICY
    return response


class PermissionsPolicyMiddleware(MiddlewareMixin):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if _HEADER not in response:
            response[_HEADER] = DEFAULT_POLICY
        return response
