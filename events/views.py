"""Views of the calendar and the event pages (called by the pages' routes); thin: services do the work."""

import csv
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from events import calendar as cal
from events import conf, feeds, ical, services
from events.errors import ServiceError
from events.forms import MAX_DAY, MIN_DAY, MoveOccurrenceForm, RegistrationForm, VisitorRegistrationForm
from events.models import CalendarToken, Occurrence, Registration
from events.permissions import can_manage_event, can_register
from events.vocabulary import Kind, RegistrationStatus
from members.page_cache import cache_for_everyone
from network.public_forms import RateLimited, check_rate_limit
from network.spreadsheet import spreadsheet_safe
from network.validation import parse_id


def _page_number(request):
    return request.GET.get("page") or 1


def _calendar_context(request, index, query):
    from members.models import Commune, VenuePage

    return {
        "filter_form": query.form,
        "filter_errors": query.errors,
        "query_string": query.query_string,
        # The key of the menus' cached fragment: the filters as asked, known ones only.
        "filter_params": urlencode(
            [(name, value) for name in cal.FILTER_PARAMS for value in request.GET.getlist(name)]
        ),
        "kinds": Kind.choices,
        "communes": Commune.objects.filter(pk__in=VenuePage.objects.published().values("commune")),
        "tags": cal.tags_in_use(),
        "today": timezone.localdate(),
        "feed_url": feed_urls(index)[0],
        # "Suivre" buttons for what the calendar is filtered by.
        "follow_venue": query.data.get("venue"),
        "follow_commune": query.data.get("commune"),
        "follow_kind": query.data.get("kind"),
    }


# -- the calendar ---------------------------------------------------------------


def calendar(request, index):
    query = cal.filter_occurrences(request.GET)
    occurrences = query.occurrences
    if not query.data.get("start"):
        occurrences = occurrences.upcoming()
    occurrences = occurrences.for_listing().with_counts().order_by("start", "pk")
    page_obj = Paginator(occurrences, conf.per_page()).get_page(_page_number(request))
    context = _calendar_context(request, index, query)
    context.update({"page_obj": page_obj, "days": cal.group_by_day(page_obj.object_list)})
    now = timezone.localdate()
    context["month_url"] = f"{index.url}{now.year}/{now.month}/"
    return index.render(request, context_overrides=context)


def month(request, index, year, month):
    if not (1 <= month <= 12 and MIN_DAY.year <= year <= MAX_DAY.year):
        raise BadRequest(_("Ce mois n'existe pas."))
    first, following = cal.month_bounds(year, month)
    query = cal.filter_occurrences(request.GET)
    dates = query.occurrences.between(cal.local_midnight(first), cal.local_midnight(following))
    previous = first - timedelta(days=1)
    context = _calendar_context(request, index, query)
    context.update(
        {
            "month_start": first,
            # Read where the template shows the grid: a fragment cached per generation,
            # language, month and filters (events/event_index_month.html).
            "weeks": SimpleLazyObject(lambda: cal.month_grid(year, month, cal.first_of_each_day(dates))),
            "previous_url": f"{index.url}{previous.year}/{previous.month}/",
            "next_url": f"{index.url}{following.year}/{following.month}/",
            "previous_month": previous,
            "next_month": following,
        }
    )
    return index.render(request, context_overrides=context, template="events/event_index_month.html")


def archives(request, index):
    query = cal.filter_occurrences(request.GET)
    occurrences = query.occurrences.past().for_listing()
    page_obj = Paginator(occurrences, conf.per_page()).get_page(_page_number(request))
    context = _calendar_context(request, index, query)
    context.update({"page_obj": page_obj, "days": cal.group_by_day(page_obj.object_list)})
    return index.render(request, context_overrides=context, template="events/event_index_archives.html")


def _public_feed_occurrences(request):
    query = cal.filter_occurrences(request.GET)
    since = timezone.now() - timedelta(days=conf.feed_past_days())
    occurrences = query.occurrences.filter(end__gte=since).for_listing().order_by("start", "pk")
    return occurrences[: conf.feed_max_items()]


def public_feed(request, index):
    occurrences = _public_feed_occurrences(request)
    return feeds.ics_response(
        request,
        occurrences,
        lambda: ical.build_calendar(
            occurrences, name=_("Agenda de la Compagnie des Tiers-lieux"), request=request
        ),
        filename="agenda.ics",
    )


def private_feed(request, index, token):
    owner = CalendarToken.objects.filter(token=token).values_list("user_id", flat=True).first()
    if owner is None:
        raise Http404(_("Ce flux n'existe pas ou a été révoqué."))
    since = timezone.now() - timedelta(days=conf.feed_past_days())
    occurrences = (
        Occurrence.objects.published()
        .filter(
            end__gte=since,
            registrations__user_id=owner,
            registrations__status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
        )
        .for_listing()
        .order_by("start", "pk")
        .distinct()
    )[: conf.feed_max_items()]
    return feeds.ics_response(
        request,
        occurrences,
        lambda: ical.build_calendar(
            occurrences, name=_("Mon agenda — Compagnie des Tiers-lieux"), request=request
        ),
        filename="mon-agenda.ics",
        private=True,
    )


def private_feed_settings(request, index):
    if request.method != "POST":
        return redirect("profile")
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("profile"))
    action = request.POST.get("action")
    if action == "regenerate":
        services.regenerate_calendar_token(by=request.user)
        messages.success(
            request, _("Votre agenda privé a une nouvelle adresse ; l'ancienne ne fonctionne plus.")
        )
    elif action == "revoke":
        services.revoke_calendar_token(by=request.user)
        messages.success(request, _("Votre agenda privé est désactivé."))
    else:
        messages.error(request, _("Action inconnue."))
    return redirect("profile")


# -- an event -------------------------------------------------------------------


def _event_occurrences(event, user):
    """Dates shown on the page: those to come, or the last ones when it is over, with
    ``user``'s registration to each (``my_status``, ``my_rank``) when signed in."""
    base = event.occurrences.with_counts()
    if user.is_authenticated:
        base = base.with_registration_of(user)
    upcoming = list(base.upcoming()[:50])
    return upcoming or list(base.past()[:5])


def _my_registration(occurrence, user):
    """The visitor's registration to ``occurrence`` as the template reads it (its status and
    place on the waiting list), from the listing's annotations."""
    status = getattr(occurrence, "my_status", None)
    if status is None:
        return None
    registration = Registration(occurrence=occurrence, user=user, status=status)
    registration.position = occurrence.my_rank if registration.is_waitlisted else None
    return registration


def event_detail(request, event):
    occurrences = _event_occurrences(event, request.user)
    for occurrence in occurrences:
        occurrence.event = event  # reuse the page (and its joined venue) instead of another query
        occurrence.my_registration = _my_registration(occurrence, request.user)
        occurrence.seats_left = occurrence.places_left(occurrence.confirmed_count)
    member_may_register = can_register(request.user)
    context = {
        "occurrences": occurrences,
        "can_register": member_may_register,
        "can_manage": can_manage_event(request.user, event),
        "several": len(occurrences) > 1,
        # Guests or questions: members register through the form page too.
        "registration_form_needed": member_may_register and (event.max_guests > 0 or event.asks_questions()),
    }
    return event.render(request, context_overrides=context)


def _chosen_occurrence(request, event):
    raw = request.POST.get("occurrence", "")
    occurrences = event.occurrences.all()
    if not raw:
        upcoming = list(occurrences.upcoming()[:2])
        if len(upcoming) == 1:
            return upcoming[0]
        raise ServiceError(_("Choisissez une date."), code="invalid_occurrence")
    pk = parse_id(raw)
    if pk is None:
        raise ServiceError(_("Cette date n'existe pas."), code="invalid_occurrence")
    occurrence = occurrences.filter(pk=pk).first()
    if occurrence is None:
        raise ServiceError(_("Cette date n'existe pas."), code="invalid_occurrence")
    return occurrence


def _post_only(request, event):
    if request.method != "POST":
        return redirect(event.url)
    if not request.user.is_authenticated:
        return redirect_to_login(event.url)
    return None


def _registration_form(request, event, visitor):
    data = request.POST if request.method == "POST" else None
    if visitor:
        return VisitorRegistrationForm(data, event=event)
    return RegistrationForm(data, event=event, visitor=False)


def _visitor_rate_limited(request, form):
    """Count this visitor's registration; a form error past the limit."""
    limit, window = conf.visitor_rate_limit()
    try:
        check_rate_limit(request, "event-registration", limit=limit, window=window)
    except RateLimited as error:
        form.add_error(None, error.message)
        return True
    return False


def _render_registration(request, event, form, occurrence=None, status=200):
    upcoming = [
        occ for occ in event.occurrences.select_related("event").upcoming()[:50] if occ.accepts_registrations
    ]
    context = {"form": form, "occurrences": upcoming, "chosen": occurrence}
    response = event.render(request, context_overrides=context, template="events/event_register.html")
    response.status_code = status
    return response


def register(request, event):
    """The registration form (GET), and a registration (POST): a member's, or a
    visitor's without an account when the event takes them."""
    visitor = not request.user.is_authenticated
    if visitor and not event.open_to_visitors:
        return redirect_to_login(event.url)
    if request.method != "POST":
        chosen = parse_id(request.GET.get("occurrence", ""))
        return _render_registration(request, event, _registration_form(request, event, visitor), chosen)
    form = _registration_form(request, event, visitor)
    try:
        occurrence = _chosen_occurrence(request, event)
        if not form.is_valid():
            return _render_registration(request, event, form, occurrence.pk, status=400)
        if visitor and _visitor_rate_limited(request, form):
            return _render_registration(request, event, form, occurrence.pk, status=429)
        guests = form.cleaned_data.get("guests", 0)
        if visitor:
            services.register_visitor(
                occurrence,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                guests=guests,
                answers=form.answers(),
                language=translation.get_language() or "",
            )
        else:
            registration = services.register_for_event(
                occurrence, by=request.user, guests=guests, answers=form.answers()
            )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(event.url)
    if visitor:
        # The same words whatever the address: nothing tells whether it has an
        # account or is already registered.
        messages.info(
            request,
            _(
                "Presque fini : ouvrez l'e-mail que nous venons de vous envoyer et suivez le lien "
                "dans les %(minutes)s minutes pour confirmer votre inscription."
            )
            % {"minutes": conf.hold_minutes()},
        )
    elif registration.is_confirmed:
        messages.success(request, _("Vous êtes inscrit·e. Un e-mail de confirmation vous a été envoyé."))
    else:
        position = services.waitlist_position(registration)
        messages.info(
            request,
            _("C'est complet : vous êtes n° %(position)s sur la liste d'attente.") % {"position": position},
        )
    return redirect(event.url)


def registration_link(request, event, token, action):
    """A link of an e-mail: GET shows a button (mail scanners follow links), POST acts."""
    try:
        registration = services.registration_from_token(token, action, event)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(event.url)
    if request.method != "POST":
        context = {"registration": registration, "action": action}
        return event.render(request, context_overrides=context, template="events/registration_link.html")
    try:
        if action == "confirm":
            registration = services.confirm_visitor_registration(registration)
        else:
            services.cancel_registration_by_link(registration)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(event.url)
    if action == "cancel":
        messages.success(request, _("Votre inscription est annulée."))
    elif registration.is_confirmed:
        messages.success(request, _("Votre inscription est confirmée. Un e-mail vous a été envoyé."))
    else:
        messages.info(
            request,
            _("Votre inscription est confirmée sur la liste d'attente (n° %(position)s).")
            % {"position": services.waitlist_position(registration)},
        )
    return redirect(event.url)


def unregister(request, event):
    early = _post_only(request, event)
    if early:
        return early
    try:
        services.cancel_registration(_chosen_occurrence(request, event), by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(event.url)
    messages.success(request, _("Votre inscription est annulée."))
    return redirect(event.url)


def event_ics(request, event):
    occurrences = event.occurrences.select_related(
        "event", "event__venue", "event__venue__commune", "event__commune"
    )
    return feeds.ics_response(
        request,
        occurrences,
        lambda: ical.build_calendar(list(occurrences), name=event.title, request=request),
        filename=ical.filename_for(event.title),
    )


# -- organizers -----------------------------------------------------------------


def _require_organizer(request, event):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_manage_event(request.user, event):
        raise PermissionDenied(_("Seuls les organisateurs de cet événement voient cette page."))
    return None


def attendees(request, event):
    early = _require_organizer(request, event)
    if early:
        return early
    if request.method == "POST":
        _mark_attendance(request, event)
        return redirect(f"{event.url}participants/")
    occurrences = list(event.occurrences.with_counts().order_by("start", "pk"))
    questions = list(event.questions.all())
    registrations = (
        Registration.objects.filter(occurrence__event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .for_attendee_list()
        .order_by("occurrence_id", "pk")
    )
    by_occurrence = {}
    for registration in registrations:
        registration.answer_cells = _answer_cells(registration, questions)
        by_occurrence.setdefault(registration.occurrence_id, []).append(registration)
    for occurrence in occurrences:
        occurrence.event = event
        rows = by_occurrence.get(occurrence.pk, [])
        occurrence.confirmed = [row for row in rows if row.is_confirmed]
        occurrence.waitlist = [row for row in rows if row.is_waitlisted]
    context = {"occurrences": occurrences, "move_form": MoveOccurrenceForm(), "questions": questions}
    return event.render(request, context_overrides=context, template="events/event_attendees.html")


def _answer_cells(registration, questions):
    """The registration's answers in the order of the event's questions ("" when unanswered)."""
    given = {answer.question_id: answer.value for answer in registration.answers.all()}
    return [given.get(question.pk, "") for question in questions]


def _mark_attendance(request, event):
    pk = parse_id(request.POST.get("registration", ""))
    value = {"1": True, "0": False, "": None}.get(request.POST.get("attended", ""), "invalid")
    registration = Registration.objects.filter(pk=pk, occurrence__event=event).first() if pk else None
    if registration is None or value == "invalid":
        messages.error(request, _("Requête invalide."))
        return
    try:
        services.mark_attendance(registration, by=request.user, attended=value)
    except ServiceError as error:
        messages.error(request, error.message)
        return
    messages.success(request, _("Présence enregistrée."))


def attendees_csv(request, event):
    early = _require_organizer(request, event)
    if early:
        return early
    questions = list(event.questions.all())
    registrations = (
        Registration.objects.filter(occurrence__event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .for_attendee_list()
        .select_related("occurrence")
        .order_by("occurrence__start", "occurrence_id", "pk")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{ical.filename_for(event.title)[:-4]}-participants.csv"'
    )
    response.write("\ufeff")  # spreadsheet programs read UTF-8 with a BOM
    writer = csv.writer(response)
    header = [_("date"), _("nom"), _("e-mail"), _("statut"), _("inscrit·e le"), _("présent·e")]
    header += [_("accompagnant·es"), _("compte")]
    writer.writerow([spreadsheet_safe(cell) for cell in [*header, *(q.label for q in questions)]])
    attended = {True: _("oui"), False: _("non"), None: ""}
    for registration in registrations:
        start = timezone.localtime(registration.occurrence.start)
        cells = [
            start.strftime("%Y-%m-%d %H:%M"),
            registration.name,
            registration.email,
            _status_label(registration),
            timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            attended[registration.attended],
            registration.guests,
            _("sans compte") if registration.is_guest else _("membre"),
            *_answer_cells(registration, questions),
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return response


def _status_label(registration):
    if registration.is_unconfirmed:
        return _("en attente de confirmation de l'e-mail")
    return registration.get_status_display()


def manage_occurrence(request, event):
    early = _require_organizer(request, event)
    if early:
        return early
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    target = f"{event.url}participants/"
    try:
        occurrence = _chosen_occurrence(request, event)
        action = request.POST.get("action")
        if action in ("close", "open"):
            services.set_registration_open(occurrence, by=request.user, is_open=action == "open")
        elif action == "cancel":
            services.cancel_occurrence(occurrence, by=request.user)
        elif action == "move":
            form = MoveOccurrenceForm(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    messages.error(request, " ".join(errors))
                return redirect(target)
            services.move_occurrence(
                occurrence, by=request.user, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
            )
        else:
            messages.error(request, _("Action inconnue."))
            return redirect(target)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(target)
    messages.success(request, _("C'est enregistré."))
    return redirect(target)


# -- the same feeds at their .ics addresses (events/urls.py) --------------------


def _calendar_page():
    from events.models import EventIndexPage

    index = EventIndexPage.objects.live().first()
    if index is None:
        raise Http404(_("Il n'y a pas d'agenda."))
    return index


@cache_for_everyone(cal.FILTER_PARAMS)
def public_feed_url(request):
    """``/agenda/agenda.ics``: the same for everyone, so answered from the page cache
    (``members.page_cache``), with its ``ETag``, until published content changes."""
    return public_feed(request, _calendar_page())


def private_feed_url(request, token):
    return private_feed(request, _calendar_page(), token)


def feed_urls(index, token=None):
    """(public, private) feed addresses: the ``.ics`` ones when events/urls.py is included."""
    from django.urls import NoReverseMatch

    try:
        public = reverse("events_public_feed")
        private = reverse("events_private_feed", args=[token]) if token else None
    except NoReverseMatch:
        public = f"{index.url}ical/"
        private = f"{index.url}mon-agenda/{token}/" if token else None
    return public, private
