"""Production configuration: environment-driven settings and the compose file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 64 + "-production-secret-for-the-deploy-check",
    "REGISTRY_SIGNING_KEY": "unused-by-the-check",
    "SITE_URL": "https://maharat.example.gov.eg",
    "EMAIL_URL": "smtp://maharat:secret@mail.example.gov.eg:587?tls=True",
    "DATABASE_URL": "sqlite:////tmp/maharat-deploy-check.sqlite3",
    # sign-up proves mobile numbers by SMS (without a gateway the check warns)
    "SMS_ACCOUNT_SID": "AC" + "0" * 32,
    "SMS_AUTH_TOKEN": "unused-by-the-check",
    "SMS_FROM": "Maharat",
}
# What the production settings read: none may leak in from the machine running tests
# (nor pytest's test settings module: manage.py's default is the production one).
_SETTINGS_ENV = {
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "SITE_URL",
    "EMAIL_URL",
    "EMAIL_BACKEND",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECRET_KEY",
    "REGISTRY_SIGNING_KEY",
    "SMS_BACKEND",
    "SMS_ACCOUNT_SID",
    "SMS_AUTH_TOKEN",
    "SMS_FROM",
    "ACCOUNTS_PHONE_VERIFICATION",
}


def _run(command: list[str], env_overrides: dict[str, str]):
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_ENV}
    env.update(env_overrides)
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def run_manage(
    *args: str, env_overrides: dict[str, str]
) -> subprocess.CompletedProcess:
    return _run([sys.executable, "manage.py", *args], env_overrides)


def settings_load(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    """Import the settings under these variables, as every process start does."""
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'lms.settings'; "
        "from django.conf import settings; settings.DEBUG"
    )
    return _run([sys.executable, "-c", code], env_overrides)


def settings_seen(env_overrides: dict[str, str], *names: str) -> dict:
    """The values the settings module computes under these variables (no pytest)."""
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'lms.settings'; "
        "from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    result = _run([sys.executable, "-c", code], env_overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_nothing_with_production_variables():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set when DEBUG is off."),
        ("REGISTRY_SIGNING_KEY", "REGISTRY_SIGNING_KEY must be set when DEBUG is off."),
        ("SITE_URL", "SITE_URL must be set when DEBUG is off"),
        ("EMAIL_URL", "EMAIL_URL (e.g. smtp://"),
    ],
)
def test_production_without_an_item_refuses_to_start_and_names_it(variable, message):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != variable}
    result = settings_load(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    assert settings_load(PRODUCTION_ENV).returncode == 0


def test_production_names_every_missing_item_in_one_error():
    """One failed start tells the operator everything to set, not one item a time."""
    result = run_manage("check", env_overrides={"DEBUG": "0"})
    assert result.returncode != 0
    raised = "django.core.exceptions.ImproperlyConfigured: "
    assert result.stderr.count(raised) == 1
    error = result.stderr[result.stderr.index(raised) :]
    for name in ("SECRET_KEY", "REGISTRY_SIGNING_KEY", "SITE_URL", "EMAIL_URL"):
        assert f"- {name}" in error, name


def test_production_refuses_a_site_url_that_is_not_an_address():
    env = {**PRODUCTION_ENV, "SITE_URL": "maharat.example.gov.eg"}
    result = settings_load(env)
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_production_takes_hosts_and_csrf_origin_from_the_site_url():
    seen = settings_seen(PRODUCTION_ENV, "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS")
    assert seen == {
        "ALLOWED_HOSTS": ["maharat.example.gov.eg"],
        "CSRF_TRUSTED_ORIGINS": ["https://maharat.example.gov.eg"],
    }
    told = settings_seen(
        {**PRODUCTION_ENV, "ALLOWED_HOSTS": "a.example,b.example"}, "ALLOWED_HOSTS"
    )
    assert told["ALLOWED_HOSTS"] == ["a.example", "b.example"]


def test_production_reads_the_mail_server_from_email_url():
    seen = settings_seen(
        PRODUCTION_ENV,
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
    )
    assert seen == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.gov.eg",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "maharat",
        "EMAIL_HOST_PASSWORD": "secret",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_production_accepts_the_console_backend_when_chosen_explicitly():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_URL"}
    env["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    seen = settings_seen(env, "EMAIL_BACKEND")
    assert seen["EMAIL_BACKEND"] == env["EMAIL_BACKEND"]


def test_laptop_defaults_need_no_variable():
    seen = settings_seen(
        {"DEBUG": "1"}, "SITE_URL", "EMAIL_BACKEND", "ALLOWED_HOSTS", "SECRET_KEY"
    )
    assert seen["SITE_URL"] == "http://127.0.0.1:8000"
    assert seen["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert seen["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "testserver"]
    assert seen["SECRET_KEY"]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _command(service: dict) -> list[str]:
    command = service["command"]
    return command.split() if isinstance(command, str) else list(command)


def _local_topology(tmp_path) -> dict[str, list[str]]:
    """What `make prod` / CI start (scripts/prod/ctl.sh), process by process."""
    result = subprocess.run(
        ["bash", "scripts/prod/ctl.sh", "commands"],
        cwd=ROOT,
        # Without REDIS_URL, as `make prod` on a fresh machine: it starts its own Redis.
        env={
            **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
            "PROD_STATE_DIR": str(tmp_path / "prod"),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return {
        name: command.split()
        for name, command in (line.split("\t") for line in result.stdout.splitlines())
    }


def test_compose_runs_the_same_processes_as_the_documented_local_topology(tmp_path):
    services = _compose()["services"]
    local = _local_topology(tmp_path)
    webs = sorted(n for n in local if n.startswith("web"))
    assert len(webs) >= 2, "two web nodes behind the proxy"
    compose_webs = sorted(n for n in services if re.fullmatch(r"web\d+", n))
    assert len(compose_webs) >= 2
    for name in compose_webs:
        assert _command(services[name])[0] == local[webs[0]][0] == "scripts/prod/web.sh"
    for name in ("worker", "media-worker", "proxy"):
        assert _command(services[name]) == local[name], name
    assert _command(services["release"]) == ["scripts/prod/release.sh"]
    upstreams = services["proxy"]["environment"]["WEB_UPSTREAMS"].split()
    assert sorted(u.split(":")[0] for u in upstreams) == compose_webs


def test_redis_keeps_queued_jobs_across_a_restart_everywhere(tmp_path):
    compose_redis = " ".join(_command(_compose()["services"]["redis"]))
    local_redis = " ".join(_local_topology(tmp_path)["redis"])
    for command in (compose_redis, local_redis):
        assert "--appendonly yes" in command, command


def test_every_service_has_a_healthcheck_or_is_a_one_off_step():
    for name, service in _compose()["services"].items():
        if name in {"release", "backup"}:
            continue
        assert service.get("healthcheck", {}).get("test"), name


def test_workers_run_the_task_job_class_with_the_scheduler_on_every_queue(tmp_path):
    from django.conf import settings

    script = (ROOT / "scripts" / "prod" / "worker.sh").read_text()
    assert "manage.py task_worker --queues" in script
    services = _compose()["services"]
    local = _local_topology(tmp_path)
    for topology in (
        [_command(s) for s in services.values() if "command" in s],
        list(local.values()),
    ):
        queues = set()
        for command in topology:
            if command[0] == "scripts/prod/worker.sh":
                queues |= set(command[1].split(","))
        assert queues == set(settings.TASK_QUEUES)
    assert "media-worker" in services and "media-worker" in local


def _variables_read() -> set[str]:
    sources = [(ROOT / "lms" / "settings.py").read_text()]
    sources += [p.read_text() for p in (ROOT / "lms").glob("*/settings*.py")]
    read = set()
    for text in sources:
        read |= set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', text))
    for script in (ROOT / "scripts" / "prod").glob("*"):
        read |= set(re.findall(r"\$\{?([A-Z][A-Z0-9_]+)", script.read_text()))
    return read


def test_compose_environment_only_names_variables_the_platform_reads():
    read = _variables_read()
    for name, service in _compose()["services"].items():
        if name in {"postgres", "redis"}:
            continue
        environment = service["environment"]
        assert set(environment) <= read, (name, set(environment) - read)
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "SITE_URL"} <= set(
            environment
        )
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://redis:")


def test_the_image_collects_static_files_and_runs_as_a_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic" in dockerfile
    assert "USER maharat" in dockerfile
    assert "nginx" in dockerfile


def test_setup_names_a_missing_ffmpeg_and_how_to_install_it(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3.11").symlink_to(sys.executable)
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "scripts" / "system_packages.sh"), "run"],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "Missing system tool: ffmpeg" in result.stderr
    assert "apt-get install -y ffmpeg" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="installs only as root")
def test_setup_installs_the_missing_packages_itself_as_root(tmp_path):
    """A newcomer types `make run` and nothing else: apt-get is run for them."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "apt-calls"
    (bin_dir / "dpkg").write_text(
        '#!/bin/sh\ncase "$2" in ffmpeg|fonts-hosny-amiri) exit 1;; esac\nexit 0\n'
    )
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    for tool in ("dpkg", "apt-get"):
        (bin_dir / tool).chmod(0o755)
    (bin_dir / "python3.11").symlink_to(sys.executable)
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "scripts" / "system_packages.sh"), "run"],
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "SETUP_LOG": str(tmp_path / "log")},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    lines = calls.read_text().splitlines()
    assert lines[0].startswith("update")
    assert lines[1].split()[-2:] == ["ffmpeg", "fonts-hosny-amiri"]
    assert "Installing system packages: ffmpeg fonts-hosny-amiri" in result.stdout


def test_every_model_change_has_its_migration(db):
    """A model edited without `makemigrations` would deploy a schema that differs
    from the code's (a missing index or column only shows up in production)."""
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_without_redis_the_site_and_the_task_worker_share_one_cache(tmp_path):
    """`make run`: what the worker clears (an import's changed answers) the site must
    not keep serving from a cache of its own."""
    env = {"CACHE_DIR": str(tmp_path / "cache"), "DEBUG": "1"}
    write = "from django.core.cache import cache; cache.set('shared', 'seen', 60)"
    read = "from django.core.cache import cache; print(cache.get('shared'))"
    assert run_manage("shell", "-c", write, env_overrides=env).returncode == 0
    result = run_manage("shell", "-c", read, env_overrides=env)
    assert result.stdout.strip().splitlines()[-1] == "seen", result.stderr


def test_the_audit_checkpoints_are_shared_by_the_workers_and_the_web_nodes(tmp_path):
    """The worker's sweep writes the signed checkpoints, the web nodes publish them:
    one volume for both in compose, the platform's own state folder in `make prod`
    (never the checkout's var/, where another system's would mix in)."""
    compose = _compose()
    env = compose["x-app-env"] if "x-app-env" in compose else {}
    services = compose["services"]
    folder = services["worker"]["environment"]["AUDIT_CHECKPOINT_DIR"]
    assert folder == env.get("AUDIT_CHECKPOINT_DIR", folder)
    for name in ("worker", "web1", "web2"):
        mounts = {v.split(":")[1]: v.split(":")[0] for v in services[name]["volumes"]}
        assert mounts.get(folder) == "checkpoints", name
    state = tmp_path / "prod"
    shown = subprocess.run(
        [
            "bash",
            "-c",
            "source scripts/prod/local_env.sh >/dev/null && echo $AUDIT_CHECKPOINT_DIR",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "AUDIT_CHECKPOINT_DIR"},
            "PROD_STATE_DIR": str(state),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.stdout.strip() == str(state / "audit-checkpoints"), shown.stderr
