"""Demo accounts for ``manage.py seed_demo``."""

from allauth.account.models import EmailAddress
from django.conf import settings

from members.models import Commune, User
from members.services import ensure_staff_group

DEMO_ACCOUNTS = [
    # email, display name, commune INSEE code, staff?
    ("equipe@example.org", "Équipe du réseau", "59350", True),
    ("membre@example.org", "Camille Membre", "59512", False),
    ("lieu@example.org", "Sacha Gérant·e de lieu", "59599", False),
    ("porteur@example.org", "Dominique Porteur de projet", "59009", False),
]


def seed_accounts(stdout=None):
    """Create (or reset the password of) the four demo accounts, all email-verified."""
    staff_group = ensure_staff_group()
    accounts = {}
    for email, name, insee_code, staff in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "commune": Commune.objects.filter(insee_code=insee_code).first(),
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if staff:
            user.groups.add(staff_group)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        accounts[email] = user
        if stdout and created:
            stdout.write(f"  account {email}")
    return accounts
