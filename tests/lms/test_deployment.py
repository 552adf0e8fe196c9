"""Production configuration: environment-driven settings and the compose file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 64 + "-production-secret-for-the-deploy-check",
    "REGISTRY_SIGNING_KEY": "unused-by-the-check",
    "ALLOWED_HOSTS": "maharat.example.gov.eg",
    "DATABASE_URL": "sqlite:////tmp/maharat-deploy-check.sqlite3",
}


def run_manage(
    *args: str, env_overrides: dict[str, str]
) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_variables():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_four_services_each_with_a_healthcheck():
    services = _compose()["services"]
    assert set(services) >= {"postgres", "redis", "web", "worker"}
    for name in ("postgres", "redis", "web", "worker"):
        assert services[name].get("healthcheck", {}).get("test"), name


def test_compose_web_serves_asgi_and_worker_runs_the_task_queues():
    services = _compose()["services"]
    assert "uvicorn lms.asgi:application" in services["web"]["command"]
    worker = " ".join(services["worker"]["command"])
    from django.conf import settings

    for queue in settings.TASK_QUEUES:
        assert queue in worker


def test_compose_environment_only_names_variables_the_settings_read():
    settings_source = (ROOT / "lms" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source))
    for name in ("web", "worker"):
        environment = _compose()["services"][name]["environment"]
        assert set(environment) <= read, set(environment) - read
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"} <= set(environment)
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://redis:")


def test_setup_names_a_missing_ffmpeg_and_how_to_install_it(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3.11").symlink_to(sys.executable)
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "scripts" / "check_tools.sh")],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "Missing system tool: ffmpeg" in result.stderr
    assert "apt-get install -y ffmpeg" in result.stderr
    assert "Traceback" not in result.stderr


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
