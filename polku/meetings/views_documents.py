"""Pages for a meeting's papers: adding, downloading and removing them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from polku.audit.services import audit_access
from polku.core.http import show_service_error, signed_in_user
from polku.core.permissions import insider_required, require
from polku.meetings import selectors_meetings as selectors
from polku.meetings.forms_meetings import DocumentForm
from polku.meetings.permissions import is_participant
from polku.meetings.services import documents as document_services


@insider_required
@never_cache
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(selectors.can_upload_document(user, meeting))
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = document_services.document_upload(
                actor=user,
                meeting=meeting,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” was added.") % {"title": document.title})
            return redirect(meeting)
    return render(request, "meetings/document_upload.html", {"meeting": meeting, "form": form})


@insider_required
@require_GET
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(is_participant(user, meeting))
    document = selectors.document_get(user=user, meeting=meeting, pk=document_pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    audit_access(
        actor=user,
        action="meetings.document.download",
        target=document,
        detail={"meeting": meeting.pk},
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document_services.document_filename(document),
        content_type=document_services.document_content_type(document.file.name or ""),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@insider_required
@require_http_methods(["GET", "POST"])
def document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """Asks first, then removes a paper (its adder or a manager)."""
    user = signed_in_user(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    require(is_participant(user, meeting))
    document = selectors.document_get(user=user, meeting=meeting, pk=document_pk)
    require(document_services.can_remove_document(user, document))
    if request.method == "POST":
        document_services.document_remove(actor=user, document=document)
        messages.success(request, _("“%(title)s” was removed.") % {"title": document.title})
        return redirect(f"{meeting.get_absolute_url()}#documents")
    return render(
        request, "meetings/document_remove.html", {"meeting": meeting, "document": document}
    )
