"""Pluggable SMS gateway: communes contract different providers; the default only logs."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway could not take the message; the delivery is retried, then marked failed."""


class SmsGateway(Protocol):
    def send(self, to: str, text: str) -> str:
        """Send ``text`` to the E.164 number ``to``; return the provider's message id."""
        ...


class LoggingSmsGateway:
    """The default gateway: writes the message to the log and reports success."""

    def send(self, to: str, text: str) -> str:
        log.info("SMS (not sent, logging gateway) to %s: %s", to, text)
        return "logged"


@lru_cache(maxsize=4)
def _gateway_class(path: str) -> type:
    return import_string(path)


def gateway() -> SmsGateway:
    return _gateway_class(settings.SMS_GATEWAY)()
