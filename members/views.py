from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from members.forms import ProfileForm
from members.services import update_profile


@login_required
def profile(request):
    """A member edits their display name, bio, commune, avatar and language."""
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=request.user)
        if form.is_valid():
            update_profile(request.user, form.cleaned_data, by=request.user)
            messages.success(request, _("Votre profil est enregistré."))
            return redirect("profile")
        messages.error(request, _("Le profil n'a pas été enregistré : corrigez les erreurs indiquées."))
    else:
        form = ProfileForm(instance=request.user)
    return render(request, "members/profile.html", {"form": form})
