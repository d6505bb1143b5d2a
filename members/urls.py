"""Venue routes that Wagtail's page tree cannot serve (a dot in the path, forms).

Included by ``network/urls.py`` before Wagtail's catch-all; the prefix
matches the slug of the VenueIndexPage ("lieux"). The last two routes mark
the directory and the venue pages, served by Wagtail's own ``serve`` view,
as storable by the anonymous page cache (``members.page_cache``); deeper
paths (a venue's events) go on to Wagtail.
"""

from django.urls import path, re_path

from members import views

urlpatterns = [
    path("lieux/lieux.geojson", views.venues_geojson, name="venues_geojson"),
    path("lieux/lieux.csv", views.venues_csv, name="venues_csv"),
    path("lieux/communes.geojson", views.commune_outlines, name="commune_outlines"),
    path("lieux/referencer/", views.claim_venue, name="venue_claim"),
    path("lieux/<slug:slug>/ecrire/", views.write_to_venue, name="venue_write"),
    path("lieux/", views.venue_index, name="venue_index"),
    re_path(r"^lieux/(?P<slug>[-\w]+)/$", views.venue_page, name="venue_page"),
]
