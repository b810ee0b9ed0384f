from django.urls import path

from .consumers import HearingRoomConsumer
from .readiness_consumer import ReadinessConsumer

websocket_urlpatterns = [
    # django-stubs type path() for views only; channels routes ASGI applications with it.
    path("ws/phong-tiep/<int:hearing_id>/", HearingRoomConsumer.as_asgi()),  # type: ignore[arg-type]
    path("ws/kiem-tra/<int:hearing_id>/", ReadinessConsumer.as_asgi()),  # type: ignore[arg-type]
]
