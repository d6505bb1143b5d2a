"""The site's URLs plus a view that fails, for the 500 page tests."""

from django.urls import path

from network.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("en-panne/", fail), *site_urlpatterns]
