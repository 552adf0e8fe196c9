"""ASGI entry point: HTTP and WebSocket through one server (uvicorn)."""

import asyncio
import gc
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import FileResponse, HttpResponseBase
from django.urls import set_script_prefix

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")


class SyncStackASGIHandler(ASGIHandler):
    """Django's ASGI handler, running a request's signals, middleware, view and (for
    a plain response) close in one thread hop.

    Our middleware and views are synchronous. Django's stock handler builds an async
    chain, so every `MiddlewareMixin` runs `process_request`/`process_response`
    through its own `sync_to_async` (about 20 hand-offs between the event loop and
    the request's thread per request, measured with the exam-save profile in
    assessments/README.md). Built in sync mode the chain runs in the request's
    thread with one hand-off, as under WSGI. Async views still work (Django wraps
    them with `async_to_sync`); WebSockets are not affected. `handle` puts the
    signals and the response's close in the same hop.
    """

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        self.admission = _admission()
        self.idle_threads: list[ThreadPoolExecutor] = []

    async def __call__(self, scope, receive, send) -> None:
        """Django's entry point, with a request thread taken from a pool.

        Django enters a fresh `ThreadSensitiveContext` per request, and asgiref starts
        a new thread for it (and stops it after): measured in the exam load bench,
        thread start-up and teardown were a visible share of a save's CPU. Here each
        request still runs its sync work (signals, middleware, view, response close)
        on one thread of its own, one request at a time per thread, as Django
        requires; the thread is reused by a later request, as WSGI servers do.
        """
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)  # refuses it
            return
        executor = (
            self.idle_threads.pop()
            if self.idle_threads
            else ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")
        )
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            if len(self.idle_threads) < IDLE_REQUEST_THREADS_MAX:
                self.idle_threads.append(executor)
            else:
                executor.shutdown(wait=False)

    async def handle(self, scope, receive, send) -> None:
        """Django's `ASGIHandler.handle` with the request's sync work in one hop.

        Django's handler hands off to the request's thread three times per request:
        `request_started`, the middleware chain with the view, `response.close()`
        (the closers, then `request_finished`). Here `request_started`, the request,
        the chain and, for a plain response with nothing to do after it is sent,
        `close()` run in one hop, and the answer is sent afterwards: the database
        connection (`close_old_connections`, on both signals) goes back to the pool
        before the bytes go out rather than after. A streaming response (files,
        exports), or one with work to run once it has been sent
        (`lms.kernel.after_response`: the SMS must not lengthen the answer), is
        sent as Django sends it (watching for the client's disconnect) and closed
        after, in a second hop.
        """
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(get_script_prefix(scope))
        run = sync_to_async(self.respond, thread_sensitive=True)
        try:
            if self.admission is None or scope["path"].startswith("/healthz"):
                response = await run(scope, body_file)
            else:
                async with self.admission:
                    response = await run(scope, body_file)
            if response.closed:
                await self.send_response(response, send)
            else:
                await self.send_then_close(response, send, receive)
        finally:
            body_file.close()

    def respond(self, scope, body_file) -> HttpResponseBase:
        """In the request's thread: the signal, the request, the middleware chain and
        view, and `close()` unless the response must be sent first."""
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
        response._handler_class = self.__class__
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        if not response.streaming and all(
            closer == getattr(request, "close", None)
            for closer in response._resource_closers
        ):
            response.close()
        return response

    async def send_then_close(self, response, send, receive) -> None:
        """Send as Django does (a client that leaves stops the stream), then close."""
        sending = asyncio.create_task(self.send_response(response, send))
        listening = asyncio.create_task(self.listen_for_disconnect(receive))
        try:
            await asyncio.wait(
                [sending, listening], return_when=asyncio.FIRST_COMPLETED
            )
            for task in (listening, sending):
                if not task.done():
                    task.cancel()
                try:
                    await task
                except (asyncio.CancelledError, RequestAborted):
                    pass  # the client left; nothing more to send
        finally:
            await sync_to_async(response.close, thread_sensitive=True)()


# Request threads kept for reuse per process; a surge beyond this starts (and then
# stops) threads of its own. Requests in Django at once are bounded by
# REQUESTS_IN_FLIGHT_MAX; the others wait on the admission semaphore in their thread.
IDLE_REQUEST_THREADS_MAX = 64


def _admission() -> asyncio.Semaphore | None:
    """At most REQUESTS_IN_FLIGHT_MAX requests in middleware and view at once; the
    others wait here, before they hold a thread or a database connection.

    Every request in flight holds one of the process's DATABASE_POOL_MAX_SIZE
    connections; uvicorn hands Django every request it accepts, each in a thread of
    its own. In the surge (bench/bench_surge.py) hundreds were in flight on each web
    node: the GIL shared between them, the pool's 8 connections taken, and the rest
    failed after the pool's 20 s wait with a 500 (psycopg_pool.PoolTimeout). Queued
    here they wait their turn instead, and a CPU-bound process serves as many per
    second with 8 running as with 300. Health checks are not queued.
    """
    from django.conf import settings

    limit = getattr(settings, "REQUESTS_IN_FLIGHT_MAX", 0)
    return asyncio.Semaphore(limit) if limit else None


def warm_up() -> None:
    """Do the first request's one-off work at start-up: importing the URLconf (every
    app's views, ~1 s) and loading the translation catalogues. Otherwise the first
    requests a fresh worker accepts wait for it (seen as p99 in the exam load bench).
    The active language is left alone: requests copy this thread's context.
    """
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils.translation import trans_real

    get_resolver().url_patterns  # noqa: B018 (imports every urls and views module)
    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)


def gil_switch_interval_apply() -> float:
    """Set the interpreter's thread switch interval to WEB_GIL_SWITCH_INTERVAL_MS
    (0: Python's own, 5 ms); returns the interval in force, in seconds.

    A request thread whose database or Redis answer has arrived waits for the GIL
    until the thread holding it lets go, which CPython forces only after the switch
    interval. A page makes ten or so such round trips, each up to 5 ms late behind
    another request's rendering, and a request in flight holds its admission slot
    (REQUESTS_IN_FLIGHT_MAX) meanwhile. In the surge bench (1,000 trainees arriving
    at 10/s, bench/bench_surge.py) the web nodes used the same CPU at 1 ms and the
    p99 fell from 2.6 s to 0.6 s.
    """
    from django.conf import settings

    milliseconds = float(getattr(settings, "WEB_GIL_SWITCH_INTERVAL_MS", 0) or 0)
    if milliseconds > 0:
        sys.setswitchinterval(milliseconds / 1000)
    return sys.getswitchinterval()


django.setup(set_prefix=False)
django_asgi_app = SyncStackASGIHandler()
warm_up()
gil_switch_interval_apply()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from lms.kernel.websocket_outage import ChannelLayerOutageGuard  # noqa: E402
from lms.routing import websocket_urlpatterns  # noqa: E402
from registry.verify_asgi import VerifyFastPath  # noqa: E402

application = ProtocolTypeRouter(
    {
        # The public JSON verification is answered before Django when it can be.
        "http": VerifyFastPath(django_asgi_app),
        # Without the channel layer's Redis a socket is closed with 1013.
        "websocket": ChannelLayerOutageGuard(
            AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            )
        ),
    }
)

# What start-up loaded (~175,000 objects) lives as long as the process: move it out of
# the collector's reach. A full collection over it took ~95 ms on the 2-core machine,
# a stall for every request in flight on that worker; frozen, it scans request garbage.
gc.collect()
gc.freeze()
