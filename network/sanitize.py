"""The one HTML sanitizer: every piece of user-supplied HTML passes here.

This is the only module that imports bleach. The allowlist is explicit and
short: text formatting, lists, quotes, code and links. No svg, math, style,
iframe or form element survives, no ``on*`` event attribute, no ``style``
attribute, and links keep only the http, https and mailto schemes.
"""

from functools import partial

import bleach
from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h2",
        "h3",
        "h4",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Elements removed together with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "template",
        "noscript",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "title",
        "textarea",
        "select",
    }
)


class _DropDangerousContent(Filter):
    """Remove script-like elements together with everything inside them.

    A bleach filter (``Cleaner(filters=...)``, bleach's public API): the
    cleaner lets these elements through its allowlist, stripped of every
    attribute, only so that this filter, which runs right after it, sees
    where they start and end; none of them reaches the output. The text
    left on either side of one is joined again, so that the link filter
    after this one sees it whole, as if the element had never been there.
    """

    def __iter__(self):
        depth, text = 0, []
        for token in super().__iter__():
            kind = token["type"]
            if kind in ("StartTag", "EndTag", "EmptyTag") and token["name"].lower() in DROPPED_WITH_CONTENT:
                if kind == "StartTag":
                    depth += 1
                elif kind == "EndTag":
                    depth = max(depth - 1, 0)
                continue
            if depth:
                continue
            if kind == "Characters":
                text.append(token["data"])
                continue
            if text:
                yield {"type": "Characters", "data": "".join(text)}
                text = []
            yield token
        if text:
            yield {"type": "Characters", "data": "".join(text)}


def _harden_link(attrs, new=False):
    """Outbound links must not leak the referrer nor reach back to the opener."""
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = "nofollow noopener noreferrer"
    return attrs


_cleaner = Cleaner(
    # The script-like elements pass the allowlist (without attributes) only to
    # be removed whole by the first filter.
    tags=ALLOWED_TAGS | DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    # Bare URLs become links, and every link gets a safe rel (not inside code).
    filters=[
        _DropDangerousContent,
        partial(LinkifyFilter, callbacks=[_harden_link], skip_tags={"pre", "code"}, parse_email=False),
    ],
)


def sanitize_html(html: str | None) -> str:
    """Return ``html`` reduced to the allowlist; safe to mark as safe in templates.

    Disallowed tags are removed but their text is kept (escaped), except the
    content of script-like elements, removed with the element.
    """
    if not html:
        return ""
    return _cleaner.clean(str(html))


__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_PROTOCOLS", "ALLOWED_TAGS", "sanitize_html"]
# bleach is re-exported nowhere: import it only here.
del bleach
