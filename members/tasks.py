"""Background work of the members app (django-tasks): e-mails about venue claims, venue imports."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django_tasks import task

from network.emails import render_email
from network.permissions import holders_of


def _staff_emails():
    """Whoever decides venue claims (``claim_policy``'s "change"), not a group's name."""
    return list(holders_of("members.change_venueclaim").values_list("email", flat=True))


@task()
def send_claim_email(claim_id, event):
    """``submitted`` goes to the staff; ``approved`` and ``refused`` to the claimant."""
    from members.models import VenueClaim

    claim = VenueClaim.objects.for_listing().filter(pk=claim_id).first()
    if claim is None:
        return 0
    if event == "submitted":
        recipients, language = _staff_emails(), settings.LANGUAGE_CODE
    else:
        recipients, language = [claim.user.email], claim.user.language
    if not recipients:
        return 0
    base_url = settings.SITE_URL
    with translation.override(language):
        context = {"claim": claim, "event": event, "base_url": base_url}
        subject, body = render_email("members/emails/claim", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


@task()
def run_venue_import_task(import_id):
    """Apply a venue file a staff member previewed and confirmed in the admin."""
    from members.services import run_venue_import

    run_venue_import(import_id)
