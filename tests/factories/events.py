from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone

from events.models import EventPage, Occurrence, Registration
from events.vocabulary import RegistrationStatus
from tests.factories.members import VerifiedUserFactory


def in_days(days, hour=19, minute=0):
    """An aware datetime ``days`` from today at ``hour``:``minute``, Paris time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour, minute))


class EventPageFactory(wagtail_factories.PageFactory):
    """A live event; pass ``parent`` (the agenda or a venue). Its occurrences are generated
    as a publish would (``publish=False`` to skip)."""

    class Meta:
        model = EventPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Rencontre numéro {n}")
    slug = factory.Sequence(lambda n: f"rencontre-{n}")
    summary = "Une soirée pour se rencontrer entre lieux."
    kind = "meetup"
    start = factory.LazyFunction(lambda: in_days(7))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    street_address = "1 rue de la Paix"
    live = True

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)
            obj.save()

    @factory.post_generation
    def publish(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            from events.services import publish_event

            publish_event(obj)
            obj.refresh_from_db()


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A stored registration (bypasses the services: for read-side tests only)."""

    class Meta:
        model = Registration

    occurrence = factory.LazyFunction(lambda: Occurrence.objects.first())
    user = factory.SubFactory(VerifiedUserFactory)
    status = RegistrationStatus.CONFIRMED
