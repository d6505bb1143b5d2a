from django.http import HttpResponse
from django.urls import path

from network.urls import urlpatterns as site_urlpatterns


def trivial(request):
    """The yardstick: the fastest page Django can serve on this machine."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *site_urlpatterns]
