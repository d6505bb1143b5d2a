"""Accounts and the shared geography (MEL communes) of the network."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Commune(models.Model):
    """One of the 95 communes of the Métropole Européenne de Lille."""

    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    postcodes = models.CharField(_("codes postaux"), max_length=100, help_text=_("Séparés par des espaces."))
    population = models.PositiveIntegerField(_("population"), default=0)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return self.name

    @property
    def postcode_list(self):
        return self.postcodes.split()

    @property
    def position(self):
        """``(latitude, longitude)``, or ``None`` when the position is unknown."""
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


class UserManager(DjangoUserManager):
    """Users log in with their email address; there is no username."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def header_facts(self, user, venues):
        """``(first venue id, number of venues, may open the admin)`` for the header, in one
        query: ``venues`` (those ``user`` manages) by title, and Wagtail's ``access_admin``
        right held directly or through a group, as ``user.has_perm`` would read it (the
        caller adds superusers)."""
        from django.contrib.auth.models import Permission
        from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
        from django.db.models.functions import Coalesce

        access_admin = Permission.objects.filter(
            Q(group__user=OuterRef("pk")) | Q(user=OuterRef("pk")),
            content_type__app_label="wagtailadmin",
            codename="access_admin",
        )
        counted = venues.order_by().annotate(_one=Value(1)).values("_one").annotate(n=Count("*")).values("n")
        row = (
            self.filter(pk=user.pk, is_active=True)
            .annotate(
                first_venue_id=Subquery(venues.order_by("title", "pk").values("pk")[:1]),
                venue_count=Coalesce(Subquery(counted[:1]), 0),
                admin=Exists(access_admin),
            )
            .values_list("first_venue_id", "venue_count", "admin")
            .first()
        )
        return row or (None, 0, False)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def avatar_path(user, filename):
    return f"avatars/{user.pk or 'new'}/{filename}"


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    display_name = models.CharField(
        _("nom affiché"),
        max_length=80,
        help_text=_("Le nom que les autres membres voient."),
    )
    bio = models.TextField(_("présentation"), max_length=600, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
    )
    avatar = models.ImageField(
        _("avatar"),
        upload_to=avatar_path,
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp", "gif"])],
    )
    language = models.CharField(
        _("langue"),
        max_length=8,
        choices=[("fr", "Français"), ("en", "English")],
        default="fr",
        help_text=_("La langue des e-mails que vous recevez."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        # network.permissions.STAFF_PERMISSION: staff outside the admin's screens.
        permissions = [("act_as_network_staff", _("Agir pour l'équipe du réseau sur le site"))]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name
