"""ASGI entry point: HTTP through Django; WebSockets for the hearing room (tiepdan.media)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiepdan.settings")

django_asgi_app = get_asgi_application()  # sets Django up before the consumers are imported

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from tiepdan.core.body_limit import BodyLimitMiddleware  # noqa: E402
from tiepdan.media.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter({
    "http": BodyLimitMiddleware(django_asgi_app),
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(
        # Django's path() is typed to return a URLPattern, channels' stubs want their own
        # subtype of it (one whose callback is an ASGI application): the same object.
        websocket_urlpatterns,  # type: ignore[arg-type]
    ))),
})
