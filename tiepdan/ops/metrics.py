"""Prometheus metrics (prometheus-client).

Two kinds:

* **Events** counted where they happen — requests by route and status with their latency,
  finished and failed background jobs, failed deliveries (``notify.metrics``).  Counters and
  histograms are multiprocess-safe: when ``PROMETHEUS_MULTIPROC_DIR`` is set (``tiepdan serve``
  sets it for every role it starts) each process writes its own files and a scrape adds them up,
  so several uvicorn workers and the Huey worker of one machine are reported together.  The
  files of every role live under one directory (``METRICS_DIR/<role>``) and the web role's
  ``/metrics`` merges them all.
* **State** read at scrape time from the database and the queue — jobs waiting, live rooms and
  connected members per Janus node, recordings waiting for processing, failed deliveries.
  Every web process reports the same figures: aggregate them with ``max``, not ``sum``.
  Each Janus node's load (its open sessions) comes from its admin API at each scrape.
"""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

log = logging.getLogger(__name__)

REQUESTS = Counter(
    "tiepdan_http_requests_total",
    "HTTP requests by route (URL name), method and status.",
    ["route", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "tiepdan_http_request_duration_seconds",
    "Time to answer an HTTP request, by route.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
JOBS_FINISHED = Counter(
    "tiepdan_jobs_finished_total",
    "Background (Huey) jobs that ran, by task and outcome.",
    ["task", "outcome"],
)


class StateCollector:
    """Figures read from the database and the job queue at each scrape.

    Its models and the Huey instance are imported inside the methods: this module is imported
    by ``ops.jobs``, the Huey class, which djhuey builds before the apps are ready."""

    def collect(self) -> Iterator[Metric]:
        for produce in (
            self._queue,
            self._rooms,
            self._nodes,
            self._recordings,
            self._deliveries,
        ):
            try:
                yield from produce()
            except Exception:  # a part that is down must not take /metrics down with it
                log.warning("metrics: %s failed", produce.__name__, exc_info=True)

    def _queue(self) -> Iterator[Metric]:
        from huey.contrib.djhuey import HUEY

        depth = GaugeMetricFamily(
            "tiepdan_jobs_queued", "Background jobs waiting, by kind.", labels=["kind"]
        )
        depth.add_metric(["pending"], HUEY.pending_count())
        depth.add_metric(["scheduled"], HUEY.scheduled_count())
        yield depth

    def _rooms(self) -> Iterator[Metric]:
        from django.db.models import Count

        from tiepdan.media.models import HearingRoom, RoomSeat, RoomState

        from .health import janus_nodes

        # A room stays on the node it was placed on (media.placement); one placed before
        # the nodes were registered is on the embedded one.  Labelled by API URL.
        urls = [url for _name, url, _secret in janus_nodes()]
        embedded = urls[0] if urls else ""
        rooms = GaugeMetricFamily(
            "tiepdan_live_rooms", "Open hearing rooms, by Janus node.", labels=["janus_node"]
        )
        members = GaugeMetricFamily(
            "tiepdan_live_room_members",
            "Devices connected to open hearing rooms, by Janus node.",
            labels=["janus_node"],
        )
        room_counts: dict[str, int] = dict.fromkeys(urls, 0)
        for url, n in (
            HearingRoom.objects.filter(state=RoomState.OPEN)
            .values_list("node__api_url")
            .annotate(n=Count("id"))
        ):
            key = (url or embedded).rstrip("/")
            room_counts[key] = room_counts.get(key, 0) + n
        seat_counts: dict[str, int] = dict.fromkeys(urls, 0)
        for url, n in (
            RoomSeat.objects.filter(room__state=RoomState.OPEN)
            .values_list("room__node__api_url")
            .annotate(n=Count("id"))
        ):
            key = (url or embedded).rstrip("/")
            seat_counts[key] = seat_counts.get(key, 0) + n
        for url, n in room_counts.items():
            rooms.add_metric([url], n)
        for url, n in seat_counts.items():
            members.add_metric([url], n)
        yield rooms
        yield members
        yield from self._janus_load()

    def _janus_load(self) -> Iterator[Metric]:
        from .health import janus_sessions

        up = GaugeMetricFamily(
            "tiepdan_janus_up", "Whether the Janus node's admin API answers.", labels=["janus_node"]
        )
        sessions = GaugeMetricFamily(
            "tiepdan_janus_sessions",
            "Open sessions on the Janus node (its load).",
            labels=["janus_node"],
        )
        for node, count in janus_sessions():
            up.add_metric([node], 0 if count is None else 1)
            if count is not None:
                sessions.add_metric([node], count)
        yield up
        yield sessions

    def _nodes(self) -> Iterator[Metric]:
        """The Janus nodes as their last health check saw them (media.janus_nodes)."""
        from tiepdan.media.models import JanusNode

        up = GaugeMetricFamily(
            "tiepdan_janus_node_up", "1 when the node answered its last check.", labels=["node"]
        )
        sessions = GaugeMetricFamily(
            "tiepdan_janus_node_sessions", "Janus API sessions on the node.", labels=["node"]
        )
        capacity = GaugeMetricFamily(
            "tiepdan_janus_node_capacity_rooms", "Concurrent rooms the node takes.", labels=["node"]
        )
        for node in JanusNode.objects.filter(enabled=True):
            up.add_metric([node.name], int(node.healthy))
            sessions.add_metric([node.name], node.sessions)
            capacity.add_metric([node.name], node.capacity_rooms)
        yield up
        yield sessions
        yield capacity

    def _recordings(self) -> Iterator[Metric]:
        from tiepdan.media.models import HearingRoom, ProcessingState

        waiting = GaugeMetricFamily(
            "tiepdan_recordings_processing",
            "Hearing recordings not yet processed, by state.",
            labels=["state"],
        )
        for state in (ProcessingState.QUEUED, ProcessingState.PROCESSING, ProcessingState.FAILED):
            waiting.add_metric(
                [state.value], HearingRoom.objects.filter(processing_state=state).count()
            )
        yield waiting

    def _deliveries(self) -> Iterator[Metric]:
        from django.db.models import Count

        from tiepdan.notify.models import Channel, Delivery, DeliveryStatus

        failed = GaugeMetricFamily(
            "tiepdan_deliveries_failed",
            "Deliveries given up (status failed), by channel.",
            labels=["channel"],
        )
        counts = dict(
            Delivery.objects.filter(status=DeliveryStatus.FAILED)
            .values_list("channel")
            .annotate(n=Count("id"))
            .values_list("channel", "n")
        )
        for channel in Channel:
            failed.add_metric([channel.value], counts.get(channel.value, 0))
        yield failed


class AllRolesCollector:
    """The counters and histograms of every process of every role on this machine."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def collect(self) -> Iterator[Metric]:
        files = glob.glob(str(self.root / "*" / "*.db")) + glob.glob(str(self.root / "*.db"))
        return iter(MultiProcessCollector.merge(files, accumulate=True))


def multiprocess_root() -> Path | None:
    """The directory holding every role's metric files, or None in single-process mode."""
    current = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not current:
        return None
    path = Path(current)
    # tiepdan serve gives each role METRICS_DIR/<role>; a hand-set directory is used as is.
    return path.parent if os.environ.get("TIEPDAN_METRICS_ROLE") else path


def registry() -> CollectorRegistry:
    root = multiprocess_root()
    if root is None:
        scrape = CollectorRegistry(auto_describe=False)
        scrape.register(_Forward(REGISTRY))
    else:
        scrape = CollectorRegistry(auto_describe=False)
        scrape.register(AllRolesCollector(root))
    scrape.register(StateCollector())
    return scrape


class _Forward:
    """This process's own metrics (single-process mode)."""

    def __init__(self, source: CollectorRegistry) -> None:
        self.source = source

    def collect(self) -> Iterator[Metric]:
        return iter(self.source.collect())


def exposition() -> tuple[bytes, str]:
    return generate_latest(registry()), CONTENT_TYPE_LATEST
