"""Registry in the shell: the "my certificates" dashboard panel, demo data and the
certificate figures for the statistics."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms.accounts.roles import Role, any_role, user_has_role
from lms.kernel.navigation import NavEntry
from lms.kernel.panels import DashboardPanel


@hooks.register("maharat_dashboard_panels")
def my_certificates_panel(request) -> DashboardPanel | None:
    from registry.selectors import certificate_list_for_user

    user = request.user
    if not user.is_authenticated:
        return None
    certificates = [
        c for c in certificate_list_for_user(user_id=user.pk) if c.status != "pending"
    ]
    if not certificates:
        return None
    return DashboardPanel(
        slot="certificates",
        template="registry/panel_certificates.html",
        context={"certificates": certificates[:5]},
        order=10,
    )


def _scope_or_none(user):
    """The staff member's directorate scope, or None (not staff, or not assigned to
    a directorate: the pages refuse them, so the menu does not offer them)."""
    from lms.accounts.roles import user_has_role
    from lms.accounts.selectors import staff_scope
    from lms.kernel.errors import Forbidden

    if not user_has_role(user, Role.MINISTRY_STAFF):
        return None
    cached = getattr(user, "_registry_scope", False)
    if cached is not False:
        return cached
    try:
        scope = staff_scope(user_id=user.pk)
    except Forbidden:
        scope = None
    user._registry_scope = scope
    return scope


def _scoped_staff(user) -> bool:
    return _scope_or_none(user) is not None


def _pending_count(user) -> int:
    from registry.selectors import certificate_pending_scoped_count

    scope = _scope_or_none(user)
    return certificate_pending_scoped_count(scope=scope) if scope else 0


def _batches_count(user) -> int:
    from registry.selectors import import_batch_review_count

    scope = _scope_or_none(user)
    if scope is None:
        return 0
    return import_batch_review_count(scope=scope, exclude_user_id=user.pk)


def _revocations_count(user) -> int:
    from registry.selectors import revocation_request_count

    scope = _scope_or_none(user)
    if scope is None:
        return 0
    return revocation_request_count(scope=scope, exclude_user_id=user.pk)


def _audit_log_visible(user) -> bool:
    """The audit page's own rule (lms.accounts' staff_scope), without its query:
    ministry staff assigned to a directorate, or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user_has_role(user, Role.MINISTRY_STAFF) and user.directorate_id is not None


@hooks.register("maharat_nav_entries")
def registry_nav_entries() -> list[NavEntry]:
    """The holder's certificates; the staff's approvals and imports (the pages'
    own role checks: login for the holder, ministry staff placed in a directorate
    for the rest, each seeing that directorate's work)."""
    staff = _scoped_staff
    return [
        NavEntry(
            key="registry.my_certificates",
            label=_("My certificates"),
            description=_("Download them and share their verification link"),
            url_name="registry:holder_certificates",
            shown_to=any_role(Role.TRAINEE),
            section="learning",
            order=30,
        ),
        NavEntry(
            key="registry.pending",
            label=_("Pending approvals"),
            description=_("Certificates waiting for a second person's approval"),
            url_name="registry:pending",
            shown_to=staff,
            section="registry",
            count=_pending_count,
            order=10,
        ),
        NavEntry(
            key="registry.search",
            label=_("Registry search"),
            description=_(
                "Find a certificate by serial, national ID, name, occupation or date"
            ),
            url_name="registry:search",
            shown_to=staff,
            section="registry",
            order=5,
        ),
        NavEntry(
            key="registry.audit",
            label=_("Audit log"),
            description=_("Who changed what in the registry, and the chain's state"),
            url_name="registry:audit_log",
            shown_to=_audit_log_visible,
            section="registry",
            order=90,
        ),
        NavEntry(
            key="registry.import",
            label=_("Import paper records"),
            description=_("Upload a CSV or Excel file of paper-era certificates"),
            url_name="registry:import_upload",
            shown_to=staff,
            section="registry",
            order=20,
        ),
        NavEntry(
            key="registry.batches",
            label=_("Import batches to review"),
            description=_("Imported records waiting for a second person's review"),
            url_name="registry:batch_list",
            shown_to=staff,
            section="registry",
            count=_batches_count,
            order=15,
        ),
        NavEntry(
            key="registry.revocations",
            label=_("Revocation requests"),
            description=_("Revocations waiting for a second person's confirmation"),
            url_name="registry:revocations",
            shown_to=staff,
            section="registry",
            count=_revocations_count,
            order=25,
        ),
    ]


@hooks.register("maharat_report_facts")
def registry_report_facts(*, since=None):
    """Certificates issued and revoked for the statistics (lms.reports refresh)."""
    from registry.selectors import report_facts

    return report_facts(since=since)


def seed_registry_demo(stdout) -> None:
    """Mona (Giza) holds a certificate the head office's staff approved; Karim's
    (Sharqia) awaits staff2's approval. Both were handed over by the platform after
    their tests (no creator), as a passed skill test does."""
    from django.contrib.auth import get_user_model

    from registry.services import certificate_approve, certificate_create_pending

    User = get_user_model()
    staff = User.objects.filter(username="staff").first()
    checker = User.objects.filter(username="staff2").first()
    if staff is None or checker is None:
        return
    for username, occupation, level, approve in (
        ("01000000001", "7531", "skilled", True),
        ("01000000002", "7422", "assistant", False),
    ):
        holder = User.objects.filter(username=username).first()
        if holder is None or not holder.national_id:
            continue
        cert = certificate_create_pending(
            user_id=holder.pk,
            national_id=holder.national_id,
            full_name_ar=holder.full_name_ar,
            full_name_en=holder.full_name_en,
            occupation_code=occupation,
            level_code=level,
            source="platform_test",
            evidence={"demo": True},
            created_by_id=None,
            idempotency_key=f"demo:{username}:{occupation}:{level}",
        )
        # A second seed finds the first's certificate, in its state of now.
        if approve and cert.status == "pending":
            cert = certificate_approve(certificate_id=cert.id, approver_id=staff.pk)
        stdout.write(
            f"  registry: {cert.serial_display} ({cert.status}) for {username}"
        )


seed_registry_demo.order = 60
hooks.register("maharat_seed_demo", seed_registry_demo)


@hooks.register("maharat_periodic")
def registry_imports_requeue_stale():
    """Import runs killed mid-file, or enqueues lost with Redis, are run again."""
    from registry.import_runs import import_jobs_requeue_stale

    return import_jobs_requeue_stale()


@hooks.register("maharat_periodic")
def registry_batch_approvals_requeue():
    """Batch approvals whose worker was killed, or whose enqueue was lost, run again."""
    from registry.services import import_batch_approvals_requeue

    return import_batch_approvals_requeue()


@hooks.register("maharat_periodic")
def registry_import_files_expire():
    """Uploaded import files and old rejection reports (national IDs) are deleted."""
    from registry.import_runs import import_files_expire

    return import_files_expire()


@hooks.register("maharat_periodic")
def registry_import_scratch_sweep():
    """Scratch copies of imports that are not running are removed."""
    from registry.import_runs import scratch_sweep

    return scratch_sweep()


@hooks.register("maharat_periodic")
def registry_status_lists_refresh():
    """Status lists signed again when a revocation's own re-signing was missed, and
    daily (a fresh validFrom)."""
    from registry.status_list import status_lists_refresh

    signed = status_lists_refresh()
    return f"{signed} status list(s) signed" if signed else None


@hooks.register("maharat_periodic")
def registry_audit_checkpoint():
    """The audit chain's head is signed and written outside the database when due."""
    from registry.checkpoints import audit_checkpoint_write

    checkpoint = audit_checkpoint_write()
    return f"checkpoint at #{checkpoint.seq}" if checkpoint else None
