"""WebSocket routes of the discussion space."""

from django.urls import path

from network.discussion.consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/discussions/<slug:slug>/", RoomConsumer.as_asgi()),
]
