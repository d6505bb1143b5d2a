from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BodyBlock


class SearchDocumentMixin:
    """A content page's site-search document (``members.search``), rebuilt on every full save."""

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None:
            self.search_document = self.build_search_document()
        return super().save(*args, **kwargs)

    def build_search_document(self):
        from home.search import page_document

        body = self._meta.get_field("body").get_searchable_content(self.body)
        return page_document(self.title, self.search_description, self.intro, *body)


class HomePage(SearchDocumentMixin, Page):
    """The network's home page: the root of the site's page tree."""

    intro = models.TextField(_("accroche"), blank=True, max_length=400)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)
    search_document = models.TextField(blank=True, default="", editable=False)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("search_document"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "members.VenueIndexPage",
        "events.EventIndexPage",
        "mentoring.MentoringPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")

    def route(self, request, path_components):
        """Through a section (``/lieux/``, ``/agenda/``) to a page below it, the section
        comes without its own fields (``specific_deferred``): it only routes on, and
        Wagtail's ``route()`` would read its specific row for nothing."""
        if len(path_components) > 1:
            section = self.get_children().filter(slug=path_components[0]).first()
            if section is not None:
                section = section.specific_deferred
                section._cached_parent_obj = self  # as Wagtail's route() does
                return section.route(request, path_components[1:])
        return super().route(request, path_components)


class StandardPage(SearchDocumentMixin, Page):
    """A content page: what a tiers-lieu is, how the network works..."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)
    search_document = models.TextField(blank=True, default="", editable=False)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("search_document"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("page de contenu")
        verbose_name_plural = _("pages de contenu")
