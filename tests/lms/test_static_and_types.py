"""Production static files and media types (DEBUG=0 served no page without them)."""

from __future__ import annotations

import mimetypes
import subprocess
import sys

from tests.lms.test_deployment import PRODUCTION_ENV, ROOT, run_manage

STATIC_IN_TEMPLATES = r"""
import re
from pathlib import Path
from django.templatetags.static import static
names = set()
for path in Path('.').glob('**/templates/**/*.html'):
    if '.venv' in path.parts:
        continue
    names |= set(re.findall(r"{% static ['\"]([^'\"]+)['\"]", path.read_text()))
missing = []
for name in sorted(names):
    try:
        static(name)
    except ValueError:
        missing.append(name)
print('REFERENCED', len(names))
print('MISSING', missing)
"""


def test_collectstatic_serves_every_file_a_template_names_in_production(tmp_path):
    """A clean checkout collects with the manifest storage (under DEBUG=0 a missing
    manifest entry answers 500 on every page that names the file)."""
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path / "static")}
    collected = run_manage("collectstatic", "--noinput", "-v", "0", env_overrides=env)
    assert collected.returncode == 0, collected.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
    result = run_manage("shell", "-c", STATIC_IN_TEMPLATES, env_overrides=env)
    assert "MISSING []" in result.stdout, result.stdout + result.stderr[-2000:]
    referenced = int(result.stdout.split("REFERENCED ")[1].split()[0])
    assert referenced > 10


def test_no_vendored_script_names_a_source_map_that_is_not_there():
    for script in ROOT.glob("*/static/vendor/**/*.js"):
        text = script.read_text(errors="replace")
        if "sourceMappingURL=" in text:
            target = text.rsplit("sourceMappingURL=", 1)[1].split()[0]
            assert (script.parent / target).exists(), script


def test_collectstatic_publishes_no_test_tool():
    """axe-core serves the browser tests (tests/e2e/vendor/), not the site: what the
    finders list is what collectstatic copies into STATIC_ROOT."""
    from django.contrib.staticfiles import finders

    published = [
        path for finder in finders.get_finders() for path, _storage in finder.list([])
    ]
    assert any(path.endswith("hls.light.min.js") for path in published)
    assert [path for path in published if "axe" in path.rsplit("/", 1)[-1]] == []


def test_hls_and_caption_types_are_registered_at_start_up():
    code = (
        "import django, mimetypes; django.setup();"
        "print(mimetypes.guess_type('s.ts')[0], mimetypes.guess_type('m.m3u8')[0],"
        " mimetypes.guess_type('c.vtt')[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "lms.settings", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.stdout.split() == [
        "video/mp2t",
        "application/vnd.apple.mpegurl",
        "text/vtt",
    ], result.stderr[-1000:]


def test_the_test_process_has_them_too():
    assert mimetypes.guess_type("seg0.ts")[0] == "video/mp2t"
