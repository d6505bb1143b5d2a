"""Timing of the discussion search over 200,000 messages (prints figures; not a test).

Usage (under the bench lock; PostgreSQL when DATABASE_URL points to one):
    flock /tmp/bench.lock env DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/discussion_search_bench.py [messages] [repeats]

The harness (bench/harness.py) creates a fresh database, migrated, and drops
it at the end. It is seeded in bulk with ``messages`` messages (200,000 by
default) by 200 members in 40 topic rooms and 60 private rooms, over a year,
from a French vocabulary written with its accents, one word in a thousand
rare, one message in a hundred with a file ("devis-atelier.pdf"); then
ANALYZE. Each query runs ``repeats`` times (30 by default) as a
member of 3 private rooms, through ``search_messages`` (the rooms query and
the page of results, what the view runs), and the whole page once per repeat
through the Django test client (session, rights, rendering).

Target (issue 15): <= 100 ms per search over 200,000 messages.
Figures of 2026-12-01 16:45 UTC on this machine, busy (load average 10-11,
other sessions' tests running), PostgreSQL 15, 30 runs per query:

    query                   found   p50 ms   p99 ms   max ms
    common word                20     17.0     38.6     38.6
    accents left out           20     20.6     46.8     46.8
    two common words           20     19.4     34.2     34.2
    rare word                  18     20.0     29.1     29.1
    phrase                     20     54.6     82.4     82.4
    no match                    0     14.2     20.3     20.3
    word + one room            20     26.2     38.3     38.3
    word + author              20     24.6     39.8     39.8
    word + last month          20     20.9     30.1     30.1
    rare + last month           0     13.7     21.0     21.0
    all queries                       20.4     73.9     82.4
    whole page (test client: session, rights, rendering): p50 88.6 ms, p99 144.4 ms

With files (one message in a hundred carries a PDF, named from its own
words: the name is searched in a second query), 2026-12-01 17:34 UTC, load
average 4-5, 30 runs per query:

    query                   found   p50 ms   p99 ms   max ms
    common word                20     19.0    186.8    186.8   (one run; 53 ms p99 in a run before)
    accents left out           20     16.4     31.3     31.3
    two common words           20     16.7     26.4     26.4
    rare word                  18     15.7     28.5     28.5
    phrase                     20     33.6     49.0     49.0
    no match                    0     14.3     30.1     30.1
    word + one room            20     18.9     29.2     29.2
    word + author              20     20.4     44.1     44.1
    word + last month          20     22.0     41.5     41.5
    rare + last month           0     17.0     28.9     28.9
    file name                  20     18.9     37.6     37.6
    file name, 2 words          7     14.9     25.3     25.3
    all queries                       18.4     43.4    186.8
    whole page (6 queries x 30): p50 41.0 ms, p99 88.7 ms

Before the statistics target of 1000 on ``search_vector`` (migration 0004),
a rare word or one found nowhere took 190-640 ms: at the default target the
planner took an unknown word for a common one and walked the primary key
through the whole table instead of reading the GIN index.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import bench_database, run_python  # noqa: E402

CODE = r"""
import datetime, random, statistics, time
from django.db import connection
from django.test import Client
from django.utils import timezone
from allauth.account.models import EmailAddress
from members.models import User
from network.discussion.models import Message, Room, RoomMembership
from network.discussion.search import readable_rooms, search_messages

COUNT, REPEATS = {count}, {repeats}
random.seed(15)
WORDS = ("réunion atelier café lieu tiers-lieu bénévole élève événement fête été hiver "
         "bricolage réparation vélo jardin potager compost numérique formation médiation "
         "projet budget subvention adhésion association commune mairie quartier marché "
         "cuisine repas partagé musique concert exposition théâtre lecture bibliothèque "
         "enfant famille parent jeunesse école collège lycée université emploi coworking "
         "bureau salle matériel imprimante découpe laser bois métal couture tricot").split()
FILLER = "le la les de du des un une et à pour avec sur dans nous vous on est sont a demain samedi".split()
RARE = ["xylophone", "ornithologie", "quetsche", "zéphyr"]
FILE_WORDS = "devis facture affiche programme plan inventaire".split()  # in file names only

t0 = time.perf_counter()
users = User.objects.bulk_create(
    [User(email=f"membre{{i}}@example.org", display_name=f"Membre Numéro{{i}}") for i in range(200)]
)
EmailAddress.objects.bulk_create(
    [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
)
rooms = Room.objects.bulk_create(
    [
        Room(slug=f"salon-{{i}}", title=f"Salon {{i}}", kind="topic", visibility="public")
        for i in range(40)
    ]
    + [
        Room(slug=f"prive-{{i}}", title=f"Privé {{i}}", kind="private", visibility="members")
        for i in range(60)
    ]
)
reader = users[0]
RoomMembership.objects.bulk_create(
    [RoomMembership(room=room, user=reader) for room in rooms[40:43]]
)
start = timezone.now() - datetime.timedelta(days=365)
step = datetime.timedelta(days=365) / COUNT
batch = []
for n in range(COUNT):
    words = random.choices(WORDS, k=random.randint(4, 14)) + random.choices(FILLER, k=random.randint(2, 8))
    if random.random() < 0.001:
        words.append(random.choice(RARE))
    random.shuffle(words)
    body = " ".join(words).capitalize() + "."
    batch.append(Message(
        room=rooms[n % len(rooms)], author=users[n % len(users)], body=body, html=f"<p>{{body}}</p>",
        seq=n // len(rooms) + 1, created=start + step * n,
    ))
    if len(batch) == 10_000:
        Message.objects.bulk_create(batch)
        batch = []
if batch:
    Message.objects.bulk_create(batch)
# auto_now_add set "created" to now on insert: spread the messages over the year again.
with connection.cursor() as cursor:
    cursor.execute(
        "UPDATE discussion_message SET created = %s + (id - (SELECT min(id) FROM discussion_message)) * %s",
        [start, step],
    )
    cursor.execute("VACUUM ANALYZE discussion_message") if connection.vendor == "postgresql" else None
# One message in a hundred carries a file (rows only: the search reads names, never files).
from network.discussion.models import Attachment
sample = list(Message.objects.order_by("id").values_list("id", "room_id", "author_id")[::100])
Attachment.objects.bulk_create(
    [Attachment(message_id=mid, room_id=rid, uploader_id=aid, kind="pdf", content_type="application/pdf",
                name=f"{{random.choice(FILE_WORDS)}}-{{random.choice(WORDS)}}.pdf", size=1000,
                file=f"files/bench/{{mid}}.pdf") for mid, rid, aid in sample],
    batch_size=5000,
)
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE discussion_attachment")
seeded = time.perf_counter() - t0
print(f"{{connection.vendor}}: {{Message.objects.count():,}} messages seeded in {{seeded:.1f}} s")

today = timezone.localdate()
QUERIES = [
    ("common word", dict(query="atelier")),
    ("accents left out", dict(query="reunion benevole")),
    ("two common words", dict(query="cafe musique")),
    ("rare word", dict(query="ornithologie")),
    ("phrase", dict(query='"réparation vélo"')),
    ("no match", dict(query="introuvable")),
    ("word + one room", dict(query="jardin", room=rooms[7])),
    ("word + author", dict(query="compost", author="Numéro42")),
    ("word + last month", dict(query="formation", since=today - datetime.timedelta(days=30), until=today)),
    ("rare + last month", dict(query="zephyr", since=today - datetime.timedelta(days=30))),
    ("file name", dict(query="devis")),
    ("file name, 2 words", dict(query="facture atelier")),
]

def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]

def row(label, found, times):
    p50, p99 = percentile(times, .5), percentile(times, .99)
    print(f"{{label:22}} {{found:>6}} {{p50:>8.1f}} {{p99:>8.1f}} {{max(times):>8.1f}}")

print(f"{{'query':22}} {{'found':>6}} {{'p50 ms':>8}} {{'p99 ms':>8}} {{'max ms':>8}}", end="")
print(f"   (search_messages, {{REPEATS}} runs each)")
all_times = []
for label, params in QUERIES:
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        rooms_read = readable_rooms(reader)
        results, _next = search_messages(reader, rooms=rooms_read, **params)
        times.append((time.perf_counter() - t) * 1000)
    all_times.extend(times)
    row(label, len(results), times)
row("all queries", "", all_times)

client = Client()
client.force_login(reader)
client.get("/discussions/recherche/?q=atelier")
page_times = []
for label, params in QUERIES[:6]:
    for _ in range(REPEATS):
        t = time.perf_counter()
        response = client.get("/discussions/recherche/", {{"q": params["query"]}})
        page_times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
p50, p99 = percentile(page_times, .5), percentile(page_times, .99)
print(f"whole page (6 queries x {{REPEATS}}): p50 {{p50:.1f}} ms, p99 {{p99:.1f}} ms")
if connection.vendor == "postgresql":
    from django.contrib.postgres.search import SearchQuery
    plan = Message.objects.filter(
        room_id__in=[r.pk for r in readable_rooms(reader)], deleted=False, hidden=False,
        search_vector=SearchQuery("atelier", config="french_unaccent", search_type="websearch"),
    ).order_by("-id")[:21].explain()
    print("plan of 'atelier':")
    print(plan)
"""


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    with bench_database("discussion_search") as env:
        run_python(env, CODE.format(count=count, repeats=repeats), timeout=3600)


if __name__ == "__main__":
    main()
