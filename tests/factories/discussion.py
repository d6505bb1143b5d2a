import factory

from network.discussion.models import Message, Room, RoomMembership
from network.discussion.rendering import render_body
from tests.factories.members import VerifiedUserFactory


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    title = factory.Sequence(lambda n: f"Salon {n}")
    slug = factory.Sequence(lambda n: f"salon-{n}")
    kind = Room.Kind.TOPIC
    # What the owning app would give (topic rooms are public); pass it for any other kind.
    visibility = factory.LazyAttribute(
        lambda room: Room.Visibility.PUBLIC if room.kind == Room.Kind.TOPIC else Room.Visibility.MEMBERS
    )


class RoomMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoomMembership

    room = factory.SubFactory(RoomFactory)
    user = factory.SubFactory(VerifiedUserFactory)


class MessageFactory(factory.django.DjangoModelFactory):
    """A stored message (bypasses the services: for read-side tests only)."""

    class Meta:
        model = Message

    room = factory.SubFactory(RoomFactory)
    author = factory.SubFactory(VerifiedUserFactory)
    body = factory.Sequence(lambda n: f"Message {n}")
    html = factory.LazyAttribute(lambda o: render_body(o.body))
