"""An event's search document (``members.search``): what a visitor may find it by."""

from django.conf import settings
from django.utils import translation

from events.vocabulary import Kind
from members.search import document, html_text


def kind_labels(kind):
    """The label of the event type ``kind`` in every site language."""
    if kind not in Kind.values:
        return []
    labels = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            labels.append(str(Kind(kind).label))
    return labels


def event_document(*, title, summary, body, tags, kind, place_names, organizer_name):
    """Title, summary, description, tags, type (FR and EN), venue and commune, organiser."""
    return document(title, summary, html_text(body), *tags, *kind_labels(kind), *place_names, organizer_name)
