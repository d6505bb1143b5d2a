"""Realistic data at a national network's scale (``manage.py seed_scale``), in bulk.

Venues and event pages go in through the bulk page functions the importer and
the calendar sync use (``members.services``: tree paths allocated at once,
rooms, revisions, search index), then are published by one update per batch;
occurrences, registrations, accounts, rooms, memberships, messages and
mentoring requests are ``bulk_create``. The result is the demo page tree with
``venues`` published venues over the MEL communes, events with weekly dates
(``occurrences`` in all), ``members`` verified accounts and ``messages``
messages over topic rooms and venue rooms. Nothing is sent, nothing is
broadcast; the content generation is renewed once at the end.

Measured 2026-12-01 on PostgreSQL with the defaults (5,000 venues, 50,000
dates, 20,000 members, 500,000 messages), the machine loaded by other work
(load average 12, the command at nice 19): 12 min 11 s wall, 102 s of CPU in
the command's process, 314 MB resident; the steps took pages 10 s, members
19 s, venues 148 s, events and dates 388 s, registrations 5 s, messages
132 s, mentoring requests 0.1 s.
"""

import random
import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

BATCH = 500
DATES_PER_EVENT = 10
TOPIC_ROOMS = 20
KINDS = ["meetup", "workshop", "open_day", "visit", "training"]
TAGS = ["impression 3D", "salle de réunion", "café", "découpe laser", "couture", "jardin partagé"]
BODIES = [
    "Bonjour à toutes et à tous, qui a une découpeuse laser disponible jeudi ?",
    "Réunion du collectif mardi prochain à 18 h, ordre du jour en pièce jointe.",
    "Merci pour l'atelier d'hier, on refait ça le mois prochain !",
    "Quelqu'un connaît un financement pour l'aménagement d'un atelier partagé ?",
    "Nous cherchons des bénévoles pour la fête du quartier samedi.",
    "Le café associatif ouvre ses portes le dimanche matin à partir de décembre.",
]


def seed_scale(*, venues, occurrences, members, messages, report=print, seed=17):
    """Fill the database; ``report`` gets a line per step with its time. Returns the counts."""
    from home.demo import seed_pages
    from members.freshness import renew_generation

    rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
    steps = [
        ("pages", lambda: seed_pages()),
        ("members", lambda: _members(members)),
        ("venues", lambda: _venues(venues, rng)),
        ("occurrences", lambda: _events(occurrences, rng)),
        ("registrations", lambda: _registrations(rng)),
        ("messages", lambda: _messages(messages, rng)),
        ("mentoring", lambda: _mentoring(max(1, members // 100), rng)),
    ]
    counts = {}
    for name, step in steps:
        started = time.perf_counter()
        with transaction.atomic():
            result = step()
        if isinstance(result, int):
            counts[name] = result
        done = result if isinstance(result, int) else "ok"
        report(f"{name}: {done} in {time.perf_counter() - started:.1f} s")
    renew_generation()
    _analyze()
    return counts


def _analyze():
    """Planner statistics for what was just bulk-loaded: without them PostgreSQL plans
    the first hours' queries (until autovacuum analyzes) on an empty database's estimates,
    for instance a nested loop over every page for each row of a search."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _members(count):
    from allauth.account.models import EmailAddress

    from members.models import Commune, User

    communes = list(Commune.objects.values_list("pk", flat=True))
    unusable = make_password(None)
    first = User.objects.count()
    users = User.objects.bulk_create(
        [
            User(
                email=f"membre-{first + n}@scale.example",
                display_name=f"Membre {first + n}",
                password=unusable,
                commune_id=communes[n % len(communes)] if communes else None,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
        batch_size=2000,
    )
    return len(users)


def _venues(count, rng):
    from members import services
    from members.models import Commune, VenuePage
    from members.vocabulary import ACTIVITY_CHOICES, LEGAL_FORM_CHOICES

    communes = list(Commune.objects.exclude(latitude=None))
    activities = [code for code, _label in ACTIVITY_CHOICES]
    forms = [code for code, _label in LEGAL_FORM_CHOICES]
    first = VenuePage.objects.count()
    created = 0
    for start in range(0, count, BATCH):
        records = []
        for n in range(start + first, min(start + BATCH, count) + first):
            commune = communes[n % len(communes)]
            records.append(
                {
                    "title": f"Tiers-lieu {n} de {commune.name}",
                    "summary": "Un tiers-lieu pour travailler, fabriquer et se retrouver entre voisins.",
                    "main_activity": activities[n % len(activities)],
                    "legal_form": forms[n % len(forms)],
                    "commune": commune,
                    "street_address": f"{n % 300 + 1} rue des Essais",
                    "latitude": commune.latitude + rng.uniform(-0.01, 0.01),
                    "longitude": commune.longitude + rng.uniform(-0.015, 0.015),
                    "surface_m2": 80 + n % 900,
                    "capacity": 10 + n % 90,
                    "offers_mentoring": n % 7 == 0,
                    "tags": rng.sample(TAGS, 2),
                    "source": "scale",
                    "source_id": str(n),
                }
            )
        pages = services.create_draft_venues(records, by=None)
        _publish(VenuePage, [page.pk for page in pages])
        created += len(pages)
    return created


def _publish(model, ids):
    """Make freshly created drafts live: their one revision becomes the live one."""
    now = timezone.now()
    model.objects.filter(pk__in=ids).update(
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        live_revision=F("latest_revision"),
    )


def _events(occurrences, rng):
    """Events at the venues, weekly, ``DATES_PER_EVENT`` dates each, until ``occurrences``."""
    from modelcluster.models import get_all_child_relations

    from events.models import EventPage, Occurrence
    from members import services
    from members.models import VenuePage

    hosts = list(VenuePage.objects.live().order_by("pk"))
    if not hosts:
        return 0
    count = max(1, occurrences // DATES_PER_EVENT)
    per_host = max(1, count // len(hosts))
    monday = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    first = monday - timedelta(days=monday.weekday(), weeks=2)
    empty = [relation.get_accessor_name() for relation in get_all_child_relations(EventPage)]
    first_number = EventPage.objects.filter(slug__startswith="rencontre-").count()  # a second run adds
    rows, made = [], 0
    for host in hosts:
        if made >= count:
            break
        parent = services.lock_parent(host)
        pages = []
        for _n in range(min(per_host, count - made)):
            start = first + timedelta(days=rng.randrange(7), hours=rng.randrange(-8, 3))
            number = first_number + made + len(pages)
            page = EventPage(
                title=f"Rencontre {number} à {host.title}",
                slug=f"rencontre-{number}",
                kind=KINDS[number % len(KINDS)],
                summary="Une rencontre ouverte à toutes et à tous.",
                venue=host,
                commune_id=host.commune_id,
                street_address=host.street_address,
                start=start,
                end=start + timedelta(hours=2),
                repeat="weekly",
                repeat_count=DATES_PER_EVENT,
                capacity=20,
            )
            for name in empty:
                setattr(page, name, [])
            page.search_document = page.build_search_document()
            pages.append(page)
        services.insert_draft_pages(parent, pages, by=None)
        services.record_draft_revisions(pages, by=None)
        _publish(EventPage, [page.pk for page in pages])
        rows += [
            Occurrence(
                event=page,
                start=page.start + timedelta(weeks=week),
                end=page.end + timedelta(weeks=week),
                capacity=page.capacity,
            )
            for page in pages
            for week in range(DATES_PER_EVENT)
        ]
        made += len(pages)
    Occurrence.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _registrations(rng):
    """Five confirmed members on one date in ten."""
    from events.models import Occurrence, Registration
    from members.models import User

    users = list(User.objects.filter(email__endswith="@scale.example").values_list("pk", flat=True)[:2000])
    if not users:
        return 0
    dates = Occurrence.objects.values_list("pk", flat=True)[::10]
    rows = [
        Registration(occurrence_id=date, user_id=user, status="confirmed")
        for date in dates
        for user in rng.sample(users, min(5, len(users)))
    ]
    Registration.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)  # a second run adds
    return len(rows)


def _messages(count, rng):
    """Half in topic rooms, half in venue rooms, with the rooms' members and seq numbers."""
    from members.models import User
    from network.discussion.models import Message, Room, RoomMembership
    from network.discussion.rendering import render_body

    topics = Room.objects.bulk_create(
        [
            Room(
                slug=f"salon-echelle-{n}",
                title=f"Salon {n}",
                kind=Room.Kind.TOPIC,
                visibility=Room.Visibility.PUBLIC,
            )
            for n in range(Room.objects.filter(slug__startswith="salon-echelle-").count(), TOPIC_ROOMS)
        ]
    ) or list(Room.objects.filter(slug__startswith="salon-echelle-"))
    venue_rooms = list(Room.objects.filter(kind=Room.Kind.VENUE).order_by("pk")[:1000])
    rooms = topics + venue_rooms
    authors = list(User.objects.filter(email__endswith="@scale.example").values_list("pk", flat=True)[:5000])
    if not authors or not count:
        return 0
    RoomMembership.objects.bulk_create(
        [RoomMembership(room=room, user_id=user) for room in topics for user in authors[:: len(topics)]],
        batch_size=5000,
        ignore_conflicts=True,
    )
    html = {body: render_body(body) for body in BODIES}
    seqs = {room.pk: room.last_seq for room in rooms}
    batch = []
    for n in range(count):
        room = topics[n % len(topics)] if n % 2 or not venue_rooms else venue_rooms[n % len(venue_rooms)]
        seqs[room.pk] += 1
        body = BODIES[n % len(BODIES)]
        batch.append(
            Message(room=room, author_id=rng.choice(authors), body=body, html=html[body], seq=seqs[room.pk])
        )
        if len(batch) == 5000:
            Message.objects.bulk_create(batch)
            batch = []
    Message.objects.bulk_create(batch)
    for room in rooms:
        if seqs[room.pk] != room.last_seq:
            Room.objects.filter(pk=room.pk).update(last_seq=seqs[room.pk])
    return count


def _mentoring(count, rng):
    from members.models import Commune, User
    from mentoring.models import MentoringRequest
    from mentoring.vocabulary import ACTIVITY_CHOICES, EXPERTISE_CHOICES, STAGE_CHOICES

    applicants = list(User.objects.filter(email__endswith="@scale.example").order_by("-pk")[:count])
    communes = list(Commune.objects.values_list("pk", flat=True))
    rows = [
        MentoringRequest(
            applicant=user,
            project_name=f"Projet de tiers-lieu {n}",
            description="Nous voulons ouvrir un lieu partagé dans notre quartier.",
            stage=STAGE_CHOICES[n % len(STAGE_CHOICES)][0],
            activities=" ".join(code for code, _label in rng.sample(ACTIVITY_CHOICES, 2)),
            needs=" ".join(code for code, _label in rng.sample(EXPERTISE_CHOICES, 2)),
            commune_id=communes[n % len(communes)],
        )
        for n, user in enumerate(applicants)
    ]
    MentoringRequest.objects.bulk_create(rows)
    return len(rows)
