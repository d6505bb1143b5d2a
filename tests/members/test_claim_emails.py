"""Claim e-mails read right: plain-text subjects on one line, plain text stored as typed."""

from members.services import refuse_claim, request_venue_claim
from tests.factories.venues import VenueClaimFactory, commune

TITLE = "L'atelier R&D <img src=x>"


def test_a_claim_titled_with_a_newline_still_reaches_the_staff(
    member, staff_user, venue_index, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = request_venue_claim(
            {
                "name": "a\r\nb " + TITLE,
                "commune": commune("59512"),
                "main_activity": "fablab",
                "message": "Je coordonne la R&D.\nÀ bientôt <3",
            },
            by=member,
        )
    [email] = mailoutbox
    assert email.to == [staff_user.email]
    assert email.subject.endswith("Nouvelle demande de référencement : a b " + TITLE)
    email.message()  # the headers build: no BadHeaderError
    claim.refresh_from_db()
    assert claim.message == "Je coordonne la R&D.\nÀ bientôt <3"


def test_the_refusal_reads_as_typed(member, staff_user, mailoutbox, django_capture_on_commit_callbacks):
    claim = VenueClaimFactory(user=member, name=TITLE)
    with django_capture_on_commit_callbacks(execute=True):
        refuse_claim(claim, by=staff_user, reason="Hors MEL : voyez R&D <Roubaix> d'abord.")
    [email] = mailoutbox
    assert email.subject.endswith(f"Votre demande pour « {TITLE} » n'a pas été acceptée")
    assert "Motif : Hors MEL : voyez R&D <Roubaix> d'abord." in email.body
    assert "&amp;" not in email.body and "&#x27;" not in email.body and "&lt;" not in email.body


def test_claim_texts_are_escaped_on_the_pages(client, member, staff_user):
    claim = VenueClaimFactory(
        user=member, message="<script>alert(1)</script> R&D", reason="<b>non</b>", status="refused"
    )
    client.force_login(staff_user)
    page = client.get(f"/admin/venue-claims/{claim.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; R&amp;D" in page and "<script>alert(1)" not in page
    assert "&lt;b&gt;non&lt;/b&gt;" in page
    client.force_login(member)
    page = client.get("/lieux/referencer/").content.decode()
    assert "&lt;b&gt;non&lt;/b&gt;" in page and "<b>non</b>" not in page
