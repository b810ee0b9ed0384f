"""ASGI entry point: HTTP through Django's synchronous handler on a thread pool
(tiepdan.core.sync_http); WebSockets for the hearing room (tiepdan.media)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiepdan.settings")

django.setup(set_prefix=False)  # before the consumers and the handler are imported

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from tiepdan.core.body_limit import BodyLimitMiddleware  # noqa: E402
from tiepdan.core.sync_http import SyncHTTPHandler  # noqa: E402
from tiepdan.media.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter({
    "http": BodyLimitMiddleware(SyncHTTPHandler()),
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(
        # Django's path() is typed to return a URLPattern, channels' stubs want their own
        # subtype of it (one whose callback is an ASGI application): the same object.
        websocket_urlpatterns,  # type: ignore[arg-type]
    ))),
})
