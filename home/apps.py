from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Accueil")

    def ready(self):
        from network.site_url import check_site_url, sync_site_after_migrate

        # Home owns the site's root: its Site record follows SITE_URL.
        post_migrate.connect(sync_site_after_migrate, sender=self)
        checks.register(check_site_url, checks.Tags.urls, deploy=True)
