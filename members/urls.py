"""Venue routes that Wagtail's page tree cannot serve (a dot in the path, forms).

Included by ``network/urls.py`` before Wagtail's catch-all; the prefix
matches the slug of the VenueIndexPage ("lieux").
"""

from django.urls import path

from members import views

urlpatterns = [
    path("lieux/lieux.geojson", views.venues_geojson, name="venues_geojson"),
    path("lieux/lieux.csv", views.venues_csv, name="venues_csv"),
    path("lieux/referencer/", views.claim_venue, name="venue_claim"),
]
