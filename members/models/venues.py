"""The directory (``VenueIndexPage``) and the venue profiles (``VenuePage``)."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from members.fields import ChoiceListField
from members.querysets import VenuePageQuerySet, VenueTagQuerySet
from members.search import search_document
from members.venue_form import VenuePageForm
from members.vocabulary import (
    ACTIVITY_CHOICES,
    LEGAL_FORM_CHOICES,
    WEEKDAY_CHOICES,
    activity_codes,
    activity_label,
)
from members.widgets import CoordinateInput
from network.languages import EnglishIntroMixin, MonolingualPageMixin, is_english
from network.permissions import can_edit_page

RESERVED_SLUGS = frozenset({"referencer", "lieux-geojson", "lieux-csv"})
# The admin form's message for a photo without alt text (members.venue_form).
GALLERY_ALT_REQUIRED = _(
    "Décrivez ce que montre la photo : ce texte la remplace pour les personnes qui ne la voient pas."
)


def route_to_child(parent, pages, request, path_components):
    """Route through the child of ``parent`` named by the first path component when
    ``pages`` (a queryset of its page type, with what the page reads joined) holds it:
    one query where Wagtail's ``route()`` takes two (the page, then its specific row)
    and one per relation. ``None`` when there is no such child (Wagtail's routing goes on)."""
    if not path_components:
        return None
    child = pages.child_of(parent).filter(slug=path_components[0]).first()
    if child is None:
        return None
    child._cached_parent_obj = parent  # get_parent() and URLs without a query, as Wagtail's route() does
    return child.route(request, path_components[1:])


class VenueIndexPage(MonolingualPageMixin, EnglishIntroMixin, Page):
    """``/lieux/``: the directory of member venues."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), *EnglishIntroMixin.english_panels]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["members.VenuePage"]
    max_count = 1

    class Meta:
        verbose_name = _("annuaire des lieux")

    def route(self, request, path_components):
        """A venue is fetched as a VenuePage with its commune and room, in one query
        (Wagtail's default takes four: the page, its specific row, commune, room)."""
        venues = VenuePage.objects.select_related("commune", "room")
        return route_to_child(self, venues, request, path_components) or super().route(
            request, path_components
        )

    def get_context(self, request, *args, **kwargs):
        from members.directory import directory_context

        context = super().get_context(request, *args, **kwargs)
        context.update(directory_context(self, request))
        return context


class VenueTag(TaggedItemBase):
    content_object = ParentalKey("members.VenuePage", on_delete=models.CASCADE, related_name="tagged_items")

    objects = VenueTagQuerySet.as_manager()

    class Meta:
        verbose_name = _("étiquette de lieu")
        verbose_name_plural = _("étiquettes de lieux")


class VenuePage(MonolingualPageMixin, Page):
    """A member venue's public profile, edited by its managers in Wagtail's admin.

    In French only but for ``summary_en``, shown to English visitors (docs/i18n.md)."""

    base_form_class = VenuePageForm

    summary = models.CharField(
        _("résumé"), max_length=300, blank=True, help_text=_("Une ou deux phrases, pour l'annuaire.")
    )
    summary_en = models.CharField(
        _("résumé en anglais"),
        max_length=300,
        blank=True,
        help_text=_("Le résumé pour les visiteurs anglophones ; vide, ils lisent le résumé en français."),
    )
    description = RichTextField(
        _("description"), blank=True, features=["h2", "h3", "bold", "italic", "ol", "ul", "link"]
    )
    main_activity = models.CharField(
        _("activité principale"), max_length=32, choices=ACTIVITY_CHOICES, default="coworking", db_index=True
    )
    secondary_activities = ChoiceListField(
        _("activités secondaires"), list_choices=ACTIVITY_CHOICES, max_length=255
    )
    tags = ClusterTaggableManager(
        _("étiquettes"),
        through=VenueTag,
        blank=True,
        help_text=_("Équipements et services : « impression 3D », « découpe laser », « salle de réunion »…"),
    )
    # A labelled empty choice replaces Django's "---------" in the admin's select.
    legal_form = models.CharField(
        _("forme juridique"),
        max_length=32,
        choices=[("", _("— Non précisée —")), *LEGAL_FORM_CHOICES],
        blank=True,
    )

    street_address = models.CharField(_("adresse"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "members.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,  # drafts may be saved before the commune is known
        related_name="venues",
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Degrés décimaux (WGS84). Laissez vide pour utiliser la position de la commune."),
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Degrés décimaux (WGS84). Cliquez sur la carte pour placer le lieu."),
    )

    surface_m2 = models.PositiveIntegerField(_("surface (m²)"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacité d'accueil"), null=True, blank=True, help_text=_("Nombre de personnes accueillies.")
    )
    pricing = models.TextField(_("tarifs"), blank=True)
    is_free = models.BooleanField(_("gratuit"), default=False)
    solidarity_pricing = models.BooleanField(_("tarifs solidaires"), default=False)
    step_free_access = models.BooleanField(_("accès de plain-pied / PMR"), default=False, db_index=True)
    in_qpv = models.BooleanField(_("en quartier prioritaire (QPV)"), default=False, db_index=True)
    mel_support_year = models.PositiveSmallIntegerField(
        _("soutien MEL : année"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Année du soutien de l'appel à projets tiers-lieux de la MEL, le cas échéant."),
    )
    mel_support_amount = models.DecimalField(
        _("soutien MEL : montant (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    website = models.URLField(_("site web"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    social_links = models.TextField(
        _("réseaux sociaux"), blank=True, help_text=_("Une adresse (https://…) par ligne.")
    )

    # Kept in step with the venue's mentor profile by the mentoring app's services.
    offers_mentoring = models.BooleanField(
        _("propose du compagnonnage"),
        default=False,
        db_index=True,
        help_text=_("Se règle depuis la fiche compagnon du lieu (Compagnonnage)."),
    )
    last_checked = models.DateField(_("informations vérifiées le"), null=True, blank=True)

    # Where an imported venue comes from, so that re-imports update it.
    source = models.CharField(_("source"), max_length=40, blank=True, editable=False)
    source_id = models.CharField(_("identifiant dans la source"), max_length=64, blank=True, editable=False)
    # What the directory's search box looks in (members.search), rebuilt on every full save.
    search_document = models.TextField(blank=True, default="", editable=False)
    # Created by members.services.attach_manager; the venue's managers and images.
    manager_group = models.OneToOneField(
        "auth.Group", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="venue"
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The venue's discussion room, moderated by its managers (members.services).
    room = models.OneToOneField(
        "discussion.Room",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="venue",
    )

    objects = PageManager.from_queryset(VenuePageQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("summary_en"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("main_activity"), FieldPanel("secondary_activities"), FieldPanel("tags")],
            heading=_("Activités"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("commune"),
                FieldRowPanel(
                    [
                        FieldPanel("latitude", widget=CoordinateInput(axis="lat")),
                        FieldPanel("longitude", widget=CoordinateInput(axis="lng")),
                    ]
                ),
            ],
            heading=_("Adresse et position"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("surface_m2"), FieldPanel("capacity")]),
                FieldPanel("legal_form"),
                FieldPanel("step_free_access"),
                FieldPanel("in_qpv"),
                FieldPanel("offers_mentoring", read_only=True),
            ],
            heading=_("Le lieu"),
        ),
        InlinePanel("opening_hours", heading=_("Horaires d'ouverture"), label=_("Créneau")),
        MultiFieldPanel(
            [FieldPanel("pricing"), FieldPanel("is_free"), FieldPanel("solidarity_pricing")],
            heading=_("Tarifs"),
        ),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("email"), FieldPanel("phone"), FieldPanel("social_links")],
            heading=_("Contacts"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("mel_support_year"), FieldPanel("mel_support_amount")])],
            heading=_("Soutien de la MEL"),
        ),
        InlinePanel("gallery_images", heading=_("Galerie de photos"), label=_("Photo")),
        FieldPanel("last_checked"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("summary_en"),
        index.SearchField("description"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("main_activity"),
        index.FilterField("in_qpv"),
        index.FilterField("offers_mentoring"),
        index.FilterField("step_free_access"),
    ]
    parent_page_types = ["members.VenueIndexPage"]
    # A venue's own events live under it (DESIGN.md); members never imports
    # events, so the page type is looked up by name once the app provides it.
    subpage_types = []

    def route(self, request, path_components):
        """The venue's own events, in one query (``EventPage.objects.for_page()``)."""
        try:
            events = apps.get_model("events", "EventPage").objects.for_page()
        except LookupError:
            events = None
        found = events is not None and route_to_child(self, events, request, path_components)
        return found or super().route(request, path_components)

    @classmethod
    def clean_subpage_models(cls):
        if not cls._clean_subpage_models:
            try:
                cls._clean_subpage_models = [apps.get_model("events", "EventPage")]
            except LookupError:
                return []
        return cls._clean_subpage_models

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        indexes = [models.Index(fields=["source", "source_id"], name="venue_source_idx")]

    @property
    def summary_in_language(self):
        """The English summary in English when there is one, else the French one."""
        return (self.summary_en if is_english() else "") or self.summary

    @property
    def summary_is_french(self):
        """Whether the summary shown is in French while the page is in English (its ``lang``)."""
        return is_english() and not self.summary_en

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None:  # a full save: a publication, an import, a new venue
            self.search_document = self.build_search_document()
        return super().save(*args, **kwargs)

    def build_search_document(self, tag_names=None):
        """``tag_names``: the tags, when they are known without a query (a bulk import)."""
        return search_document(
            title=self.title,
            summary=self.summary,
            summary_en=self.summary_en,
            description=self.description,
            commune=self.commune.name if self.commune_id else "",
            tags=[tag.name for tag in self.tags.all()] if tag_names is None else tag_names,
            main_activity=self.main_activity,
            secondary_activities=self.secondary_activities,
        )

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("Cette adresse est réservée ; choisissez-en une autre.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": _("Indiquez la latitude et la longitude, ou laissez les deux vides.")}
            )

    # -- derived facts -------------------------------------------------------

    @property
    def position(self):
        """``(lat, lng)``: the venue's own position, else its commune's, else ``None``."""
        if self.latitude is not None and self.longitude is not None:
            return (self.latitude, self.longitude)
        if self.commune_id is not None:
            return self.commune.position
        return None

    @property
    def position_is_approximate(self):
        return self.latitude is None or self.longitude is None

    @property
    def activities(self):
        """Main activity first, then the secondary ones, without repeats."""
        return activity_codes(self.main_activity, self.secondary_activities)

    @property
    def main_activity_label(self):
        return activity_label(self.main_activity)

    @property
    def activity_labels(self):
        return [activity_label(code) for code in self.activities]

    @property
    def social_link_list(self):
        return [
            line.strip() for line in self.social_links.splitlines() if line.strip().startswith("https://")
        ]

    @property
    def tag_list(self):
        """The tags: from the prefetch of ``for_listing()`` when there is one, else one query."""
        if hasattr(self, "listed_tagged_items"):
            return [item.tag for item in self.listed_tagged_items]
        return list(self.tags.all())

    @property
    def tag_names(self):
        return sorted(tag.name for tag in self.tag_list)

    def with_content_json(self, content):
        """Links that services keep (managers, images, room) are never rolled back
        by publishing an older revision."""
        obj = super().with_content_json(content)
        obj.manager_group_id = self.manager_group_id
        obj.collection_id = self.collection_id
        obj.room_id = self.room_id
        obj.offers_mentoring = self.offers_mentoring
        return obj

    def get_context(self, request, *args, **kwargs):
        from django.db.models import prefetch_related_objects

        context = super().get_context(request, *args, **kwargs)
        # One query each, shared by the template and the JSON-LD block.
        prefetch_related_objects([self], "tags", "opening_hours")
        context["opening_hours"] = sorted(self.opening_hours.all(), key=lambda row: (row.weekday, row.opens))
        context["directory_url"] = self.get_parent().get_url(request)
        # Its managers (and staff) find the embed of its agenda here; anonymous visitors cost no query.
        user = getattr(request, "user", None)
        context["manages_venue"] = can_edit_page(user, self)
        # Renditions prefetched: the query count does not grow with the number of photos.
        from members.pictures import gallery_of, venue_picture

        gallery = gallery_of(self)
        # The first photo leads the page (else the activity's illustration); the others follow.
        context["picture"] = context["og_picture"] = venue_picture(self, gallery)
        context["gallery"] = gallery[1:]
        return context


class OpeningHours(Orderable):
    page = ParentalKey(VenuePage, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(
        _("jour"), choices=[(None, _("Choisir un jour")), *WEEKDAY_CHOICES]
    )
    opens = models.TimeField(_("ouvre à"))
    closes = models.TimeField(_("ferme à"))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")

    def clean(self):
        super().clean()
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError({"closes": _("L'heure de fermeture doit suivre l'heure d'ouverture.")})


class VenueGalleryImage(Orderable):
    page = ParentalKey(VenuePage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    # Required: the photo is content, and this is what screen readers say in its place.
    alt_text = models.CharField(
        _("texte alternatif"),
        max_length=250,
        help_text=_("Ce que montre la photo, en une phrase, pour qui ne la voit pas."),
    )
    caption = models.CharField(_("légende"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    @property
    def alt(self):
        """The alt text; a photo saved before it was required says its caption."""
        return self.alt_text.strip() or self.caption
