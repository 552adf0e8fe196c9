"""Production configuration: environment-driven settings and the compose file."""

from __future__ import annotations

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


def _command(service: dict) -> list[str]:
    command = service["command"]
    return command.split() if isinstance(command, str) else list(command)


def _local_topology(tmp_path) -> dict[str, list[str]]:
    """What `make prod` / CI start (scripts/prod/ctl.sh), process by process."""
    result = subprocess.run(
        ["bash", "scripts/prod/ctl.sh", "commands"],
        cwd=ROOT,
        env={**os.environ, "PROD_STATE_DIR": str(tmp_path / "prod")},
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
    for name in ("worker", "proxy"):
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


def test_the_worker_runs_the_task_job_class_with_the_scheduler_on_every_queue():
    from django.conf import settings

    script = (ROOT / "scripts" / "prod" / "worker.sh").read_text()
    assert "manage.py task_worker" in script
    queues = script.split("WORKER_QUEUES:-")[1].split("}")[0].split(",")
    assert set(queues) == set(settings.TASK_QUEUES)


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
