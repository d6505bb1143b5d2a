"""``/compagnonnage/``: the landing page, whose routes serve the member-facing views."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from network.languages import EnglishIntroMixin, MonolingualPageMixin, is_english


class MentoringPage(MonolingualPageMixin, EnglishIntroMixin, RoutablePageMixin, Page):
    """What compagnonnage is, the request form, and the follow-up of requests and pairings.

    Routes delegate to ``mentoring.views``.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = RichTextField(
        _("contenu"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )

    body_en = RichTextField(
        _("contenu en anglais"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        *EnglishIntroMixin.english_panels,
        FieldPanel("body_en"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("page compagnonnage")

    @property
    def body_in_language(self):
        return (self.body_en if is_english() else "") or self.body

    @path("")
    def landing(self, request):
        from mentoring import views

        return views.landing(request, self)

    @path("demande/")
    def new_request(self, request):
        from mentoring import views

        return views.new_request(request, self)

    @path("demande/<int:pk>/")
    def edit_request(self, request, pk):
        from mentoring import views

        return views.edit_request(request, self, pk)

    @path("demande/<int:pk>/retirer/")
    def withdraw_request(self, request, pk):
        from mentoring import views

        return views.withdraw_request(request, self, pk)

    @path("mes-demandes/")
    def my_requests(self, request):
        from mentoring import views

        return views.my_requests(request, self)

    @path("mentor/<int:venue_id>/")
    def mentor_profile(self, request, venue_id):
        from mentoring import views

        return views.mentor_profile(request, self, venue_id)

    @path("proposition/<int:pk>/")
    def answer_proposal(self, request, pk):
        from mentoring import views

        return views.answer_proposal(request, self, pk)

    @path("binome/<int:pk>/")
    def pairing_detail(self, request, pk):
        from mentoring import views

        return views.pairing_detail(request, self, pk)

    @path("binome/<int:pk>/point/")
    def pairing_checkin(self, request, pk):
        from mentoring import views

        return views.pairing_action(request, self, pk, "checkin")

    @path("binome/<int:pk>/visite/")
    def pairing_visit(self, request, pk):
        from mentoring import views

        return views.pairing_action(request, self, pk, "visit")

    # Wagtail's serve pattern takes no dots: the file is named by Content-Disposition.
    @path("binome/<int:pk>/visite/ics/")
    def pairing_visit_ics(self, request, pk):
        from mentoring import views

        return views.pairing_visit_ics(request, self, pk)

    @path("binome/<int:pk>/cloture/")
    def pairing_close(self, request, pk):
        from mentoring import views

        return views.pairing_action(request, self, pk, "close")
