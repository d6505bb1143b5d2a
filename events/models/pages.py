"""The calendar (``EventIndexPage``) and the events (``EventPage``), both Wagtail pages.

Routes delegate to ``events.views``; occurrences are generated from the
page's dates and rule by ``events.services`` when the page is published.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from events.forms import MAX_DAY, MIN_DAY
from events.page_form import EventPageForm
from events.querysets import EventPageQuerySet
from events.recurrence import parse_exdates
from events.vocabulary import AttendanceMode, EventStatus, Kind, Repeat
from network.languages import EnglishIntroMixin, MonolingualPageMixin

# Slugs the calendar's own routes use: an event may not take them.
RESERVED_SLUGS = frozenset({"archives", "ical", "mon-agenda", "proposer", "suivis"})
# Ceiling on the guests an event may let one registration bring.
MAX_GUESTS = 10


class EventChildRoute:
    """Routing to an event child in one query (``EventPage.objects.for_page()``); placed
    after ``RoutablePageMixin``, so the calendar's own routes still come first."""

    def route(self, request, path_components):
        from members.models.venues import route_to_child

        found = route_to_child(self, EventPage.objects.for_page(), request, path_components)
        return found or super().route(request, path_components)


class EventIndexPage(MonolingualPageMixin, EnglishIntroMixin, RoutablePageMixin, EventChildRoute, Page):
    """``/agenda/``: the calendar of the network's meetups and venue events."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), *EnglishIntroMixin.english_panels]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("agenda")

    @path("")
    def calendar(self, request):
        from events import views

        return views.calendar(request, self)

    @re_path(r"^(?P<year>\d{4})/(?P<month>\d{1,2})/$")
    def month(self, request, year, month):
        from events import views

        return views.month(request, self, int(year), int(month))

    @path("archives/")
    def archives(self, request):
        from events import views

        return views.archives(request, self)

    # ``/agenda/agenda.ics`` itself needs a Django URL (Wagtail's serve pattern
    # takes no dots): events/urls.py maps it to the same views as these routes.
    @path("ical/")
    def feed(self, request):
        from events import views

        return views.public_feed(request, self)

    @path("mon-agenda/")
    def private_feed_settings(self, request):
        from events import views

        return views.private_feed_settings(request, self)

    @path("proposer/")
    def propose(self, request):
        from events import proposal_views

        return proposal_views.propose(request, self)

    @path("proposer/merci/")
    def proposal_sent(self, request):
        from events import proposal_views

        return proposal_views.proposal_sent(request, self)

    @re_path(r"^proposer/confirmer/(?P<token>[A-Za-z0-9_-]{10,200})/$")
    def confirm_proposal(self, request, token):
        from events import proposal_views

        return proposal_views.confirm(request, self, token)

    @re_path(r"^mon-agenda/(?P<token>[A-Za-z0-9_-]{20,80})/$")
    def private_feed(self, request, token):
        from events import views

        return views.private_feed(request, self, token)


class EventTag(TaggedItemBase):
    content_object = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("étiquette d'événement")
        verbose_name_plural = _("étiquettes d'événements")


class EventPage(MonolingualPageMixin, RoutablePageMixin, Page):
    """One event: a network meetup under ``/agenda/`` or a venue's event under its VenuePage."""

    base_form_class = EventPageForm

    kind = models.CharField(
        _("type"), max_length=16, choices=Kind.choices, default=Kind.MEETUP, db_index=True
    )
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    body = RichTextField(
        _("description"), blank=True, features=["h2", "h3", "bold", "italic", "ol", "ul", "link"]
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Sans image, la page montre la photo du lieu ou une illustration."),
    )
    image_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=250,
        blank=True,
        help_text=_("Ce que montre l'image, en une phrase, pour qui ne la voit pas."),
    )
    tags = ClusterTaggableManager(_("étiquettes"), through=EventTag, blank=True)
    audience = models.CharField(
        _("public"), max_length=255, blank=True, help_text=_("À qui s'adresse l'événement.")
    )
    accessibility = models.TextField(_("accessibilité"), blank=True)
    is_free = models.BooleanField(_("gratuit"), default=True)
    price = models.CharField(
        _("tarif"), max_length=255, blank=True, help_text=_("Si l'événement est payant.")
    )
    organizer_name = models.CharField(_("organisé par"), max_length=150, blank=True)
    organizer_email = models.EmailField(_("e-mail de contact"), blank=True)
    organizer_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)

    attendance_mode = models.CharField(
        _("participation"), max_length=8, choices=AttendanceMode.choices, default=AttendanceMode.OFFLINE
    )
    venue = models.ForeignKey(
        "members.VenuePage",
        verbose_name=_("lieu du réseau"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_events",
        help_text=_("Par défaut, le lieu sous lequel l'événement est créé."),
    )
    street_address = models.CharField(
        _("adresse"),
        max_length=255,
        blank=True,
        help_text=_("Si l'événement n'a pas lieu dans un lieu du réseau."),
    )
    commune = models.ForeignKey(
        "members.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    online_url = models.URLField(_("lien de connexion"), blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=EventStatus.choices, default=EventStatus.SCHEDULED, db_index=True
    )

    start = models.DateTimeField(
        _("début"), help_text=_("Heure de Paris. Première date si l'événement se répète.")
    )
    end = models.DateTimeField(_("fin"))
    all_day = models.BooleanField(_("toute la journée"), default=False)
    repeat = models.CharField(_("répétition"), max_length=16, choices=Repeat.choices, default=Repeat.NONE)
    repeat_interval = models.PositiveSmallIntegerField(_("toutes les N semaines ou N mois"), default=1)
    repeat_until = models.DateField(_("jusqu'au"), null=True, blank=True)
    repeat_count = models.PositiveSmallIntegerField(_("nombre de dates"), null=True, blank=True)
    exception_dates = models.TextField(
        _("dates exclues"),
        blank=True,
        help_text=_("Dates AAAA-MM-JJ, une par ligne, où l'événement n'a pas lieu."),
    )
    capacity = models.PositiveIntegerField(
        _("places par date"), null=True, blank=True, help_text=_("Laissez vide pour un nombre illimité.")
    )
    registration_enabled = models.BooleanField(_("inscription sur le site"), default=True)
    open_to_visitors = models.BooleanField(
        _("inscription sans compte"),
        default=True,
        help_text=_("Un·e visiteur·se s'inscrit avec son nom et son e-mail, confirmé par un lien."),
    )
    max_guests = models.PositiveSmallIntegerField(
        _("accompagnant·es par inscription"),
        default=0,
        validators=[MaxValueValidator(MAX_GUESTS)],
        help_text=_("0 : chacun·e s'inscrit seul·e. Les accompagnant·es comptent dans les places."),
    )

    # Set by events.services, kept across revisions (see with_content_json).
    room = models.ForeignKey(
        "discussion.Room", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    sequence = models.PositiveIntegerField(_("version publiée"), default=0, editable=False)
    # A private event (e.g. a mentoring visit) stays a draft and is left out of every
    # public listing, feed, sitemap and search; only its own app shows it to its people.
    is_private = models.BooleanField(
        _("visite privée : hors agenda public"), default=False, editable=False, db_index=True
    )
    notice_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # What the site search looks in (members.search), rebuilt on every full save.
    search_document = models.TextField(blank=True, default="", editable=False)

    objects = PageManager.from_queryset(EventPageQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("all_day"),
                FieldRowPanel([FieldPanel("repeat"), FieldPanel("repeat_interval")]),
                FieldRowPanel([FieldPanel("repeat_until"), FieldPanel("repeat_count")]),
                FieldPanel("exception_dates"),
            ],
            heading=_("Dates"),
        ),
        InlinePanel("extra_dates", heading=_("Autres dates"), label=_("Date")),
        MultiFieldPanel(
            [
                FieldPanel("attendance_mode"),
                FieldPanel("venue"),
                FieldPanel("street_address"),
                FieldPanel("commune"),
                FieldPanel("online_url"),
            ],
            heading=_("Où"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration_enabled"),
                FieldPanel("capacity"),
                FieldRowPanel([FieldPanel("open_to_visitors"), FieldPanel("max_guests")]),
            ],
            heading=_("Inscription"),
        ),
        InlinePanel(
            "questions", heading=_("Questions posées à l'inscription"), label=_("question"), max_num=10
        ),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("accessibility"),
                FieldRowPanel([FieldPanel("is_free"), FieldPanel("price")]),
            ],
            heading=_("Infos pratiques"),
        ),
        MultiFieldPanel(
            [FieldPanel("organizer_name"), FieldPanel("organizer_email"), FieldPanel("organizer_phone")],
            heading=_("Contact"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.SearchField("search_document"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["events.EventIndexPage", "members.VenuePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    # -- validation and defaults ---------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("Cette adresse est réservée ; choisissez-en une autre.")
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("La fin doit suivre le début.")
        for name in ("start", "end"):
            moment = getattr(self, name)
            if moment and not MIN_DAY <= timezone.localtime(moment).date() <= MAX_DAY:
                errors[name] = _("Choisissez une date entre %(first)s et %(last)s.") % {
                    "first": MIN_DAY.year,
                    "last": MAX_DAY.year,
                }
        if self.repeat_until and not MIN_DAY <= self.repeat_until <= MAX_DAY:
            errors["repeat_until"] = _("Choisissez une date entre %(first)s et %(last)s.") % {
                "first": MIN_DAY.year,
                "last": MAX_DAY.year,
            }
        if self.attendance_mode in (AttendanceMode.ONLINE, AttendanceMode.MIXED) and not self.online_url:
            errors["online_url"] = _("Indiquez le lien de connexion d'un événement en ligne.")
        if (
            self.attendance_mode in (AttendanceMode.OFFLINE, AttendanceMode.MIXED)
            and not self.venue_id
            and not self.street_address
            and not self._parent_venue_id()
        ):
            errors["venue"] = _("Choisissez un lieu du réseau ou indiquez une adresse.")
        if self.repeat != Repeat.NONE and self.repeat_until and self.repeat_count:
            errors["repeat_count"] = _("Indiquez une date de fin ou un nombre de dates, pas les deux.")
        if self.repeat != Repeat.NONE and not self.repeat_until and not self.repeat_count:
            errors["repeat_until"] = _(
                "Une répétition doit s'arrêter : indiquez une date de fin ou un nombre de dates."
            )
        if self.repeat_until and self.start and self.repeat_until < self.start.date():
            errors["repeat_until"] = _("La date de fin de la répétition précède la première date.")
        if self.repeat_interval is not None and not 1 <= self.repeat_interval <= 52:
            errors["repeat_interval"] = _("Choisissez un intervalle entre 1 et 52.")
        _dates, invalid = parse_exdates(self.exception_dates)
        if invalid:
            errors["exception_dates"] = _("Dates non reconnues : %(dates)s (format AAAA-MM-JJ).") % {
                "dates": ", ".join(invalid[:5])
            }
        if not self.is_free and not self.price:
            errors["price"] = _("Indiquez le tarif d'un événement payant.")
        taken = self._most_confirmed_upcoming()
        if self.capacity is not None and taken > self.capacity:
            errors["capacity"] = _(
                "Une date à venir compte déjà %(count)s inscrit·es confirmé·es : "
                "la capacité ne peut pas descendre sous ce nombre."
            ) % {"count": taken}
        if errors:
            raise ValidationError(errors)

    def _most_confirmed_upcoming(self):
        """The most confirmed registrations any occurrence still to come holds (0 for a new page)."""
        if not self.pk:
            return 0
        from django.db.models import Max
        from django.utils import timezone

        from events.models.occurrences import Occurrence

        counts = (
            Occurrence.objects.filter(event_id=self.pk, end__gte=timezone.now())
            .with_counts()
            .aggregate(most=Max("confirmed_count"))
        )
        return counts["most"] or 0

    def _parent_venue_id(self):
        """The venue this page sits under, if any (needs the page in the tree)."""
        from members.models import VenuePage

        if not self.path or self.depth is None or self.depth <= 1:
            return None
        parent = self.get_parent()
        if parent is not None and parent.specific_class is VenuePage:
            return parent.pk
        return None

    def save(self, *args, **kwargs):
        if not self.venue_id and self.attendance_mode != AttendanceMode.ONLINE and not self.street_address:
            self.venue_id = self._parent_venue_id()
        if kwargs.get("update_fields") is None:  # a full save: a publication, a new event
            self.search_document = self.build_search_document()
        return super().save(*args, **kwargs)

    def build_search_document(self):
        from events.search import event_document

        venue = self.venue if self.venue_id else None
        commune = self.commune if self.commune_id else (venue.commune if venue and venue.commune_id else None)
        return event_document(
            title=self.title,
            summary=self.summary,
            body=self.body,
            tags=[tag.name for tag in self.tags.all()],
            kind=self.kind,
            place_names=[venue.title if venue else "", commune.name if commune else ""],
            organizer_name=self.organizer_name,
        )

    def with_content_json(self, content):
        """Restoring or publishing a revision keeps the state the services own."""
        obj = super().with_content_json(content)
        obj.room_id = self.room_id
        obj.sequence = self.sequence
        obj.is_private = self.is_private
        obj.notice_fingerprint = self.notice_fingerprint
        return obj

    # -- derived facts -------------------------------------------------------

    @property
    def location_commune(self):
        if self.venue_id and self.venue and self.venue.commune_id:
            return self.venue.commune
        return self.commune

    @property
    def is_online(self):
        return self.attendance_mode == AttendanceMode.ONLINE

    @property
    def position(self):
        if self.venue_id and self.venue is not None and not self.is_online:
            return self.venue.position
        return None

    @property
    def location_label(self):
        """One line: "La Coroutine, Roubaix", an address, or "En ligne"."""
        if self.is_online:
            return str(_("En ligne"))
        commune = self.location_commune
        parts = [self.venue.title if self.venue_id and self.venue else self.street_address]
        if commune is not None:
            parts.append(commune.name)
        return ", ".join(part for part in parts if part)

    # -- privacy ---------------------------------------------------------------

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().filter(is_private=False)

    def get_sitemap_urls(self, request=None):
        return [] if self.is_private else super().get_sitemap_urls(request)

    def route(self, request, path_components):
        # Even published by mistake, a private event answers 404 to everyone.
        if self.is_private:
            raise Http404
        return super().route(request, path_components)

    def asks_questions(self):
        """Whether registering asks questions: from ``for_page()``'s annotation when the page
        was routed (no query), else one query."""
        known = getattr(self, "has_questions", None)
        return self.questions.exists() if known is None else known

    def get_context(self, request, *args, **kwargs):
        from events.pictures import event_picture

        context = super().get_context(request, *args, **kwargs)
        context["picture"] = context["og_picture"] = event_picture(self)
        return context

    # -- routes ----------------------------------------------------------------

    @path("")
    def detail(self, request):
        from events import views

        return views.event_detail(request, self)

    @path("inscription/")
    def register(self, request):
        from events import views

        return views.register(request, self)

    @re_path(r"^inscription/(?P<action>confirmer|annuler)/(?P<token>[0-9]{1,32}-[0-9a-f]{1,128})/$")
    def registration_link(self, request, action, token):
        from events import views

        return views.registration_link(
            request, self, token, {"confirmer": "confirm", "annuler": "cancel"}[action]
        )

    @path("desinscription/")
    def unregister(self, request):
        from events import views

        return views.unregister(request, self)

    @path("ics/")
    def ics(self, request):
        from events import views

        return views.event_ics(request, self)

    @path("participants/")
    def attendees(self, request):
        from events import views

        return views.attendees(request, self)

    @path("participants/csv/")
    def attendees_csv(self, request):
        from events import views

        return views.attendees_csv(request, self)

    @path("gestion/")
    def manage(self, request):
        from events import views

        return views.manage_occurrence(request, self)


class EventExtraDate(Orderable):
    """A further date of an event that does not follow its rule."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="extra_dates")
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))

    panels = [FieldRowPanel([FieldPanel("start"), FieldPanel("end")])]

    class Meta(Orderable.Meta):
        verbose_name = _("autre date")
        verbose_name_plural = _("autres dates")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("La fin doit suivre le début.")})
