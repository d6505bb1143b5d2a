"""The "Suivre" buttons and the profile's list of what a member follows (members'
templates load these: members never imports events)."""

from django import template

from events import follows
from events.vocabulary import Kind

register = template.Library()


def _target(venue, commune, kind):
    if venue is not None:
        return "venue", venue.pk, {"venue": venue}
    if commune is not None:
        return "commune", commune.insee_code, {"commune": commune}
    return "kind", kind, {"kind": kind}


@register.inclusion_tag("events/includes/follow_button.html", takes_context=True)
def follow_button(context, venue=None, commune=None, kind=""):
    """A "Suivre" / "Ne plus suivre" form for a member (one query); a sign-in link for
    a visitor (no query, no CSRF token: the page stays cacheable for anonymous visitors)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if venue is None and commune is None and kind not in Kind.values:
        return {"show": False}
    name, value, target = _target(venue, commune, kind)
    if name == "venue":
        label = venue.title
    elif name == "commune":
        label = commune.name
    else:
        label = Kind(kind).label
    member = user is not None and user.is_authenticated
    return {
        "show": True,
        "member": member,
        "following": member and follows.is_following(user, **target),
        "target": name,
        "value": value,
        "label": label,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("events/includes/profile_follows.html", takes_context=True)
def profile_follows(context):
    """ "Mes suivis" on the profile: each followed thing with its remove button, the weekly
    e-mail switch and the personal feed's address (four queries)."""
    from django.urls import reverse

    from events.models import FollowSettings
    from network.site_url import absolute_url

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user": None}
    row = FollowSettings.objects.filter(user=user).first()
    feed_url = None
    if row is not None and row.feed_token:
        feed_url = absolute_url(reverse("events_follow_feed", args=[row.feed_token]))
    from events.models import EventIndexPage

    calendar = EventIndexPage.objects.live().first()
    rows = []
    for follow in follows.follows_of(user):
        name, value, _target_kw = _target(follow.venue, follow.commune, follow.kind)
        if name == "venue":
            url = follow.venue.url if follow.venue.live else ""
        else:
            url = f"{calendar.url}?{name}={value}" if calendar is not None else ""
        rows.append({"target": name, "value": value, "label": follows.target_label(follow), "url": url})
    return {
        "user": user,
        "rows": rows,
        "digest_enabled": row is None or row.digest_enabled,
        "feed_url": feed_url,
        "csrf_token": context.get("csrf_token"),
    }
