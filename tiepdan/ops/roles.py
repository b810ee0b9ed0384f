"""``tiepdan serve --role``: which of the supervised processes one command runs.

``all`` (the default) is the embedded single-machine product: the web server, the Huey worker
and Janus.  In production each role is its own systemd unit (docs/deploy.md): ``web`` (uvicorn:
pages, API, WebSockets, /healthz, /readyz, /metrics), ``worker`` (Huey: deliveries, documents,
recordings post-processing, periodic jobs) and ``media`` (Janus and, with TURN_EMBEDDED,
coturn, both written from the app's configuration).
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROLES = ("all", "web", "worker", "media")
# The supervisor's service names and the role each belongs to.
SERVICE_ROLES = {"web": "web", "worker": "worker", "janus": "media", "coturn": "media"}


def runs(role: str, service: str) -> bool:
    return role == "all" or SERVICE_ROLES.get(service) == role


def prepare_metrics(services: list, metrics_dir: Path) -> None:
    """Give each Python service its own multiprocess metrics directory, METRICS_DIR/<service>,
    emptied at start (the counters of an earlier life are gone; Prometheus sees a reset).  The
    web role's /metrics merges every service's directory of this machine."""
    for service in services:
        if service.name not in ("web", "worker"):
            continue
        directory = metrics_dir / service.name
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True, exist_ok=True)
        service.env = {
            **(service.env or {}),
            "PROMETHEUS_MULTIPROC_DIR": str(directory),
            "TIEPDAN_METRICS_ROLE": service.name,
        }
