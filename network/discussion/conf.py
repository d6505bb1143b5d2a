"""Tunables of the discussion space, read from settings with defaults.

Each is a function so that tests (and ``override_settings``) see changes.
"""

from django.conf import settings


def max_length():
    """Longest message body, in characters."""
    return getattr(settings, "DISCUSSION_MAX_LENGTH", 4000)


def page_size():
    """Messages shown per page of history."""
    return getattr(settings, "DISCUSSION_PAGE_SIZE", 50)


def rate_limit():
    """``(messages, seconds)``: how many posts and edits a member may make per window."""
    return getattr(settings, "DISCUSSION_RATE_LIMIT", (10, 10))


def presence_ttl():
    """Seconds a connection stays "present" without a frame (the JS pings every 30 s)."""
    return getattr(settings, "DISCUSSION_PRESENCE_TTL", 90)


def replay_batch():
    """Rows fetched per query while replaying missed events to a reconnecting client."""
    return getattr(settings, "DISCUSSION_REPLAY_BATCH", 200)


def presence_delay():
    """Seconds a process gathers joins and leaves of a room before announcing
    who is present (one frame for a burst of connections, not one per join)."""
    return getattr(settings, "DISCUSSION_PRESENCE_DELAY", 1.0)


def max_frame_length():
    """Longest text frame a client may send, in characters, checked before JSON
    parsing: a body of ``max_length()`` characters, each written as a JSON
    escape pair, fits."""
    return getattr(settings, "DISCUSSION_MAX_FRAME_LENGTH", 16 * max_length() + 1024)


def typing_interval():
    """Seconds between two typing frames of one socket that are passed on; the
    others are dropped (typing is a hint, and each costs a fan-out)."""
    return getattr(settings, "DISCUSSION_TYPING_INTERVAL", 2.0)


def max_upload_size():
    """Largest file a member may attach to a message, in bytes."""
    return getattr(settings, "DISCUSSION_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)


def max_image_side():
    """Longest side, in pixels, of an attached image once re-encoded."""
    return getattr(settings, "DISCUSSION_MAX_IMAGE_SIDE", 2048)


def thumbnail_side():
    """Longest side, in pixels, of an attached image's thumbnail."""
    return getattr(settings, "DISCUSSION_THUMBNAIL_SIDE", 320)


def search_page_size():
    """Results per page of the discussion search."""
    return getattr(settings, "DISCUSSION_SEARCH_PAGE_SIZE", 20)
