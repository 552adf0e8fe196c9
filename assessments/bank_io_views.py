"""A bank's import page (upload → preview of what will be created, changed,
unchanged and refused → confirmation) and its Moodle XML download, for the content
team. Thin: the staging, the plan and the commit are `services.question_import_*`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import selectors, services
from assessments.data import ImportPreview
from assessments.exporters.moodle_xml import bank_to_moodle_xml
from assessments.importers import MAX_IMPORT_BYTES
from assessments.question_types import get_kind
from assessments.view_access import me as _me
from assessments.view_access import role_required
from lms.accounts.roles import Role
from lms.kernel.errors import Conflict, Invalid, NotFound

# the content team writes banks; ministry staff read their analysis only
AUTHORS = (Role.CONTENT_EDITOR, Role.CONTENT_REVIEWER)
TEMPLATE = "assessments/banks/import.html"
SUFFIXES = (".xml", ".gift", ".txt")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Question file"),
        help_text=gettext_lazy("Moodle XML (.xml) or GIFT (.gift, .txt), up to 20 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError(
                _("Choose a Moodle XML (.xml) or GIFT (.gift, .txt) file.")
            )
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB; split it."))
        return upload


def _labels() -> dict[str, str]:
    return {
        "create": _("New"),
        "change": _("Changed (new version)"),
        "unchanged": _("Unchanged"),
        "refused": _("Refused"),
        "skipped": _("Skipped"),
    }


def _kind_label(code: str) -> str:
    try:
        return str(get_kind(code).label)
    except ValidationError:  # a refused entry may name no kind
        return ""


def _page(request: HttpRequest, bank, form, preview: ImportPreview | None):
    labels = _labels()
    rows = [
        {"entry": e, "label": labels[e.action], "kind": _kind_label(e.kind)}
        for e in (preview.entries if preview else ())
    ]
    counts = {action: preview.count(action) for action in labels} if preview else {}
    return render(
        request,
        TEMPLATE,
        {
            "bank": bank,
            "form": form,
            "preview": preview,
            "rows": rows,
            "counts": counts,
        },
    )


def _confirm(request: HttpRequest, bank) -> HttpResponse:
    token = request.POST.get("token", "")
    try:
        report = services.question_import_commit(
            bank_id=bank.id,
            user_id=_me(request),
            token=token,
            fingerprint=request.POST.get("fingerprint", ""),
        )
    except Conflict as exc:
        messages.error(request, exc.message)
        try:
            preview = services.question_import_preview(
                bank_id=bank.id,
                user_id=_me(request),
                token=token,
                file_name=request.POST.get("file_name", ""),
            )
        except (NotFound, Invalid) as again:
            messages.error(request, again.message)
            return redirect("assessments:bank_import", slug=bank.slug)
        return _page(request, bank, ImportForm(), preview)
    except NotFound as exc:
        messages.error(request, exc.message)
        return redirect("assessments:bank_import", slug=bank.slug)
    messages.success(
        request,
        _(
            "Import done: %(created)d new, %(changed)d changed, %(unchanged)d "
            "unchanged, %(refused)d refused."
        )
        % {
            "created": report.created,
            "changed": report.changed,
            "unchanged": report.unchanged,
            "refused": len(report.errors),
        },
    )
    return redirect("assessments:bank_import", slug=bank.slug)


@role_required(AUTHORS)
def bank_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a file and see its plan; confirm to commit exactly that plan."""
    bank = selectors.bank_get(slug=slug)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, bank)
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = services.question_import_stage(
                bank_id=bank.id,
                user_id=_me(request),
                file_name=upload.name,
                content=upload.read(),
            )
        except Invalid as exc:
            form.add_error("file", exc.message)
    return _page(request, bank, form, preview)


@role_required(AUTHORS)
def bank_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The bank as a Moodle XML file Moodle's own import reads."""
    bank = selectors.bank_get(slug=slug)
    response = HttpResponse(
        bank_to_moodle_xml(bank_id=bank.id),
        content_type="application/xml; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{bank.slug}.xml"'
    response["Cache-Control"] = "private, no-store"
    return response
