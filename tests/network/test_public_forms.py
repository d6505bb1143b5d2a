"""The honeypot and the per-client rate limit of the public forms."""

import pytest
from django import forms
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import translation

from network.public_forms import HONEYPOT_FIELD, HoneypotFormMixin, RateLimited, check_rate_limit


class ContactForm(HoneypotFormMixin, forms.Form):
    name = forms.CharField()


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_person_leaves_the_honeypot_empty():
    form = ContactForm({"name": "Léa", HONEYPOT_FIELD: ""})
    assert form.is_valid()
    assert HONEYPOT_FIELD not in form.cleaned_data or form.cleaned_data[HONEYPOT_FIELD] == ""
    assert not form.caught_robot


def test_a_filled_honeypot_is_a_neutral_form_error_in_the_users_language():
    with translation.override("fr"):
        form = ContactForm({"name": "Léa", HONEYPOT_FIELD: "http://spam.example"})
        assert not form.is_valid()
        assert form.caught_robot
        assert HONEYPOT_FIELD not in form.errors  # nothing says which field gave it away
        assert "n'a pas pu être accepté" in form.non_field_errors()[0]
    with translation.override("en"):
        form = ContactForm({"name": "Léa", HONEYPOT_FIELD: "x"})
        assert not form.is_valid()
        assert "could not be accepted" in form.non_field_errors()[0]


def test_the_honeypot_is_rendered_off_screen_and_out_of_the_tab_order():
    from django.template.loader import render_to_string

    html = render_to_string("includes/form_fields.html", {"form": ContactForm()})
    assert 'class="field honeypot" aria-hidden="true"' in html
    assert 'tabindex="-1"' in html
    assert 'autocomplete="off"' in html


def _request(address):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_the_rate_limit_counts_per_client_and_per_scope():
    for _ in range(3):
        check_rate_limit(_request("192.0.2.1"), "test", limit=3, window=60)
    with pytest.raises(RateLimited) as error:
        check_rate_limit(_request("192.0.2.1"), "test", limit=3, window=60)
    assert error.value.code == "rate_limited"
    assert 1 <= error.value.retry_after <= 60
    check_rate_limit(_request("192.0.2.2"), "test", limit=3, window=60)  # another client
    check_rate_limit(_request("192.0.2.1"), "other", limit=3, window=60)  # another form


def test_the_rate_limit_message_is_translated():
    with translation.override("en"), pytest.raises(RateLimited) as error:
        check_rate_limit(_request("192.0.2.3"), "test", limit=0, window=3600)
    assert "Too many" in error.value.message


def test_the_public_forms_keys_survive_a_redis_outage(settings):
    assert "public:rl:" in settings.RATE_LIMIT_KEY_PREFIXES
