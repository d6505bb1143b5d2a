import re

import pytest

from network.sanitize import DROPPED_WITH_CONTENT, sanitize_html

HOSTILE = [
    '<script>alert("x")</script>',
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body { display: none }</style>",
    '<p style="position:fixed;top:0">overlay</p>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<p onclick="alert(1)" onmouseover="alert(2)">hover</p>',
    '<form action="https://evil.example"><input name="password"></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<scr<script>ipt>alert(1)</script>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!-- <script>alert(1)</script> -->",
    '<div><a href="https://ok.example" target="_blank" onfocus="x()">ok</a></div>',
]

FORBIDDEN = re.compile(
    r"<\s*(script|svg|math|style|iframe|object|embed|form|input|img|base|meta|link|noscript)\b"
    r"|\son\w+\s*=|javascript:|vbscript:|data:|style\s*=|<!--",
    re.IGNORECASE,
)


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_constructs_are_removed(payload):
    cleaned = sanitize_html(payload)
    assert not FORBIDDEN.search(cleaned), cleaned


def test_script_and_style_content_disappear_with_the_element():
    assert sanitize_html("<script>alert(1)</script>Bonjour") == "Bonjour"
    assert sanitize_html("<style>body{}</style>Bonjour") == "Bonjour"


def test_allowed_formatting_is_kept():
    html = (
        "<p>Un <strong>atelier</strong> <em>ouvert</em></p><ul><li>un</li></ul><pre><code>x = 1</code></pre>"
    )
    assert sanitize_html(html) == html


def test_links_keep_safe_schemes_and_gain_rel():
    cleaned = sanitize_html(
        '<a href="https://tiers-lieux.example/">site</a> <a href="mailto:a@b.example">mail</a>'
    )
    assert 'href="https://tiers-lieux.example/"' in cleaned
    assert 'href="mailto:a@b.example"' in cleaned
    assert cleaned.count('rel="nofollow noopener noreferrer"') == 2


def test_disallowed_attributes_are_dropped():
    assert sanitize_html('<a href="https://x.example" target="_blank" class="big">x</a>') == (
        '<a href="https://x.example" rel="nofollow noopener noreferrer">x</a>'
    )


def test_text_is_escaped_not_interpreted():
    assert sanitize_html("1 < 2 & 3 > 2") == "1 &lt; 2 &amp; 3 &gt; 2"


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_input(empty):
    assert sanitize_html(empty) == ""


def test_bleach_is_imported_only_by_the_sanitizer():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    importers = [
        path.relative_to(root).as_posix()
        for folder in ("network", "home", "members", "events", "mentoring")
        for path in (root / folder).rglob("*.py")
        if re.search(r"^\s*(import bleach|from bleach)", path.read_text(), re.MULTILINE)
    ]
    assert importers == ["network/sanitize.py"]


def test_code_is_escaped_once():
    assert sanitize_html("<code>a &lt; b &amp; c</code>") == "<code>a &lt; b &amp; c</code>"
    assert sanitize_html("<pre>x &lt; y</pre>") == "<pre>x &lt; y</pre>"


def test_bare_urls_become_safe_links_but_not_inside_code():
    assert sanitize_html("voir https://tiers-lieux.org") == (
        'voir <a href="https://tiers-lieux.org" rel="nofollow noopener noreferrer">'
        "https://tiers-lieux.org</a>"
    )
    assert sanitize_html("<code>https://x.example</code>") == "<code>https://x.example</code>"


@pytest.mark.parametrize("tag", sorted(DROPPED_WITH_CONTENT - {"embed"}))  # embed is void: nothing inside
def test_each_script_like_element_goes_with_everything_inside_it(tag):
    inside = 'secret <a href="https://x.example">lien</a> https://y.example'
    cleaned = sanitize_html(f'<p>avant</p><{tag.upper()} title="t">{inside}</{tag}><p>après</p>')
    assert cleaned == "<p>avant</p><p>après</p>"


def test_a_void_script_like_element_goes_too():
    assert sanitize_html('<p>avant<embed src="x.swf" title="t">après</p>') == "<p>avantaprès</p>"


def test_the_text_around_a_removed_element_is_joined_again():
    assert sanitize_html("voir https://tiers-<script>x</script>lieux.org") == (
        'voir <a href="https://tiers-lieux.org" rel="nofollow noopener noreferrer">https://tiers-lieux.org</a>'
    )


BENIGN = [
    "<p>Un <strong>atelier</strong> ouvert le <em>mardi</em> : https://tiers-lieux.example/agenda</p>",
    '<ul><li>un</li><li>deux<br>trois</li></ul><blockquote>citation</blockquote><a href="/x">lien</a>',
    "<h2>Titre</h2><pre><code>x &lt; 1 https://x.example</code></pre><div>bloc <u>souligné</u></div>",
    '<p onclick="x()" style="color:red">attributs</p><img src=x><a href="javascript:x()">j</a>',
    "Bonjour & bienvenue <au> \"lieu\" <!-- commentaire -->",
]


@pytest.mark.parametrize("html", BENIGN)
def test_without_script_like_elements_the_output_is_plain_bleachs(html):
    """The one filter of our own removes script-like elements and changes nothing else:
    on anything else the sanitizer answers what a plain bleach Cleaner with the same
    allowlist and link filter answers."""
    from functools import partial

    from bleach.linkifier import LinkifyFilter
    from bleach.sanitizer import Cleaner

    from network.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS, _harden_link

    plain = Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            partial(LinkifyFilter, callbacks=[_harden_link], skip_tags={"pre", "code"}, parse_email=False)
        ],
    )
    assert sanitize_html(html) == plain.clean(html)
