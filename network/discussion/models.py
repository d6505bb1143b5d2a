"""Rooms, their members and their messages.

A room knows nothing of venues, events or pairings: the owning model holds a
foreign key to its room, and the owning app's services create it with the
``visibility`` its rules want (``create_room``) and keep its members
(``add_room_member`` / ``remove_room_member``). Who may read, list and
moderate a room follows from its visibility and memberships alone
(``permissions``, ``RoomQuerySet.visible_to``); ``kind`` is a label shown to
readers, except for the discussion's own topic rooms and direct conversations.

Every event of a room (a new message, an edit, a deletion, a hiding) takes the
next value of ``Room.last_seq`` inside the transaction that makes it, under a
row lock, and stores it in ``Message.seq``. Seqs are therefore committed in
order, and a reconnecting client that knows the last seq it saw can be sent
exactly what changed since.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.discussion.querysets import MessageQuerySet, RoomQuerySet
from network.discussion.search_vector import MessageVector


class Room(models.Model):
    class Kind(models.TextChoices):
        """What the room is about, shown to readers and ordering the list. No
        rule reads it but for TOPIC (the rooms staff make, public) and DIRECT
        (conversations between fixed members, with blocks)."""

        TOPIC = "topic", _("thématique")
        VENUE = "venue", _("lieu")
        EVENT = "event", _("événement")
        PRIVATE = "private", _("privé")
        DIRECT = "direct", _("conversation")

    class Visibility(models.TextChoices):
        """Who reads the room, finds it in their list and moderates it (with
        the room's own moderators). Set by the app that owns the room. Every
        reader is a verified member; staff are the group ``STAFF_GROUP_NAME``."""

        # Every member reads it, posts in it and finds it listed; staff moderate it.
        PUBLIC = "public", _("tous les membres")
        # Every member reads it and posts in it from its address; it is listed
        # for those who joined it and for staff, who moderate it.
        OPEN = "open", _("tous les membres, depuis son adresse")
        # Its members and staff read it and find it listed; staff moderate it.
        MEMBERS_AND_STAFF = "staff", _("ses membres et l'équipe du réseau")
        # Its members only, staff included only as members.
        MEMBERS = "members", _("ses membres seulement")

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.TOPIC)
    # No default a room could be created with by mistake and be open: a room
    # made without its visibility is its members' only (topic rooms are
    # public, by the constraint below).
    visibility = models.CharField(
        _("visibilité"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    is_archived = models.BooleanField(_("archivé"), default=False)
    last_seq = models.PositiveBigIntegerField(_("dernier numéro d'événement"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_rooms",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    # A direct conversation's members, fixed at its start: its context ("" or
    # e.g. "venue:12", given by the owning app) and the sorted member ids,
    # "venue:12|3,7,9". Starting the same conversation again finds it.
    direct_key = models.CharField(max_length=200, null=True, blank=True, unique=True, editable=False)

    objects = RoomQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("salon")
        verbose_name_plural = _("salons")
        constraints = [
            # The discussion's own kinds have a fixed visibility.
            models.CheckConstraint(
                condition=(~models.Q(kind="topic") | models.Q(visibility="public"))
                & (~models.Q(kind="direct") | models.Q(visibility="members")),
                name="discussion_room_kind_visibility",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("discussion:room_detail", args=[self.slug])

    @property
    def is_direct(self):
        return self.kind == self.Kind.DIRECT

    @property
    def display_title(self):
        """The title shown to the reader: a direct conversation is named by its other
        members (set by ``label_direct_rooms``), any other room by its title."""
        return getattr(self, "_display_title", None) or self.title

    @property
    def group_name(self):
        """Channel-layer group of the room (ASCII only, as channels requires)."""
        return f"discussion.room.{self.pk}"


class RoomMembership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("membre")
        MODERATOR = "moderator", _("modérateur·rice")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_memberships"
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    last_read_id = models.PositiveBigIntegerField(_("dernier message lu"), default=0)
    email_mentions = models.BooleanField(
        _("m'écrire quand on me mentionne"),
        default=False,
        help_text=_("Recevoir un e-mail quand un membre vous mentionne dans ce salon."),
    )
    muted_until = models.DateTimeField(
        _("réduit au silence jusqu'au"),
        null=True,
        blank=True,
        help_text=_("Ne peut plus écrire dans ce salon jusque-là."),
    )
    joined_at = models.DateTimeField(_("arrivé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("membre du salon")
        verbose_name_plural = _("membres du salon")
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="discussion_unique_membership")]

    def __str__(self):
        return f"{self.user} @ {self.room}"


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_messages"
    )
    body = models.TextField(_("texte"))
    html = models.TextField(_("HTML nettoyé"), editable=False)
    client_id = models.UUIDField(_("identifiant client"), null=True, blank=True, editable=False)
    seq = models.PositiveBigIntegerField(_("numéro du dernier événement"), default=0, editable=False)
    created = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    edited = models.DateTimeField(_("modifié le"), null=True, blank=True)
    deleted = models.BooleanField(_("supprimé"), default=False)
    hidden = models.BooleanField(_("masqué par la modération"), default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("en réponse à"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="replies",
    )
    # The summary of ``Reaction`` rows, rewritten under the room lock with every
    # reaction event: ``[{"emoji": "👍", "users": [{"id": 1, "name": "…"}]}]``.
    # A page or a replay reads it with the message, no query per message.
    reactions = models.JSONField(_("réactions"), default=list, blank=True, editable=False)
    # Computed by PostgreSQL from the body on every write, whatever writes it
    # (NULL on SQLite); searched through its GIN index (``search.py``).
    search_vector = models.GeneratedField(
        expression=MessageVector("body"), output_field=SearchVectorField(null=True), db_persist=True
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            # A client retrying a send after a dropped socket is answered with
            # the original message instead of a second copy.
            models.UniqueConstraint(
                fields=["author", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="discussion_unique_client_id",
            )
        ]
        indexes = [
            models.Index(fields=["room", "seq"], name="discussion_msg_room_seq"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.author} @ {self.room}"

    @property
    def visible(self):
        return not (self.deleted or self.hidden)


def attachment_storage():
    """The private storage of attached files (``STORAGES["discussion_files"]``):
    outside ``MEDIA_ROOT``, so only ``views_files`` serves them, to readers."""
    from django.core.files.storage import storages

    return storages["discussion_files"]


class Attachment(models.Model):
    """An image or PDF uploaded by a member, then attached to one of their
    messages (``message`` stays empty in between). Images are stored
    re-encoded, with a thumbnail; the files go with the row (``signals``)."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        PDF = "pdf", _("PDF")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="attachments")
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_attachments"
    )
    message = models.OneToOneField(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachment"
    )
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    content_type = models.CharField(_("type MIME"), max_length=40)
    name = models.CharField(_("nom"), max_length=120)
    size = models.PositiveIntegerField(_("taille (octets)"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(
        _("fichier"), storage=attachment_storage, upload_to="files/%Y/%m/", max_length=200
    )
    thumbnail = models.FileField(
        _("vignette"), storage=attachment_storage, upload_to="thumbnails/%Y/%m/", max_length=200, blank=True
    )
    created = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("fichier joint")
        verbose_name_plural = _("fichiers joints")

    def __str__(self):
        return self.name


class Reaction(models.Model):
    """One member's emoji on one message (toggled by ``react`` / ``unreact``)."""

    EMOJIS = ("👍", "❤️", "😂", "🎉", "😮", "🙏")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reaction_set")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_reactions"
    )
    emoji = models.CharField(_("émoji"), max_length=8)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("réaction")
        verbose_name_plural = _("réactions")
        constraints = [
            models.UniqueConstraint(fields=["message", "user", "emoji"], name="discussion_unique_reaction")
        ]

    def __str__(self):
        return f"{self.emoji} {self.user} #{self.message_id}"


class Mention(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_mentions"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="discussion_unique_mention")]

    def __str__(self):
        return f"@{self.user} #{self.message_id}"


class Report(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_reports"
    )
    reason = models.TextField(_("motif"), max_length=1000, blank=True)
    created = models.DateTimeField(_("signalé le"), auto_now_add=True)
    resolved = models.BooleanField(_("traité"), default=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="discussion_unique_report")
        ]

    def __str__(self):
        return f"{self.reporter} -> #{self.message_id}"


class ModerationAction(models.Model):
    """The audit trail of moderation: who did what to which message or room, when and why."""

    class Action(models.TextChoices):
        HIDE = "hide", _("message masqué")
        UNHIDE = "unhide", _("message rétabli")
        ARCHIVE = "archive", _("salon archivé")
        UNARCHIVE = "unarchive", _("salon rouvert")
        MUTE = "mute", _("membre réduit au silence")
        UNMUTE = "unmute", _("parole rendue")
        DISMISS = "dismiss", _("signalement classé")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="moderation_actions")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="moderation_actions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="discussion_moderation_actions",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre visé"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="discussion_moderations_received",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("motif"), max_length=1000, blank=True)
    created = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("action de modération")
        verbose_name_plural = _("actions de modération")

    def __str__(self):
        return f"{self.get_action_display()} ({self.actor})"


class DigestSubscription(models.Model):
    """A member's daily e-mail digest of what waits for them (unread mentions,
    and any kind ``network.discussion.digest.SOURCES`` adds). Sent by default;
    a row records the opt-out and the last sending."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_digest"
    )
    enabled = models.BooleanField(_("recevoir le résumé quotidien"), default=True)
    last_sent = models.DateTimeField(_("dernier envoi"), null=True, blank=True)

    class Meta:
        verbose_name = _("résumé quotidien")
        verbose_name_plural = _("résumés quotidiens")

    def __str__(self):
        return f"{self.user} ({'on' if self.enabled else 'off'})"


class Block(models.Model):
    """``blocker`` blocked ``blocked``: the blocked member can neither start a
    conversation with the blocker nor write in one where the blocker is."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre bloqué"),
        on_delete=models.CASCADE,
        related_name="discussion_blocked_by",
    )
    created = models.DateTimeField(_("bloqué le"), auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("membre bloqué")
        verbose_name_plural = _("membres bloqués")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="discussion_unique_block"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="discussion_no_self_block"
            ),
        ]

    def __str__(self):
        return f"{self.blocker} ⊘ {self.blocked}"
