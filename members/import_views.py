"""Wagtail admin views of the staff: import a venue file (upload, preview, confirm, follow, report).

Who may open them is the routes of ``members.viewsets.ImportViewSet``
(``members.permissions.import_policy``); uploading and starting need its "add"."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.forms import VenueImportConfirmForm, VenueImportUploadForm
from members.importer import ImportFileError
from members.imports import plan_data, preview_rows, report_csv
from members.models import VenueImport
from members.permissions import import_policy
from members.services import ServiceError, create_venue_import, start_venue_import
from network.admin_viewsets import require_action

TITLE = gettext_lazy("Import de lieux")


def _access_import(request, pk):
    return get_object_or_404(VenueImport.objects.defer("data", "report", "preview"), pk=pk)


def _render(request, template, context, status=200):
    context = {"header_title": TITLE, "page_title": TITLE, "header_icon": "upload", **context}
    return TemplateResponse(request, f"members/admin/{template}", context, status=status)


def import_list(request):
    if request.method == "POST":
        require_action(request, import_policy, "add")
    form = VenueImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, data = form.cleaned_data["file"], form.cleaned_data["data"]
        try:
            source, plan = plan_data(data, upload.name)
        except ImportFileError as error:
            messages.error(request, _("Fichier illisible : %(error)s") % {"error": error})
            return redirect("members_imports:index")
        venue_import = create_venue_import(
            upload.name, data, by=request.user, source=source, preview=preview_rows(plan)
        )
        return redirect("members_imports:detail", venue_import.pk)
    imports = VenueImport.objects.defer("data", "report", "preview").select_related("created_by")[:50]
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "imports": imports,
        "can_upload": import_policy.user_has_permission(request.user, "add"),
    }
    return _render(request, "venue_import_list.html", context, status=status)


def import_detail(request, pk):
    venue_import = _access_import(request, pk)
    if venue_import.status != VenueImport.Status.PREVIEW:
        return _render(request, "venue_import_progress.html", {"venue_import": venue_import})
    # Planned once, at the upload: a view of the preview (or its confirmation) plans nothing.
    source = venue_import.source
    rows = VenueImport.objects.values_list("preview", flat=True).get(pk=pk)
    form = VenueImportConfirmForm(request.POST or None)
    if request.method == "POST":
        require_action(request, import_policy, "add")
    if request.method == "POST" and form.is_valid():
        selectable = {row["line"] for row in rows if row["selectable"]}
        try:
            start_venue_import(
                venue_import,
                form.cleaned_data["lines"] & selectable,
                publish=form.cleaned_data["publish"],
                by=request.user,
            )
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect("members_imports:detail", pk)
    counts = {}
    for row in rows:
        counts[row["action_label"]] = counts.get(row["action_label"], 0) + 1
    context = {
        "venue_import": venue_import,
        "source": source,
        "rows": rows,
        "form": form,
        "counts": counts,
        "can_start": import_policy.user_has_permission(request.user, "add"),
    }
    return _render(request, "venue_import_preview.html", context, status=400 if form.errors else 200)


def import_status(request, pk):
    venue_import = _access_import(request, pk)
    finished = venue_import.status == VenueImport.Status.DONE
    return JsonResponse(
        {
            "status": venue_import.status,
            "status_label": venue_import.get_status_display(),
            "total": venue_import.total,
            "done": venue_import.done,
            "percent": venue_import.percent,
            "error": venue_import.error,
            "report_url": reverse("members_imports:report", args=[pk]) if finished else "",
        }
    )


def import_report(request, pk):
    venue_import = _access_import(request, pk)
    if venue_import.status != VenueImport.Status.DONE:
        raise Http404
    report = VenueImport.objects.values_list("report", flat=True).get(pk=pk)
    response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-lieux-{pk}.csv"'
    return response
