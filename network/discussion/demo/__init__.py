"""Demo rooms and messages for ``manage.py seed_demo`` (idempotent), from ``rooms.toml``."""

from pathlib import Path

from django.contrib.auth import get_user_model

from network.demo_data import DemoDataError, Table, read, text
from network.discussion import services
from network.discussion.models import Room

ROOMS = Path(__file__).with_name("rooms.toml")
TABLES = (
    Table("rooms", keys={"title": text, "description": text}, required=("title",), label="title"),
    Table("messages", keys={"room": text, "author": text, "body": text}, required=("room", "author", "body")),
)

FILES = {ROOMS: TABLES}


def seed_rooms(stdout=None):
    """Create the topic rooms and a few messages from the demo accounts."""
    data = read(ROOMS, *TABLES)
    rooms = {}
    for spec in data["rooms"]:
        title = spec["title"]
        room = Room.objects.filter(title=title, kind=Room.Kind.TOPIC).first()
        if room is None:
            room = services.create_room(
                kind=Room.Kind.TOPIC, title=title, description=spec.get("description", ""), by=None
            )
            if stdout:
                stdout.write(f"  room {title}")
        rooms[title] = room
    for spec in data["messages"]:
        author = get_user_model().objects.filter(email=spec["author"]).first()
        room = rooms.get(spec["room"])
        if room is None:
            raise DemoDataError(f"{ROOMS.name}: a message to {spec['room']!r}, which is not among [[rooms]]")
        if author is None or room.messages.filter(author=author, body=spec["body"]).exists():
            continue
        services.post_message(room, by=author, body=spec["body"])
    return rooms
