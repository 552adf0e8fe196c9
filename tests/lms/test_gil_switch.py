"""The web thread switch interval (lms/asgi.py: WEB_GIL_SWITCH_INTERVAL_MS)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lms.asgi import gil_switch_interval_apply


@pytest.fixture
def interval():
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_the_setting_in_milliseconds_becomes_the_interval(settings, interval):
    settings.WEB_GIL_SWITCH_INTERVAL_MS = 0.5
    assert gil_switch_interval_apply() == pytest.approx(0.0005)
    assert sys.getswitchinterval() == pytest.approx(0.0005)


@pytest.mark.parametrize("value", [0, None, ""])
def test_zero_or_unset_keeps_what_python_has(settings, interval, value):
    sys.setswitchinterval(0.005)
    settings.WEB_GIL_SWITCH_INTERVAL_MS = value
    assert gil_switch_interval_apply() == pytest.approx(0.005)


def test_the_settings_give_the_web_process_one_millisecond_by_default():
    """What a web node runs with when nothing overrides it (lms.settings)."""
    code = (
        "import os, sys; os.environ.pop('WEB_GIL_SWITCH_INTERVAL_MS', None);"
        "from lms import settings; print(settings.WEB_GIL_SWITCH_INTERVAL_MS)"
    )
    env = {"DEBUG": "1", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-800:]
    assert float(out.stdout.strip()) == 1.0
