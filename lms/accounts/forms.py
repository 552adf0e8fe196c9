"""Sign-up and log-in forms. Numbers may be typed in Eastern-Arabic digits."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User
from lms.accounts.national_id import account_age_check, parse_national_id
from lms.accounts.phone import normalize_phone
from lms.accounts.phone_codes import CODE_DIGITS, normalize_code
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
        nid = parse_national_id(self.cleaned_data["national_id"])
        account_age_check(birth_date=nid.birth_date)
        return nid.value

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        # The account as it would be: the password may not look like its number,
        # names, e-mail or national ID (AUTH_PASSWORD_VALIDATORS).
        name = cleaned.get("full_name_ar", "")
        account = User(
            username=cleaned.get("phone", ""),
            phone=cleaned.get("phone", ""),
            first_name=name.split(" ")[0] if name else "",
            full_name_ar=name,
            full_name_en=cleaned.get("full_name_en", ""),
            email=cleaned.get("email", ""),
            national_id=cleaned.get("national_id", ""),
        )
        _check_new_password(self, account)
        return cleaned


def _check_new_password(form: forms.Form, user) -> None:
    """The two password fields match and pass the validators for this account."""
    p1, p2 = form.cleaned_data.get("password1"), form.cleaned_data.get("password2")
    if p1 and p2 and p1 != p2:
        form.add_error("password2", _("The two passwords do not match."))
    elif p1:
        try:
            password_validation.validate_password(p1, user=user)
        except ValidationError as exc:
            form.add_error("password1", exc)


class PhoneCodeForm(forms.Form):
    """The code from the SMS (Eastern-Arabic digits welcome)."""

    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "dir": "ltr",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if not (code.isascii() and code.isdigit() and len(code) == CODE_DIGITS):
            raise ValidationError(
                _("Type the %(digits)d digits of the code from the SMS.")
                % {"digits": CODE_DIGITS},
                code="code_format",
            )
        return code


class PasswordResetPhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}
        ),
    )

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


class NewPasswordForm(forms.Form):
    """A new password for an account whose number was just proved."""

    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        _check_new_password(self, self.user)
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
