from django.contrib.auth import views as auth_views
from django.urls import path

from lms.accounts import identity_views, notice_views, phone_views, views
from lms.kernel.headers import private_answer
from lms.kernel.i18n import home_path_lazy

app_name = "accounts"

# Every account page is private, also before sign-in: a form sent back with an error
# shows the national ID, e-mail and phone typed into it.
urlpatterns = [
    path("signup/", private_answer(views.signup), name="signup"),
    path("signup/code/", private_answer(phone_views.signup_code), name="signup_code"),
    path("identity/", private_answer(identity_views.identity), name="identity"),
    path(
        "identity/provider/",
        private_answer(identity_views.identity_provider_start),
        name="identity_provider_start",
    ),
    path(
        "identity/provider/callback/",
        private_answer(identity_views.identity_provider_callback),
        name="identity_provider_callback",
    ),
    path("claims/", private_answer(identity_views.claims), name="claims"),
    path(
        "claims/<int:pk>/verify/",
        private_answer(identity_views.claim_verify),
        name="claim_verify",
    ),
    path(
        "claims/<int:pk>/reject/",
        private_answer(identity_views.claim_reject),
        name="claim_reject",
    ),
    path("notices/", private_answer(notice_views.notices), name="notices"),
    path(
        "notices/settings/",
        private_answer(notice_views.notice_settings),
        name="notice_settings",
    ),
    path("login/", private_answer(views.LoginView.as_view()), name="login"),
    path(
        "logout/",
        private_answer(auth_views.LogoutView.as_view(next_page=home_path_lazy)),
        name="logout",
    ),
    path(
        "password-reset/",
        private_answer(phone_views.password_reset),
        name="password_reset",
    ),
    path(
        "password-reset/code/",
        private_answer(phone_views.password_reset_code),
        name="password_reset_code",
    ),
    path(
        "password-reset/new/",
        private_answer(phone_views.password_reset_new),
        name="password_reset_new",
    ),
    path(
        "password-reset/email/",
        private_answer(views.PasswordResetEmailView.as_view()),
        name="password_reset_email",
    ),
    path(
        "password-reset/sent/",
        private_answer(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        private_answer(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        private_answer(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
]
