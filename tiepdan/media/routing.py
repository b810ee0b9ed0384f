from django.urls import path

from .consumers import HearingRoomConsumer

websocket_urlpatterns = [
    path("ws/phong-tiep/<int:hearing_id>/", HearingRoomConsumer.as_asgi()),
]
