from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .models import DataExport


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def data_export(request):
    """Mijn gegevens downloaden: ask for a zip, see how far it is, download it."""
    if request.method == "POST":
        try:
            services.data_export_request(member=request.user)
        except services.ExportAlreadyRunning as error:
            messages.info(request, error.messages[0])
        else:
            messages.success(
                request,
                _("We maken je download. Je krijgt een e-mail zodra hij klaar is."),
            )
        return redirect("privacy:data_export")
    export = selectors.data_export_latest(request.user)
    return render(
        request,
        "privacy/data_export.html",
        {
            "export": export,
            "downloadable": _downloadable(export),
            "can_request": export is None or not export.is_unfinished,
            "days": settings.DATA_EXPORT_DAYS,
        },
    )


def _downloadable(export: DataExport | None) -> bool:
    # The beat job deletes expired zips within the hour; until then the end still holds here.
    return (
        export is not None
        and export.state == DataExport.State.READY
        and export.expires_at is not None
        and export.expires_at > timezone.now()
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def data_export_download(request, pk: int):
    """The zip, streamed to its owner only: another member gets a 404, an expired one a 410."""
    export = selectors.data_export_get_own(request.user, pk)
    if not _downloadable(export):
        return render(request, "privacy/data_export_gone.html", {"export": export}, status=410)
    filename = f"kenniscloud-gegevens-{timezone.localdate(export.finished_at):%Y-%m-%d}.zip"
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response
