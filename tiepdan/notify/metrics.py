"""Failed delivery attempts counted for Prometheus where they happen (``/metrics``, served by
``tiepdan.ops``, exports every counter of the process's registry)."""

from __future__ import annotations

from prometheus_client import Counter

DELIVERY_FAILURES = Counter(
    "tiepdan_delivery_failures_total",
    "Failed delivery attempts (mail, SMS, ZNS) by channel; final=true when given up.",
    ["channel", "final"],
)


def delivery_failed(channel: str, final: bool) -> None:
    DELIVERY_FAILURES.labels(channel=channel, final="true" if final else "false").inc()
