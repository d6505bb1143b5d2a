"""The English pages of the demo (``seed_demo``): translations of the home and
content pages, made as staff make them in the admin (Wagtail's
``copy_for_translation``, then the English text, published), and the
English titles and introductions of the index pages, which stay in French
(docs/i18n.md)."""

from wagtail.models import Locale
from wagtail.rich_text import RichText

from events.models import EventIndexPage
from home.models import HomePage, StandardPage
from members.models import VenueIndexPage
from mentoring.models import MentoringPage

# Still Python, not yet data files of <app>/demo/ (issue 17, item 7): none to validate.
FILES = {}


def _p(*paragraphs):
    return RichText("".join(f"<p>{text}</p>" for text in paragraphs))


HOME = {
    "title": "Compagnie des Tiers-lieux",
    "seo_title": "The network of third places in the Lille metropolis",
    "intro": "Coworking spaces, fab labs, shared workshops, community cafés, digital inclusion "
    "spaces: the Compagnie links the third places of the Lille European Metropolis and supports "
    "those who want to open one.",
    "body": [
        ("heading", "A network of open places"),
        (
            "paragraph",
            _p(
                "The network's places share one wish: to give their neighbours somewhere to work, "
                "make, learn and meet. The Compagnie introduces them to one another, organises their "
                "meetups and speaks for them to local authorities."
            ),
        ),
        ("heading", "What you will find here"),
        (
            "paragraph",
            RichText(
                "<ul><li>the directory of places, with their services and equipment;</li>"
                "<li>the calendar of network meetups and the places' events;</li>"
                "<li>mentoring, to be supported by an experienced place;</li>"
                "<li>discussion rooms between members.</li></ul>"
            ),
        ),
    ],
}

STANDARD_PAGES = {
    "quest-ce-quun-tiers-lieu": {
        "title": "What is a third place?",
        "search_description": "What a third place is and what sets it apart.",
        "intro": "<p>Not quite home, not quite the office: a third place, open to all, where people "
        "come to do things together.</p>",
        "body": [
            ("heading", "A place, a community"),
            (
                "paragraph",
                _p(
                    "A third place is first of all a group of people running a space. You rent a desk, "
                    "repair a bike, learn to use a laser cutter or fill in an online form there. What "
                    "defines it is not the activity but the way: welcoming everyone, sharing tools and "
                    "knowledge, running it together.",
                    "Every third place is different because it grows out of the needs of its "
                    "neighbourhood or village. A former shop in a town centre becomes a community café "
                    "and workspace; an industrial wasteland hosts craft workshops; a library opens a "
                    "fab lab.",
                ),
            ),
            ("heading", "Hybrid places"),
            (
                "paragraph",
                _p(
                    "Most of them combine several activities and several business models: renting "
                    "space, services, grants for public-interest work, volunteering. They are run by "
                    "associations, cooperatives, companies or local authorities."
                ),
            ),
        ],
    },
    "activites": {
        "title": "What third places do",
        "search_description": "Coworking, fab lab, shared workshop, digital inclusion, café, living lab.",
        "intro": "<p>What you can do in the network's places.</p>",
        "body": [
            ("heading", "Work"),
            (
                "paragraph",
                _p(
                    "Coworking spaces and shared offices welcome freelancers, remote employees and "
                    "small teams, by the hour, the day or the month."
                ),
            ),
            ("heading", "Make and repair"),
            (
                "paragraph",
                _p(
                    "Fab labs and shared workshops provide machines and tools: 3D printing, laser "
                    "cutting, woodworking, sewing, electronics. You learn by doing, with a facilitator "
                    "or the other members."
                ),
            ),
            ("heading", "Learn digital skills"),
            (
                "paragraph",
                _p(
                    "Digital inclusion spaces help everyone get to grips with a computer, do their "
                    "paperwork online or protect their data."
                ),
            ),
            ("heading", "Get together"),
            (
                "paragraph",
                _p(
                    "Community cafés, cultural venues and living labs open their doors for concerts, "
                    "workshops and experiments run with residents."
                ),
            ),
        ],
    },
    "le-reseau": {
        "title": "The network",
        "search_description": "How the Compagnie des Tiers-lieux works.",
        "intro": "<p>The Compagnie des Tiers-lieux is the association that brings together the third "
        "places of the Lille metropolis.</p>",
        "body": [
            ("heading", "What the network does"),
            (
                "paragraph",
                _p(
                    "Every month it holds a meetup in a different place, runs working groups (business "
                    "model, funding, digital fabrication), lists the places and their services as open "
                    "data, and supports new projects.",
                    "Any place in the metropolis that shares the network's values of openness and "
                    "cooperation may become a member: all it takes is listing the place on this site.",
                ),
            ),
        ],
    },
}

INDEX_PAGES = {
    VenueIndexPage: {
        "title_en": "Venues",
        "intro_en": "<p>The network's member third places, by activity, town and service.</p>",
    },
    EventIndexPage: {
        "title_en": "Calendar",
        "intro_en": "<p>The network's meetups and the places' public events.</p>",
    },
    MentoringPage: {
        "title_en": "Mentoring",
        "intro_en": "<p>Want to open a third place? A network place that has been there will support "
        "you.</p>",
        "body_en": "<h2>How it works</h2>"
        "<p>You describe your project, how far along it is and what you need. The network's team "
        "suggests a mentor place whose experience answers your questions: legal status, business "
        "model, fitting out, community building.</p>"
        "<p>The mentor place meets you, answers your questions and reviews progress with you "
        "regularly for a few months. Mentoring is free; it rests on mutual help between places.</p>",
    },
}


def _translate(page, locale, fields):
    """The live English translation of ``page`` with ``fields``; an existing one is left alone."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific, False
    translation = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation, True


def seed_english_pages(stdout=None):
    """English translations of the home and content pages, English fields of the index pages."""
    locale, _created = Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.filter(locale__language_code="fr").first()
    if home is None:
        return
    _translated, created = _translate(home, locale, HOME)
    if stdout and created:
        stdout.write("  English home page")
    for page in StandardPage.objects.child_of(home):
        fields = STANDARD_PAGES.get(page.slug)
        if fields is None:
            continue
        translated, created = _translate(page, locale, fields)
        if stdout and created:
            stdout.write(f"  English page {translated.title}")
    for model, fields in INDEX_PAGES.items():
        page = model.objects.child_of(home).first()
        if page is None or page.title_en:
            continue
        for name, value in fields.items():
            setattr(page, name, value)
        page.save_revision().publish()
        if stdout:
            stdout.write(f"  English title of {page.title}")
