"""Demo events for ``manage.py seed_demo``, from ``events.toml``.

A monthly network meetup, venue workshops, open days and public guided visits
across several demo venues over the next three months, and a few past ones for
the archives. Several have a limited capacity and registrations by the demo
accounts; the guided visit of La Ruche is full with a waiting list, and
``membre@example.org`` is left free to register for most upcoming ones.
Dates are relative to today, so the demo never goes stale; every step is
idempotent (an existing slug is left as it is).
"""

from contextlib import suppress
from pathlib import Path

from events.errors import ServiceError
from events.models import EventIndexPage, EventPage, Registration
from events.services import register_for_event
from events.vocabulary import RegistrationStatus
from network.demo_data import (
    DemoDataError,
    Table,
    duration,
    illustration,
    insee_code,
    integer,
    moment,
    read,
    row,
    text,
    texts,
)

EVENTS = Path(__file__).with_name("events.toml")
PICTURE = Table(
    "picture",
    keys={"illustration": illustration, "alt": text},
    required=("illustration", "alt"),
)
TABLES = (
    Table(
        "events",
        keys={
            "venue_page": text,
            "start": moment,
            "duration": duration,
            "venue": text,
            "commune": insee_code,
            "tags": texts,
            "picture": row(PICTURE),
        },
        required=("slug", "title", "kind", "start", "duration"),
        model=EventPage,
    ),
    Table("registrations", keys={"email": text, "event": text, "date": integer}, required=("email", "event")),
    Table(
        "filled_by_others", keys={"event": text, "seats": integer}, required=("event", "seats"), label="event"
    ),
    Table(
        "past_attendance", keys={"event": text, "emails": texts}, required=("event", "emails"), label="event"
    ),
)

FILES = {EVENTS: TABLES}


def _other_demo_users(User, known):
    """Further verified demo accounts other apps created (mentoring's newcomers...), a few."""
    return list(
        User.objects.filter(email__endswith="@example.org", emailaddress__verified=True)
        .exclude(email__in=known)
        .order_by("email")[:6]
    )


def _create_event(parent, fields, *, staff):
    """Publish one event page the way the admin does (page_published -> its occurrences)."""
    from members.demo import demo_image
    from members.models import Commune, VenuePage

    fields = dict(fields)
    fields.pop("venue_page", None)
    tags = fields.pop("tags", [])
    picture = fields.pop("picture", None)
    at_venue = fields.pop("venue", None)
    commune_code = fields.pop("commune", None)
    fields["end"] = fields["start"] + fields.pop("duration")
    page = EventPage(**fields)
    if at_venue:
        page.venue = VenuePage.objects.filter(slug=at_venue).first()
    if commune_code:
        page.commune = Commune.objects.filter(insee_code=commune_code).first()
    if picture:  # the project's illustration, stored as a Wagtail image (members.demo)
        page.image, page.image_alt = demo_image(picture["illustration"]), picture["alt"]
    parent.add_child(instance=page)
    page.tags.set(tags)
    page.save_revision(user=staff).publish(user=staff)
    return page


def seed_events(stdout=None):
    """Create the demo events once (existing ones are left as they are) and a few registrations."""
    from members.models import User, VenuePage

    agenda = EventIndexPage.objects.first()
    if agenda is None:
        return {}
    data = read(EVENTS, *TABLES)
    staff = User.objects.filter(email="equipe@example.org").first()
    events = {}
    for fields in data["events"]:
        venue_slug = fields.get("venue_page")
        parent = agenda if venue_slug is None else VenuePage.objects.filter(slug=venue_slug).first()
        if parent is None:
            continue
        existing = EventPage.objects.child_of(parent).filter(slug=fields["slug"]).first()
        if existing is not None:
            events[fields["slug"]] = existing
            continue
        page = _create_event(parent, fields, staff=staff)
        events[page.slug] = page
        if stdout:
            stdout.write(f"  event {page.title}")
    slugs = {fields["slug"] for fields in data["events"]}
    for name in ("registrations", "filled_by_others", "past_attendance"):
        for spec in data[name]:
            if spec["event"] not in slugs:
                raise DemoDataError(f"{EVENTS.name}, [[{name}]]: no event {spec['event']!r} among [[events]]")
    users = {user.email: user for user in User.objects.filter(email__endswith="@example.org")}
    for spec in data["registrations"]:
        _register(users.get(spec["email"]), events.get(spec["event"]), spec.get("date", 0))
    # Other demo accounts fill part of the bigger workshops and visits.
    others = _other_demo_users(User, {spec["email"] for spec in data["registrations"]})
    for spec in data["filled_by_others"]:
        for user in others[: spec["seats"]]:
            _register(user, events.get(spec["event"]), 0)
    for spec in data["past_attendance"]:
        event = events.get(spec["event"])
        occurrence = event.occurrences.past().first() if event else None
        if occurrence is None:
            continue
        for email in spec["emails"]:
            if email in users:
                Registration.objects.get_or_create(
                    occurrence=occurrence,
                    user=users[email],
                    defaults={"status": RegistrationStatus.CONFIRMED, "attended": True},
                )
    return events


def _register(user, event, index):
    occurrence = event.occurrences.upcoming()[index : index + 1].first() if event else None
    if user is None or occurrence is None:
        return
    with suppress(ServiceError):  # already registered (second run) or closed
        register_for_event(occurrence, by=user)
