"""``/integrer/``: the embeddable agenda and map, and the page that builds their snippet."""

from django.urls import path

from embeds import views

urlpatterns = [
    path("", views.builder, name="embed_builder"),
    path("agenda/", views.agenda, name="embed_agenda"),
    path("carte/", views.venue_map, name="embed_map"),
]
