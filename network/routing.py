"""Every WebSocket route of the site, gathered from the apps."""

from network.discussion.routing import websocket_urlpatterns as discussion_routes

websocket_urlpatterns = [*discussion_routes]
