"""django-allauth adapters of the project."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from network.site_url import absolute_url


class AccountAdapter(DefaultAccountAdapter):
    """Every link in allauth's e-mails is on ``SITE_URL``, whatever Host the request came with."""

    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        # allauth builds the path from its opaque key; only the origin changes.
        return absolute_url(urlsplit(super().get_reset_password_from_key_url(key)).path)

    def send_account_already_exists_mail(self, email):
        self.send_mail(
            "account/email/account_already_exists",
            email,
            {
                "signup_url": absolute_url(reverse("account_signup")),
                "password_reset_url": absolute_url(reverse("account_reset_password")),
            },
        )

    def send_mail(self, template_prefix, email, context):
        # The sign-off names the site and its address ("current_site"), which
        # allauth otherwise takes from the request.
        context = {
            "current_site": SimpleNamespace(
                name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc
            ),
            **context,
        }
        if template_prefix == "account/email/unknown_account":
            context["signup_url"] = absolute_url(reverse("account_signup"))
        super().send_mail(template_prefix, email, context)
