"""The project's URLs with events/urls.py included, as the integrator is asked to."""

from django.urls import include, path

from network.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("agenda/", include("events.urls")), *project_urlpatterns]
