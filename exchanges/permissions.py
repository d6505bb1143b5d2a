"""Who may do what with a need or an offer; ``access_*`` fetch and authorize in one step.

Moderation follows ``post_policy``, a Wagtail permission policy over the Django
permissions of ``Post`` granted to the "Équipe du réseau" group
(``members.services.ensure_staff_group``): "view" the moderation screen (and the
posts that left the list), "change" hide, unhide and dismiss reports.
"""

from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy

from network.permissions import has_verified_email

post_policy = ModelPermissionPolicy("exchanges.Post")


def can_post(user):
    """Verified members post, contact and report."""
    return has_verified_email(user)


def is_author(user, post):
    return user.is_authenticated and post.author_id == user.pk


def can_see_withdrawn(user, post):
    """A post that left the list (expired, closed, hidden) stays readable by its author and staff."""
    return is_author(user, post) or post_policy.user_has_any_permission(user, ["view", "change"])


def access_own_post(user, pk):
    """The post ``pk`` if ``user`` wrote it; the same 404 for "missing" and "someone else's"."""
    from exchanges.models import Post

    post = Post.objects.for_listing().filter(pk=pk).first() if user.is_authenticated else None
    if post is None or post.author_id != user.pk:
        raise Http404
    return post
