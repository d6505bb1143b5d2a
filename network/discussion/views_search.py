"""The search page of the discussion space (``search.py`` does the work)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from network.discussion.search import SearchForm, readable_rooms, search_messages


@login_required
@require_GET
def search(request):
    """``?q=…&salon=…&auteur=…&du=…&au=…``: the newest matching messages of the
    rooms the member reads; an invalid field is a form error, never a 500."""
    rooms = readable_rooms(request.user)
    form = SearchForm(request.GET or None, user=request.user, rooms=rooms)
    results, next_url = [], None
    searched = form.is_bound and form.is_valid() and bool(form.cleaned_data["q"])
    if searched:
        data = form.cleaned_data
        results, next_before = search_messages(
            request.user,
            query=data["q"],
            rooms=rooms,
            room=data["salon"],
            author=data["auteur"],
            since=data["du"],
            until=data["au"],
            before=data["avant"],
        )
        if next_before:
            params = request.GET.copy()
            params["avant"] = str(next_before)
            next_url = f"?{params.urlencode()}"
    return render(
        request,
        "discussion/search.html",
        {"form": form, "results": results, "searched": searched, "next_url": next_url},
    )
