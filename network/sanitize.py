"""The one HTML sanitizer: every piece of user-supplied HTML passes here.

This is the only module that imports bleach. The allowlist is explicit and
short: text formatting, lists, quotes, code and links. No svg, math, style,
iframe or form element survives, no ``on*`` event attribute, no ``style``
attribute, and links keep only the http, https and mailto schemes.
"""

from functools import partial

import bleach
from bleach.html5lib_shim import BleachHTMLParser, Filter
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
    """Drop the text of script-like elements before the allowlist unwraps them."""

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            name = token.get("name", "").lower() if isinstance(token.get("name"), str) else ""
            if token["type"] == "StartTag" and name in DROPPED_WITH_CONTENT:
                depth += 1
                continue
            if token["type"] == "EndTag" and name in DROPPED_WITH_CONTENT:
                depth = max(depth - 1, 0)
                continue
            if depth == 0:
                yield token


class _Cleaner(Cleaner):
    """A bleach Cleaner whose parser keeps script-like elements long enough
    for ``_DropDangerousContent`` to remove them with their text."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.parser = BleachHTMLParser(
            tags=self.tags | DROPPED_WITH_CONTENT,
            strip=self.strip,
            consume_entities=False,
            namespaceHTMLElements=False,
        )
        walker = self.walker
        self.walker = lambda dom: _DropDangerousContent(walker(dom))


def _harden_link(attrs, new=False):
    """Outbound links must not leak the referrer nor reach back to the opener."""
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = "nofollow noopener noreferrer"
    return attrs


_cleaner = _Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    # Bare URLs become links, and every link gets a safe rel (not inside code).
    filters=[partial(LinkifyFilter, callbacks=[_harden_link], skip_tags={"pre", "code"}, parse_email=False)],
)


def sanitize_html(html: str | None) -> str:
    """Return ``html`` reduced to the allowlist; safe to mark as safe in templates.

    Disallowed tags are removed but their text is kept (escaped), except the
    content of script-like elements, which bleach drops with the element.
    """
    if not html:
        return ""
    return _cleaner.clean(str(html))


__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_PROTOCOLS", "ALLOWED_TAGS", "sanitize_html"]
# bleach is re-exported nowhere: import it only here.
del bleach
