"""Demo rooms and messages for ``manage.py seed_demo`` (idempotent)."""

from django.contrib.auth import get_user_model

from network.discussion import services
from network.discussion.models import Room

TOPIC_ROOMS = [
    ("Général", "Les nouvelles du réseau et tout ce qui ne rentre pas ailleurs."),
    ("Fab labs", "Machines, ateliers de fabrication, projets partagés."),
    ("Médiation numérique", "Accompagner les publics vers le numérique."),
    ("Financements et appels à projets", "Subventions, appels à projets, montages financiers."),
]
DEMO_MESSAGES = [
    # room title, author email, body
    ("Général", "membre@example.org", "Bonjour à toutes et à tous ! Ravi·e de rejoindre le réseau."),
    ("Général", "lieu@example.org", "Bienvenue @CamilleMembre ! Passez nous voir à **La Coroutine**."),
    (
        "Fab labs",
        "lieu@example.org",
        "Notre découpeuse laser est de nouveau en service :\n\n- bois\n- carton\n- acrylique",
    ),
    (
        "Financements et appels à projets",
        "membre@example.org",
        "Quelqu'un a déjà répondu à l'appel à projets *Fabriques de territoire* ?",
    ),
]


def seed_rooms(stdout=None):
    """Create the four topic rooms and a few messages from the demo accounts."""
    rooms = {}
    for title, description in TOPIC_ROOMS:
        room = Room.objects.filter(title=title, kind=Room.Kind.TOPIC).first()
        if room is None:
            room = services.create_room(kind=Room.Kind.TOPIC, title=title, description=description, by=None)
            if stdout:
                stdout.write(f"  room {title}")
        rooms[title] = room
    for title, email, body in DEMO_MESSAGES:
        author = get_user_model().objects.filter(email=email).first()
        room = rooms[title]
        if author is None or room.messages.filter(author=author, body=body).exists():
            continue
        services.post_message(room, by=author, body=body)
    return rooms
