"""Set up and read the database of the live (daphne subprocess) tests.

Run as ``python -m tests.discussion.live_tool seed N`` (a verified member
with a session for each of N users, and a topic room) or ``... dump SLUG``
(the room's messages) or ``... lose SLUG USER_ID BODY`` (a stored message
whose broadcast never leaves). Prints JSON. Uses the subprocesses' settings and
database, which the test process itself never opens.
"""

import json
import sys
import uuid

import django


def seed(count):
    from django.db import transaction

    from network.discussion import services
    from network.discussion.models import Room

    tag = uuid.uuid4().hex[:8]
    room = services.create_room(kind=Room.Kind.TOPIC, title=f"Live {tag}", by=None)
    with transaction.atomic():  # one commit: hundreds of members in seconds
        users = [_member(f"{tag}-{n}") for n in range(count)]
    return {"room": room.slug, "users": users}


def _member(tag):
    """A verified member and an open session for them."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from members.models import User

    email = f"live-{tag}@example.org"
    user = User.objects.create_user(email=email, password=None, display_name=f"Live {tag}")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"id": user.pk, "name": user.display_name, "session": session.session_key}


def dump(slug):
    from network.discussion.models import Message

    return [
        {"id": m.id, "seq": m.seq, "body": m.body, "deleted": m.deleted}
        for m in Message.objects.filter(room__slug=slug).order_by("id")
    ]


def lose(slug, user_id, body):
    """Store a message whose broadcast is lost (as when Redis restarts mid-send)."""
    from members.models import User
    from network.discussion import broadcast, services
    from network.discussion.models import Room

    with broadcast.collected():  # the committed broadcast is collected here and dropped
        message, _created = services.post_message(
            Room.objects.get(slug=slug), by=User.objects.get(pk=user_id), body=body
        )
    return {"id": message.id, "seq": message.seq}


if __name__ == "__main__":
    django.setup()
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "seed":
        result = seed(int(arguments[0]))
    elif command == "lose":
        result = lose(*arguments)
    else:
        result = dump(arguments[0])
    sys.stdout.write(json.dumps(result))
