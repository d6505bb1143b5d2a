"""``{% load site_url %}``: absolute links on SITE_URL in templates.

Registered through TEMPLATES' ``libraries`` option (settings/base.py), since
``network`` itself is not an installed app.
"""

from django import template

from network.site_url import absolute_url as _absolute_url

register = template.Library()


@register.simple_tag
def absolute_url(path):
    """``{% absolute_url og_image.url %}`` -> ``https://tiers-lieux.example/media/…``."""
    return _absolute_url(path)
