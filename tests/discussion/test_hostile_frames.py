"""Hostile frames: whatever a client sends, the socket answers an error frame
with a stable code (``bad_frame`` for what it cannot take) and stays open;
never ``server_error``, never a 1011 close. Typing frames are throttled."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network.discussion import protocol, services
from network.discussion.models import Message, RoomMembership
from tests.discussion.ws import frames_until_quiet, next_of, open_socket

db = database_sync_to_async


def _nested(depth):
    return "[" * depth + "]" * depth


HOSTILE = [
    ('{"type": "message", "body": "a\\u0000b"}', "bad_frame"),
    ('{"type": "message", "body": "a\\ud800b"}', "bad_frame"),  # a lone surrogate
    ('{"type": "message", "body": "\\udfff"}', "bad_frame"),
    ('{"type": "edit", "id": 1, "body": "x\\u0000"}', "bad_frame"),
    ('{"type": "edit", "id": 1, "body": "\\ud83d"}', "bad_frame"),
    (json.dumps({"type": "read", "id": 2**63}), "bad_frame"),
    (json.dumps({"type": "read", "id": 2**53 + 1}), "bad_frame"),
    (json.dumps({"type": "delete", "id": 10**400}), "bad_frame"),
    ('{"type": "delete", "id": ' + "9" * 5000 + "}", "bad_json"),  # past Python's int digit limit
    (json.dumps({"type": "read", "id": 1.5}), "bad_frame"),
    ('{"type": "read", "id": NaN}', "bad_frame"),
    ('{"type": "message", "body": "x", "client_id": {"a": 1}}', "bad_frame"),
    ('{"type": "message", "body": "x", "client_id": "\\u0000"}', "bad_frame"),
    ('{"type": ["message"]}', "unknown_type"),
    ('{"type": "\\ud800"}', "unknown_type"),
    (_nested(100_000), "bad_frame"),  # too long before it is even parsed
    (json.dumps({"type": "message", "body": "x" * 100_000}), "bad_frame"),
]


@pytest.mark.django_db(transaction=True)
async def test_hostile_frames_get_an_error_and_the_socket_stays_open(room, member):
    communicator, _, _ = await open_socket(member, room)
    answers = []
    for raw, _code in HOSTILE:
        await communicator.send_to(text_data=raw)
        error = await next_of(communicator, "error")
        answers.append((raw[:60], error["code"], bool(error["detail"])))
    assert answers == [(raw[:60], code, True) for raw, code in HOSTILE]
    await communicator.send_json_to({"type": "message", "body": "Toujours là"})
    assert (await next_of(communicator, "message"))["html"] == "<p>Toujours là</p>"
    await communicator.disconnect()
    assert await db(Message.objects.count)() == 1


@pytest.mark.django_db(transaction=True)
async def test_nesting_under_the_size_limit_is_a_bad_frame_too(room, member, settings):
    settings.DISCUSSION_MAX_FRAME_LENGTH = 10_000_000
    communicator, _, _ = await open_socket(member, room)
    await communicator.send_to(text_data=_nested(100_000))
    assert (await next_of(communicator, "error"))["code"] == "bad_frame"
    await communicator.send_json_to({"type": "message", "body": "Encore là"})
    assert (await next_of(communicator, "message"))["html"] == "<p>Encore là</p>"
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_read_accepts_the_largest_id_a_client_can_hold(room, member):
    await db(services.post_message)(room, by=member, body="Le dernier")
    communicator, _, _ = await open_socket(member, room)
    await communicator.send_json_to({"type": "read", "id": 2**53})
    assert [f for f in await frames_until_quiet(communicator) if f["type"] == "error"] == []
    membership = await db(RoomMembership.objects.get)(room=room, user=member)
    assert membership.last_read_id == 2**53
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_typing_frames_are_throttled_per_socket(room, member, other_member, settings):
    settings.DISCUSSION_TYPING_INTERVAL = 0.5
    typist, _, _ = await open_socket(member, room)
    reader, _, _ = await open_socket(other_member, room)
    for _n in range(200):
        await typist.send_json_to({"type": "typing"})
    typing = [f for f in await frames_until_quiet(reader, timeout=0.3) if f["type"] == "typing"]
    assert len(typing) == 1
    await asyncio.sleep(0.5)
    await typist.send_json_to({"type": "typing"})  # the interval has passed
    assert (await next_of(reader, "typing"))["user"]["id"] == member.pk
    # Other frames are never throttled.
    await typist.send_json_to({"type": "message", "body": "Et voilà"})
    assert (await next_of(reader, "message"))["html"] == "<p>Et voilà</p>"
    await typist.disconnect()
    await reader.disconnect()


def test_the_throttle_passes_one_typing_frame_per_interval(settings):
    settings.DISCUSSION_TYPING_INTERVAL = 2.0
    now = [100.0]
    throttle = protocol.TypingThrottle(clock=lambda: now[0])
    typing = {"type": "typing"}
    assert [throttle.drops(typing) for _ in range(3)] == [False, True, True]
    assert throttle.drops({"type": "message", "body": "x"}) is False
    now[0] += 2.0
    assert throttle.drops(typing) is False


# -- property-based: any frame, any text --------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
# Any text, and text with what no column stores (JSON's "\\ud800" decodes to a lone surrogate).
forbidden = st.sampled_from(["\x00", "\ud800", "\udfff", "\ud83d"])  # NUL, lone surrogates
any_text = st.text(max_size=30) | st.builds(
    lambda before, char, after: before + char + after, st.text(max_size=5), forbidden, st.text(max_size=5)
)
ids = st.one_of(st.integers(), st.floats(), st.text(max_size=20), st.none(), st.booleans())
frames = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"type": st.sampled_from(["message", "edit"]), "body": any_text},
        optional={"id": st.integers(-5, 2**64), "client_id": st.uuids().map(str)},
    ),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["message", "edit", "delete", "typing", "read", "ping"])},
        optional={"id": ids, "body": st.one_of(any_text, json_values), "client_id": json_values},
    ),
)
PROPERTY = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.django_db
@PROPERTY
@given(frame=frames)
def test_any_decoded_frame_gets_a_coded_answer_never_a_server_error(room, member, no_rate_limit, frame):
    outcome = protocol.handle_frame(room, member, frame, channel_name="test!channel")
    codes = [reply.get("code") for reply in outcome.reply if reply.get("type") == "error"]
    assert "server_error" not in codes


@PROPERTY
@given(
    text=st.one_of(st.text(), st.builds(json.dumps, json_values), st.builds(_nested, st.integers(0, 5000)))
)
def test_any_text_frame_decodes_or_is_a_bad_frame(text):
    try:
        protocol.decode_frame(text)
    except protocol.BadFrame as error:
        assert error.code in {"bad_frame", "bad_json"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (b"after=12&seq=3", (12, 3)),
        (b"after=0&seq=0", (0, 0)),
        (b"after=%C2%B2", (None, None)),  # "²"
        (b"after=99999999999999999999999&seq=1", (0, 1)),
        (b"after=-1", (None, None)),
        (b"after=%00", (None, None)),
    ],
)
def test_resume_parameters_are_ids_or_nothing(query, expected):
    assert protocol.parse_resume(query) == expected
