"""HTTP views of the discussion space: thin, every change through the services.

The room page renders history and a plain form, so it works without
JavaScript; ``static/js/discussion.js`` enhances it with the live socket.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from network.discussion import conf, services
from network.discussion.errors import MessageNotFound, RoomNotFound, ServiceError
from network.discussion.forms import EditMessageForm, MessageForm, ReasonForm, RoomForm, first_error
from network.discussion.models import DigestSubscription, Message, Reaction, Room
from network.discussion.permissions import (
    access_room,
    can_manage_topic_rooms,
    can_moderate_room,
    can_post_in_room,
    is_verified,
    membership_of,
)
from network.discussion.querysets import label_direct_rooms
from network.discussion.threads import fold_threads
from network.uploads import limit_uploads
from network.validation import parse_id


def _room_or_404(request, slug):
    try:
        return access_room(request.user, slug)
    except RoomNotFound:
        raise Http404 from None


def _message_or_404(request, room, message_id):
    try:
        return services.access_message(request.user, room, message_id)
    except MessageNotFound:
        raise Http404 from None


def _room_url(room, message_id=None):
    url = reverse("discussion:room_detail", args=[room.slug])
    return f"{url}#m{message_id}" if message_id else url


INBOX_SIZE = 50


def _inbox_rooms(user):
    rooms = list(Room.objects.visible_to(user).with_unread(user).order_by("is_archived", "kind", "title"))
    return label_direct_rooms(rooms, user)


@login_required
@require_GET
def room_list(request):
    """What needs the member first (unread messages and mentions across every
    room they read, newest first), then the rooms with their unread counts:
    a bounded number of queries whatever the history."""
    rooms = _inbox_rooms(request.user)
    mentions_only = request.GET.get("filtre") == "mentions"
    unread = Message.objects.unread_for(rooms, request.user)
    inbox = list((unread.filter(mentions_me=True) if mentions_only else unread)[:INBOX_SIZE])
    by_id = {room.pk: room for room in rooms}
    for message in inbox:  # the room as labelled for this reader (a conversation's names)
        message.room = by_id.get(message.room_id, message.room)
    # "Tout marquer comme lu" covers what had arrived when the page was shown, mentions or not.
    if mentions_only:
        newest_id = unread.values_list("id", flat=True).first() or 0
    else:
        newest_id = inbox[0].pk if inbox else 0
    total = sum(room.unread_mentions if mentions_only else room.unread for room in rooms)
    return render(
        request,
        "discussion/room_list.html",
        {
            "rooms": [room for room in rooms if not room.is_direct],
            "conversations": sorted(
                (room for room in rooms if room.is_direct), key=lambda room: (-room.unread, -room.pk)
            ),
            "inbox": inbox,
            "inbox_more": max(total - len(inbox), 0),
            "unread_total": sum(room.unread for room in rooms),
            "mentions_total": sum(room.unread_mentions for room in rooms),
            "mentions_only": mentions_only,
            "newest_id": newest_id,
            "verified": is_verified(request.user),
            "can_create": can_manage_topic_rooms(request.user),
        },
    )


@require_GET
def unread_count(request):
    """``{"unread": n, "mentions": m}`` for the header badge (zeros for a visitor)."""
    if not request.user.is_authenticated:
        data = {"unread": 0, "mentions": 0}
    else:
        data = Room.objects.visible_to(request.user).unread_totals(request.user)
    response = JsonResponse(data)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def mark_all_read(request):
    up_to = parse_id(request.POST.get("up_to", ""))
    if up_to is None:
        messages.error(request, _("Rien à marquer comme lu."))
    else:
        services.mark_all_read(by=request.user, up_to=up_to)
        messages.success(request, _("Tout est marqué comme lu."))
    return redirect("discussion:room_list")


@login_required
@require_GET
def message_link(request, slug, message_id):
    """The exact message in its room: the latest page when it is on it, else
    the page of history around it; the anchor scrolls to it."""
    room = _room_or_404(request, slug)
    message = _message_or_404(request, room, message_id)
    after = list(
        room.messages.filter(id__gt=message.pk)
        .order_by("id")
        .values_list("id", flat=True)[: conf.page_size()]
    )
    if len(after) < conf.page_size():
        return redirect(_room_url(room, message.pk))
    before = after[conf.page_size() // 2]
    return redirect(f"{reverse('discussion:room_detail', args=[room.slug])}?before={before}#m{message.pk}")


def _before_param(request):
    return parse_id(request.GET.get("before", ""))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def room_detail(request, slug):
    room = _room_or_404(request, slug)
    if request.method == "POST":
        return _post(request, room)
    before = _before_param(request)
    page = room.messages.page_before(before, conf.page_size() + 1)
    has_older = len(page) > conf.page_size()
    page = page[1:] if has_older else page
    membership = membership_of(request.user, room)
    label_direct_rooms([room], request.user)
    # Read before this visit: what is unread is marked, then the room is read.
    last_read_id = membership.last_read_id if membership else 0
    top, first_unread = fold_threads(page, user=request.user, last_read_id=last_read_id)
    if page and before is None:
        membership = services.mark_read(room, by=request.user, message_id=page[-1].pk)
    return render(
        request,
        "discussion/room_detail.html",
        {
            "room": room,
            "page_messages": top,
            "first_unread": first_unread,
            "reaction_emojis": Reaction.EMOJIS,
            "digest_enabled": not DigestSubscription.objects.filter(
                user=request.user, enabled=False
            ).exists(),
            "has_older": has_older,
            "older_before": page[0].pk if page else None,
            "before": before,
            "last_id": page[-1].pk if page and before is None else 0,
            "form": MessageForm(initial={"parent": parse_id(request.GET.get("reply", ""))}),
            "can_post": can_post_in_room(request.user, room, membership),
            "can_moderate": can_moderate_room(request.user, room, membership),
            "can_manage": can_manage_topic_rooms(request.user),
            "membership": membership,
            "max_upload_size": conf.max_upload_size(),
        },
    )


def _post(request, room):
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(_room_url(room))
    parent_id = form.cleaned_data["parent"]
    try:
        parent = services.access_message(request.user, room, parent_id) if parent_id else None
        upload = form.cleaned_data["file"]
        attachment = services.upload_attachment(room, by=request.user, upload=upload) if upload else None
        message, _created = services.post_message(
            room,
            by=request.user,
            body=form.cleaned_data["body"],
            client_id=form.cleaned_data["client_id"],
            parent=parent,
            attachment_id=attachment.pk if attachment else None,
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(_room_url(room))
    return redirect(_room_url(room, message.pk))


@limit_uploads(conf.max_upload_size())  # a file past it is dropped as it streams in
@login_required
@require_POST
def message_post(request, slug):
    return _post(request, _room_or_404(request, slug))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def message_edit(request, slug, message_id):
    room = _room_or_404(request, slug)
    message = _message_or_404(request, room, message_id)
    if message.author_id != request.user.pk or not message.visible:
        raise Http404
    form = EditMessageForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_message(message, by=request.user, body=form.cleaned_data["body"])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            return redirect(_room_url(room, message.pk))
    return render(request, "discussion/message_edit.html", {"room": room, "message": message, "form": form})


@login_required
@require_POST
def message_react(request, slug, message_id):
    """Toggle one of the fixed reactions (the no-JavaScript path of react/unreact)."""
    room = _room_or_404(request, slug)
    message = _message_or_404(request, room, message_id)
    emoji = request.POST.get("emoji", "")
    mine = any(
        user["id"] == request.user.pk
        for entry in message.reactions
        if entry["emoji"] == emoji
        for user in entry["users"]
    )
    toggle = services.remove_reaction if mine else services.add_reaction
    try:
        toggle(message, by=request.user, emoji=emoji)
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(_room_url(room, message.pk))


@login_required
@require_POST
def message_delete(request, slug, message_id):
    room = _room_or_404(request, slug)
    message = _message_or_404(request, room, message_id)
    try:
        services.delete_message(message, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Message supprimé."))
    return redirect(_room_url(room, message.pk))


def _reason_action(request, room, message, action, template_title, done):
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action(message, by=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
        return redirect(_room_url(room, message.pk))
    return render(
        request,
        "discussion/message_action.html",
        {"room": room, "message": message, "form": form, "action_title": template_title},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def message_report(request, slug, message_id):
    room = _room_or_404(request, slug)
    message = _message_or_404(request, room, message_id)
    return _reason_action(
        request,
        room,
        message,
        services.report_message,
        _("Signaler ce message"),
        _("Merci : les modérateurs ont été prévenus."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def message_hide(request, slug, message_id):
    room = _room_or_404(request, slug)
    message = _message_or_404(request, room, message_id)
    if not can_moderate_room(request.user, room):
        raise Http404
    hidden = not message.hidden

    def action(message, *, by, reason):
        return services.hide_message(message, by=by, reason=reason, hidden=hidden)

    title = _("Masquer ce message") if hidden else _("Rétablir ce message")
    done = _("Message masqué.") if hidden else _("Message rétabli.")
    return _reason_action(request, room, message, action, title, done)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def room_create(request):
    if not can_manage_topic_rooms(request.user):
        raise Http404
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.create_room(kind=Room.Kind.TOPIC, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Salon créé."))
            return redirect(_room_url(room))
    return render(request, "discussion/room_form.html", {"form": form})


@login_required
@require_POST
def room_archive(request, slug):
    room = _room_or_404(request, slug)
    try:
        room = services.archive_room(room, by=request.user, archived=not room.is_archived)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Salon archivé.") if room.is_archived else _("Salon rouvert."))
    return redirect(_room_url(room))


@login_required
@require_POST
def room_notifications(request, slug):
    room = _room_or_404(request, slug)
    enabled = request.POST.get("email_mentions") == "on"
    services.set_mention_emails(room, by=request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("Vous recevrez un e-mail quand on vous mentionne ici."))
    else:
        messages.success(request, _("Plus d'e-mail pour les mentions dans ce salon."))
    return redirect(_room_url(room))


@login_required
@require_POST
def digest_settings(request):
    """Opt in to (or out of) the daily digest of unread mentions."""
    enabled = request.POST.get("digest") == "on"
    services.set_digest_emails(by=request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("Vous recevrez chaque jour un résumé de ce qui vous attend."))
    else:
        messages.success(request, _("Plus de résumé quotidien par e-mail."))
    next_url = request.POST.get("next", "")
    room = Room.objects.filter(slug=next_url).first()
    return redirect(_room_url(room) if room else reverse("discussion:room_list"))


@csrf_exempt  # the signed token is the credential; mail clients POST without a session (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def digest_unsubscribe(request, token):
    """The link of every digest: GET asks to confirm, POST (the button, or the
    mail client's one-click ``List-Unsubscribe-Post``) unsubscribes."""
    from network.discussion.digest import user_id_from_token

    if user_id_from_token(token) is None:
        raise Http404
    done = request.method == "POST" and services.unsubscribe_digest(token) is not None
    return render(request, "discussion/digest_unsubscribe.html", {"done": done})
