import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from members.vocabulary import SCHEMA_ORG_DAYS, activity_label

register = template.Library()

# Same escapes as Django's json_script: the JSON can never close the <script>.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def activity_name(code):
    return activity_label(code)


@register.simple_tag(takes_context=True)
def venue_jsonld(context, venue):
    """schema.org ``LocalBusiness`` data of a venue, as a JSON-LD data block (not a script)."""
    request = context.get("request")
    data = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": venue.title,
        "url": venue.get_full_url(request),
        "description": venue.summary_in_language or None,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.street_address or None,
            "addressLocality": venue.commune.name if venue.commune_id else None,
            "postalCode": venue.commune.postcode_list[0]
            if venue.commune_id and venue.commune.postcodes
            else None,
            "addressCountry": "FR",
        },
        "telephone": venue.phone or None,
        "email": venue.email or None,
        "sameAs": [url for url in [venue.website, *venue.social_link_list] if url] or None,
        "isAccessibleForFree": venue.is_free or None,
        "maximumAttendeeCapacity": venue.capacity,
        "keywords": ", ".join(venue.tag_names) or None,
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{SCHEMA_ORG_DAYS[row.weekday]}",
                "opens": row.opens.strftime("%H:%M"),
                "closes": row.closes.strftime("%H:%M"),
            }
            for row in venue.opening_hours.all()
        ]
        or None,
    }
    position = venue.position
    if position and not venue.position_is_approximate:  # a commune's centre is no venue's position
        data["geo"] = {"@type": "GeoCoordinates", "latitude": position[0], "longitude": position[1]}
    data = {key: value for key, value in data.items() if value is not None}
    data["address"] = {key: value for key, value in data["address"].items() if value is not None}
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag
def listed_venue_count():
    """How many venues the directory lists (the figure the home page quotes)."""
    from members.models import VenuePage

    return VenuePage.objects.published().count()


@register.inclusion_tag("members/includes/network_figures.html")
def network_figures(heading_level=2):
    from members.figures import network_figures as figures

    data = figures()
    top_activity = max((count for _code, count in data["by_activity"]), default=0) or 1
    top_commune = max((count for *_rest, count in data["by_commune"]), default=0) or 1
    return {
        "figures": data,
        "heading_level": heading_level,
        "activities": [
            {
                "code": code,
                "label": activity_label(code),
                "count": count,
                "percent": round(100 * count / top_activity),
            }
            for code, count in data["by_activity"]
        ],
        "communes": [
            {"code": code, "name": name, "count": count, "percent": round(100 * count / top_commune)}
            for code, name, count in data["by_commune"]
        ],
    }
