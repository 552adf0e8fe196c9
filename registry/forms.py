from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

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
