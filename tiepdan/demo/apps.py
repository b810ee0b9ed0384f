from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic demo data; depends on every domain app, nothing depends on it."""

    name = "tiepdan.demo"
    label = "demo"
