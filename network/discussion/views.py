from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def room_list(request):
    """The rooms a member may read (rooms arrive with the discussion issue)."""
    return render(request, "discussion/room_list.html", {"rooms": []})
