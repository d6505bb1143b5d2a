"""``{% load site_pictures %}``: ``{% picture_img picture "card" "css-class" lazy=True %}``.

A photo (``network.illustrations.Picture`` with an image, or a gallery item
with ``image`` and ``alt``) becomes one ``<img>`` with ``srcset``, ``sizes``,
``width`` and ``height`` (the space is reserved: no layout shift), from the
renditions of its variant, which listings prefetch (``RENDITIONS``). Widths
that a small original makes equal are given once, as HTML requires. An
illustration is its SVG, decorative beside the text (``alt=""``).

Registered through TEMPLATES' ``libraries`` option (settings/base.py), since
``network`` itself is not an installed app.
"""

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html

from network.illustrations import HEIGHT, RENDITIONS, SIZES, WIDTH

register = template.Library()


@register.simple_tag
def picture_img(picture, variant, css_class="", *, lazy=False):
    attrs = {"class": css_class}
    if lazy:
        attrs |= {"loading": "lazy", "decoding": "async"}
    image = getattr(picture, "image", None)
    if image is None:
        attrs["class"] = f"{css_class} picture--illustration".strip()
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}"{}>', picture.svg_url, WIDTH, HEIGHT, flatatt(attrs)
        )
    renditions = list(image.get_renditions(*RENDITIONS[variant]).values())
    widths = {}
    for rendition in renditions:
        widths.setdefault(rendition.width, rendition)
    first = renditions[0]
    if len(widths) > 1:
        attrs["srcset"] = ", ".join(
            f"{rendition.url} {width}w" for width, rendition in sorted(widths.items())
        )
        attrs["sizes"] = SIZES[variant]
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}"{}>',
        first.url,
        picture.alt,
        first.width,
        first.height,
        flatatt(attrs),
    )
