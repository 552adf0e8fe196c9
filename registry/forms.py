from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.accounts.selectors import user_id_by_username
from registry.serials import InvalidSerial, serial_normalize

IMPORT_EXTENSIONS = {".csv", ".xlsx"}
IMPORT_MAX_BYTES = 200 * 1024 * 1024


class VerifyForm(forms.Form):
    serial = forms.CharField(
        label=_("Certificate serial number"),
        max_length=40,
        help_text=_("As printed on the certificate, e.g. ABCD-EFGH-JKM."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )

    def clean_serial(self) -> str:
        try:
            return serial_normalize(self.cleaned_data["serial"])
        except InvalidSerial:
            raise forms.ValidationError(
                _(
                    "This is not a valid serial number: check each character "
                    "(11 letters and digits; the last one is a check character)."
                )
            ) from None


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    emergency = forms.BooleanField(
        label=_("Emergency: revoke now without a second person (audited)"),
        required=False,
    )

    def __init__(self, *args, emergency_allowed: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not emergency_allowed:
            del self.fields["emergency"]


class BatchRejectForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the batch rejected?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Columns: national_id, full_name_ar, full_name_en, occupation_code, "
            "skill_level, issue_date, governorate_code, legacy_number (Arabic "
            "headers accepted). CSV in UTF-8 or Windows-1256."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB."))
        return upload


class AuditFilterForm(forms.Form):
    """The audit log's filters, from the query string (the page and its export)."""

    actor = forms.CharField(
        label=_("Actor (username)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    action = forms.CharField(label=_("Action"), max_length=40, required=False)
    serial = forms.CharField(
        label=_("Certificate serial number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean_actor(self) -> int | None:
        username = self.cleaned_data["actor"].strip()
        if not username:
            return None
        user_id = user_id_by_username(username=username)
        if user_id is None:
            raise forms.ValidationError(_("No account has this username."))
        return user_id

    def clean_serial(self) -> str:
        typed = self.cleaned_data["serial"].strip()
        if not typed:
            return ""
        try:
            return serial_normalize(typed)
        except InvalidSerial:
            raise forms.ValidationError(
                _("This is not a valid serial number.")
            ) from None

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def errors_text(self) -> str:
        """Every error in one line (the export's 400 answer)."""
        return " ".join(
            f"{self.fields[name].label if name in self.fields else ''}: {msg}"
            for name, messages in self.errors.items()
            for msg in messages
        )
