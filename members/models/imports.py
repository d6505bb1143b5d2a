"""A venue file uploaded by the staff in the admin: its preview, then its import in the background."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VenueImport(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("aperçu")
        QUEUED = "queued", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("échoué")

    filename = models.CharField(_("fichier"), max_length=255)
    # The file itself, kept in the database rather than in the public media.
    data = models.BinaryField(editable=False)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    publish = models.BooleanField(_("publier les nouveaux lieux"), default=False)
    lines = models.JSONField(_("lignes retenues"), default=list, blank=True)
    # The dry run, planned once at the upload: the preview renders from it (``members.imports.preview_rows``).
    source = models.CharField(_("format"), max_length=20, blank=True)
    preview = models.JSONField(_("aperçu"), default=list, blank=True)
    total = models.PositiveIntegerField(_("lignes à écrire"), default=0)
    done = models.PositiveIntegerField(_("lignes écrites"), default=0)
    # One dict per row of the file: line, action, title, outcome, detail.
    report = models.JSONField(_("compte rendu"), default=list, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("importé par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="venue_imports",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import de lieux")
        verbose_name_plural = _("imports de lieux")

    def __str__(self):
        return self.filename

    @property
    def percent(self):
        if self.total:
            return 100 * self.done // self.total
        return 100 if self.status == self.Status.DONE else 0

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
