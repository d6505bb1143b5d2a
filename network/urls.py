from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from members import views as member_views
from network.health import healthz

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/profile/", member_views.profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    # The language switcher only sets the visitor's language cookie: a forged
    # POST can change nothing else, and without a token the public pages carry
    # nothing per visitor (no CSRF cookie, one cached copy for everyone).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("discussions/", include("network.discussion.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("healthz", healthz, name="healthz"),
    path("api/", include("api.urls")),
    path("integrer/", include("embeds.urls")),
    # Calendar feeds with a .ics suffix, which Wagtail's page routes cannot take.
    path("agenda/", include("events.urls")),
]

if settings.SERVE_MEDIA:
    # Development only (dev.py), with or without DEBUG: django.conf.urls.static
    # serves nothing when DEBUG is off.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
            name="media",
        )
    ]

# The public pages, in French at their addresses and in English under /en/
# (docs/i18n.md): one address per language, for hreflang, the sitemap and the
# caches. Accounts, discussions, feeds, the API and the admin keep one address
# and negotiate the language (network.languages.PreferredLanguageMiddleware).
urlpatterns += i18n_patterns(
    path("recherche/", home_views.search, name="search"),
    path("besoins-et-ressources/", include("exchanges.urls")),
    path("plan-du-site/", home_views.site_map, name="site_map"),
    path("", include("members.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
