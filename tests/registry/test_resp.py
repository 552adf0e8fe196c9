"""registry.resp: the lean Redis client behind the verification fast path."""

import asyncio
import os

import pytest

from registry.resp import (
    INCOMPLETE,
    RespClient,
    RespConnectionError,
    RespError,
    pack,
    parse,
)
from tests.conftest import requires_redis


def test_commands_are_packed_as_arrays_of_bulk_strings():
    assert pack("GET", b"k\r\n", 7) == b"*3\r\n$3\r\nGET\r\n$3\r\nk\r\n\r\n$1\r\n7\r\n"


@pytest.mark.parametrize(
    ("wire", "reply"),
    [
        (b"+OK\r\n", b"OK"),
        (b":42\r\n", 42),
        (b"$5\r\nab\r\nc\r\n", b"ab\r\nc"),
        (b"$-1\r\n", None),
        (b"*2\r\n:1\r\n$-1\r\n", [1, None]),
        (b"*2\r\n:3\r\n$2\r\nhi\r\n", [3, b"hi"]),
    ],
)
def test_replies_are_parsed(wire, reply):
    assert parse(wire) == (reply, len(wire))


def test_error_replies_are_returned_as_errors():
    error, _end = parse(b"-NOSCRIPT No matching script\r\n")
    assert isinstance(error, RespError) and str(error).startswith("NOSCRIPT")


@pytest.mark.parametrize("cut", [1, 4, 9, 13, 15])
def test_a_partial_reply_waits_for_more_bytes(cut):
    wire = b"*2\r\n:3\r\n$2\r\nhi\r\n"
    assert parse(wire[:cut]) is INCOMPLETE


async def test_a_server_that_is_not_there_is_reported_as_unavailable():
    client = RespClient(host="127.0.0.1", port=1, timeout_s=0.5)
    with pytest.raises(RespConnectionError):
        await client.call("PING")


@requires_redis
async def test_concurrent_callers_get_their_own_replies_over_one_connection():
    from redis.connection import parse_url

    options = parse_url(os.environ["REDIS_URL"])
    client = RespClient(
        host=options.get("host", "127.0.0.1"),
        port=options.get("port", 6379),
        db=options.get("db", 0),
        password=options.get("password"),
    )
    try:
        await client.call("SET", "resp-test:a", "1")
        replies = await asyncio.gather(
            *[client.call("ECHO", f"value-{n}") for n in range(200)]
        )
        assert replies == [f"value-{n}".encode() for n in range(200)]
        assert await client.call("GET", "resp-test:a") == b"1"
        assert await client.call("GET", "resp-test:missing") is None
        with pytest.raises(RespError):
            await client.call("EVALSHA", "0" * 40, 0)
        await client.call("DEL", "resp-test:a")
    finally:
        await client.aclose()


@requires_redis
@pytest.mark.django_db
async def test_fast_path_store_loads_its_script_after_a_script_flush():
    from django.conf import settings

    from registry.verify_asgi import _RespStore

    store = _RespStore(settings.CACHES["default"]["LOCATION"])
    try:
        await store._client.call("SCRIPT", "FLUSH")
        count, answer = await store.hit("resp-test:counter", 60, "resp-test:none")
        again, _answer = await store.hit("resp-test:counter", 60, None)
        assert (count, answer, again) == (1, None, 2)
        await store._client.call("DEL", "maharat:1:resp-test:counter")
    finally:
        await store.aclose()
