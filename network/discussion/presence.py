"""Who is connected to a room, kept in the shared cache (Redis in production).

One key per connection (``channel_name``) expiring after ``presence_ttl``
unless the connection sends a frame (the JS pings every 30 s), plus a per-room
index of connection keys. A lost index update (two processes writing at once)
is repaired at the connection's next frame; a dead process's connections
simply expire. No process keeps presence in its own memory.
"""

from django.core.cache import cache

from network.discussion import conf


def _index_key(room_id):
    return f"discussion:presence:{room_id}"


def _conn_key(room_id, channel_name):
    return f"discussion:presence:{room_id}:{channel_name}"


def _add_to_index(room_id, channel_name):
    index = cache.get(_index_key(room_id)) or []
    if channel_name not in index:
        index.append(channel_name)
    cache.set(_index_key(room_id), index, timeout=conf.presence_ttl() * 2)


def join(room_id, user, channel_name):
    cache.set(
        _conn_key(room_id, channel_name),
        {"id": user.pk, "name": user.display_name},
        timeout=conf.presence_ttl(),
    )
    _add_to_index(room_id, channel_name)


def touch(room_id, user, channel_name):
    """Keep the connection present; re-register it if its key expired or the index lost it."""
    if not cache.touch(_conn_key(room_id, channel_name), conf.presence_ttl()):
        join(room_id, user, channel_name)
        return
    if channel_name not in (cache.get(_index_key(room_id)) or []):
        _add_to_index(room_id, channel_name)


def leave(room_id, channel_name):
    cache.delete(_conn_key(room_id, channel_name))
    index = cache.get(_index_key(room_id)) or []
    if channel_name in index:
        index.remove(channel_name)
        cache.set(_index_key(room_id), index, timeout=conf.presence_ttl() * 2)


def present_users(room_id):
    """``[{"id", "name"}]`` of the members connected to the room, each once, by name."""
    index = cache.get(_index_key(room_id)) or []
    if not index:
        return []
    found = cache.get_many([_conn_key(room_id, channel) for channel in index])
    users = {entry["id"]: entry for entry in found.values()}
    return sorted(users.values(), key=lambda entry: entry["name"].lower())
