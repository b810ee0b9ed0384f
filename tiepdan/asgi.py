"""ASGI entry point: HTTP through Django; WebSockets (hearing room) arrive with the media app."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiepdan.settings")

application = get_asgi_application()
