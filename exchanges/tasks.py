"""E-mails of needs and offers, sent through django-tasks in the recipient's language."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.utils import translation
from django_tasks import task

from network.emails import render_email


@task()
def send_contact_email(post_id, sender_id, message, share_email):
    """Relay a member's message to a post's author. The author's address is never
    shown to the sender; the sender's only when ``share_email``. Returns the number sent."""
    from exchanges.models import Post
    from network.site_url import absolute_url

    post = Post.objects.select_related("author").filter(pk=post_id).first()
    sender = get_user_model().objects.filter(pk=sender_id, is_active=True).first()
    if post is None or sender is None or not post.author.is_active or not post.author.email:
        return 0
    context = {
        "post": post,
        "author": post.author,
        "sender_name": sender.display_name or sender.get_full_name(),
        "sender_email": sender.email if share_email else "",
        "message": message,
        "url": absolute_url(post.get_absolute_url()),
    }
    with translation.override(post.author.language or settings.LANGUAGE_CODE):
        subject, body = render_email("exchanges/emails/contact", context)
    email = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [post.author.email],
        reply_to=[sender.email] if share_email and sender.email else None,
    )
    return email.send()


@task()
def send_expiry_reminder(post_id):
    """Tell an author their post leaves the list soon, with the link to renew it."""
    from exchanges.models import Post
    from network.site_url import absolute_url

    post = Post.objects.select_related("author").filter(pk=post_id).first()
    if post is None or not post.is_open or not post.author.is_active or not post.author.email:
        return 0
    context = {"post": post, "author": post.author, "url": absolute_url(post.get_absolute_url())}
    with translation.override(post.author.language or settings.LANGUAGE_CODE):
        subject, body = render_email("exchanges/emails/expiry_reminder", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [post.author.email]).send()
