"""WebSocket routes of the discussion space (filled by the discussion issue)."""

websocket_urlpatterns = []
