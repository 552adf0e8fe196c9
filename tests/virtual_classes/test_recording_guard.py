"""The recording-download guard (issue 17): only files below the configured base
path of the Jitsi recordings origin, by whole path segments."""

import pytest

from virtual_classes.jitsi import recording_url_allowed

BASE = "https://jitsi.example/recordings"


@pytest.fixture(autouse=True)
def _base(settings):
    settings.JITSI_RECORDINGS_BASE_URL = BASE


@pytest.mark.parametrize(
    "url",
    [
        "https://jitsi.example/recordings/class-7.mp4",
        "https://JITSI.example/recordings/2026/12/class-7.mp4",
        "https://jitsi.example/recordings/class-7.mp4?token=abc",
    ],
)
def test_files_below_the_base_are_allowed(url):
    assert recording_url_allowed(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://jitsi.example/recordings-other/class-7.mp4",  # a prefix, not a folder
        "https://jitsi.example/recordingsX.mp4",
        "https://jitsi.example/recordings/../admin/secrets",
        "https://jitsi.example/recordings/%2e%2e/admin/secrets",
        "https://jitsi.example/recordings/%2E%2E%2Fadmin",
        "https://jitsi.example/recordings/./class-7.mp4",
        "https://jitsi.example/recordings/..%5cadmin",
        "https://jitsi.example/recordings//evil.example/x.mp4",
        "https://jitsi.example/recordings/",  # the folder itself
        "https://jitsi.example/recordings",
        "http://jitsi.example/recordings/class-7.mp4",  # another scheme
        "https://jitsi.example:8443/recordings/class-7.mp4",  # another port
        "https://jitsi.example.evil/recordings/class-7.mp4",
        "https://user:pw@jitsi.example/recordings/class-7.mp4",
        "https://jitsi.example:99999/recordings/class-7.mp4",  # a malformed port
        "file:///recordings/class-7.mp4",
    ],
)
def test_everything_else_is_refused(url):
    assert not recording_url_allowed(url)


def test_a_base_with_a_trailing_slash_means_the_same(settings):
    settings.JITSI_RECORDINGS_BASE_URL = BASE + "/"
    assert recording_url_allowed(BASE + "/class-7.mp4")
    assert not recording_url_allowed(BASE + "-other/class-7.mp4")


def test_nothing_is_allowed_without_a_configured_base(settings):
    settings.JITSI_RECORDINGS_BASE_URL = ""
    assert not recording_url_allowed(BASE + "/class-7.mp4")
