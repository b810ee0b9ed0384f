from django.urls import path

from .consumers import HearingRoomConsumer
from .readiness_consumer import ReadinessConsumer

websocket_urlpatterns = [
    path("ws/phong-tiep/<int:hearing_id>/", HearingRoomConsumer.as_asgi()),
    path("ws/kiem-tra/<int:hearing_id>/", ReadinessConsumer.as_asgi()),
]
