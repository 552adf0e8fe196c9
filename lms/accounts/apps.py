from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from lms.accounts.backends import connect_invalidation

        connect_invalidation()
        from lms.accounts import receivers

        receivers.connect()

        checks.register(phone_verification_check, checks.Tags.security)


def phone_verification_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Production without SMS takes mobile numbers on trust: say so at start-up."""
    from django.conf import settings

    if settings.DEBUG:
        return []
    sms_on = settings.SMS_BACKEND not in ("", "none")
    if settings.ACCOUNTS_PHONE_VERIFICATION and not sms_on:
        return [
            checks.Error(
                "ACCOUNTS_PHONE_VERIFICATION is on but no SMS gateway is set "
                "(SMS_BACKEND): nobody could sign up or reset a password by SMS.",
                id="accounts.E001",
            )
        ]
    if not settings.ACCOUNTS_PHONE_VERIFICATION:
        return [
            checks.Warning(
                "Mobile numbers are not verified at sign-up and passwords are reset "
                "by e-mail only: configure an SMS gateway (SMS_ACCOUNT_SID & co).",
                id="accounts.W001",
            )
        ]
    return []
