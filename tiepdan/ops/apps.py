from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations (no models): probes, metrics, logs, and ``tiepdan serve``, which supervises
    the web server, the worker and the media servers.  The top of the layers: it may read every
    app, none reads it."""

    name = "tiepdan.ops"
    label = "ops"
