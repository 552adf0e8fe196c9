"""A kept personal page in one round trip to the shared cache (issue 19).

The page's entry is kept under its user's id, which only the session says: read one
after the other, the session and the entry cost two round trips to Redis on every
kept page. Each web process therefore remembers, for the session keys it has seen,
the user each belonged to, and reads the session together with that user's keys in
one MGET. That memory is only a guess at which keys to ask for: the session read in
the same MGET decides who the visitor is (it is handed to Django's SessionStore as
its own load would have left it), and a session that now names another user, or
none, is answered the usual way. Only with sessions kept in the default cache
(``cached_db`` or ``cache``); otherwise Django loads the session as always.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import HttpRequest

_CACHED_ENGINES = (
    "django.contrib.sessions.backends.cached_db",
    "django.contrib.sessions.backends.cache",
)
_users: dict[str, str] = {}  # session key -> the user id last read from it here
_USERS_MAX = 20_000


def _guessing() -> bool:
    return (
        settings.SESSION_ENGINE in _CACHED_ENGINES
        and settings.SESSION_CACHE_ALIAS == "default"
    )


def session_and_keys(
    request: HttpRequest,
    session_store: Callable[[str | None], Any],
    keys_for: Callable[[str], list[str]],
) -> tuple[str | None, list[str], dict[str, Any]]:
    """Set ``request.session``; return the user id the session names (None: no
    one), the keys ``keys_for(user id)`` named and what the shared cache holds of
    them: read with the session when this process guessed that user, after it
    otherwise."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    guess = _users.get(session_key) if session_key and _guessing() else None
    store = session_store(session_key)
    asked: list[str] = []
    found: dict[str, Any] = {}
    if guess is not None and store.session_key is not None:
        asked = keys_for(guess)
        found = cache.get_many([store.cache_key, *asked])
        data = found.pop(store.cache_key, None)
        if data is not None:  # what cached_db's load() would have read
            store._session_cache = data
    request.session = store
    user_id = store.get(SESSION_KEY)
    user = None if user_id is None else str(user_id)
    if session_key and _guessing():
        _remember(session_key, user)
    if user is None:
        return None, [], {}
    if user != guess:
        asked = keys_for(user)
        found = cache.get_many(asked) if asked else {}
    return user, asked, found


def _remember(session_key: str, user: str | None) -> None:
    if user is None:
        _users.pop(session_key, None)
        return
    if len(_users) >= _USERS_MAX:
        _users.clear()
    _users[session_key] = user


def forget_guesses() -> None:
    """What a test starts from."""
    _users.clear()
