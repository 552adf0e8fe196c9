"""Sign-up and log-in forms. Numbers may be typed in Eastern-Arabic digits."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.accounts.national_id import parse_national_id
from lms.accounts.phone import normalize_phone
from lms.kernel.notifications.channels import Preference


class SignUpForm(forms.Form):
    full_name_ar = forms.CharField(label=_("Full name in Arabic"), max_length=150)
    full_name_en = forms.CharField(
        label=_("Full name in English (optional)"), max_length=150, required=False
    )
    national_id = forms.CharField(
        label=_("National ID (14 digits)"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}
        ),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}
        ),
    )
    email = forms.EmailField(
        label=_("E-mail (optional, for password reset)"), required=False
    )
    has_disability = forms.BooleanField(
        label=_("I have a disability and may need accessibility support"),
        required=False,
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_national_id(self) -> str:
        return parse_national_id(self.cleaned_data["national_id"]).value

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class LoginForm(AuthenticationForm):
    """Log in with the mobile number (any digits) or a staff username."""

    username = forms.CharField(
        label=_("Mobile number or username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "dir": "ltr", "autocomplete": "username"}
        ),
    )

    def clean_username(self) -> str:
        value = self.cleaned_data["username"].strip()
        try:
            return normalize_phone(value)
        except ValidationError:
            return value


class ClaimSearchForm(forms.Form):
    """Staff find a claim by the account's mobile number / username, or by the
    national ID on the card in front of them (POSTed, never in the URL)."""

    username = forms.CharField(
        label=_("Mobile number or username"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    national_id = forms.CharField(
        label=_("National ID (14 digits)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}
        ),
    )

    def clean_username(self) -> str:
        value = self.cleaned_data["username"].strip()
        try:
            return normalize_phone(value) if value else ""
        except ValidationError:
            return value

    def clean_national_id(self) -> str:
        value = self.cleaned_data["national_id"]
        return parse_national_id(value).value if value.strip() else ""

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (
            cleaned.get("username") or cleaned.get("national_id")
        ):
            raise ValidationError(
                _("Type a mobile number, a username or a national ID.")
            )
        return cleaned


class NotificationSettingsForm(forms.Form):
    """How notices reach the person (checked again by the service)."""

    channel = forms.ChoiceField(
        label=_("Send my notices by"),
        choices=Preference.choices,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language of my notices"),
        choices=[("", _("The language of the site"))] + list(settings.LANGUAGES),
        required=False,
    )
