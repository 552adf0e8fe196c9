"""Streaming authenticated encryption of backup parts (AES-256-GCM in chunks).

A database dump or a media store can be far larger than memory, so a part is
encrypted 1 MiB at a time: each chunk is sealed with its own nonce (a random prefix
and the chunk's counter, so chunks cannot be reordered) and the last one is marked
in its associated data (so a truncated file cannot pass for a shorter one). The key
is derived from ``BACKUP_ENCRYPTION_KEY`` with scrypt and a salt per file, so any
passphrase works and the same key never encrypts two files.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from lms.backup.errors import BackupError

MAGIC = b"MHRBAK\x01\n"
CHUNK_BYTES = 1024 * 1024
_SALT_BYTES = 16
_PREFIX_BYTES = 8
_HEADER_BYTES = len(MAGIC) + _SALT_BYTES + _PREFIX_BYTES
_LENGTH = struct.Struct(">I")
_TAG_BYTES = 16
SCHEME = "aes-256-gcm-chunked/scrypt"


def _derive(passphrase: str, salt: bytes) -> AESGCM:
    key = Scrypt(salt=salt, length=32, n=2**14, r=8, p=1).derive(passphrase.encode())
    return AESGCM(key)


def _nonce(prefix: bytes, counter: int) -> bytes:
    return prefix + counter.to_bytes(4, "big")


class EncryptingWriter:
    """A write-only file object that seals what it is given into ``raw``."""

    def __init__(self, raw: BinaryIO, passphrase: str) -> None:
        salt, prefix = os.urandom(_SALT_BYTES), os.urandom(_PREFIX_BYTES)
        self._raw = raw
        self._aead = _derive(passphrase, salt)
        self._header = MAGIC + salt + prefix
        self._prefix = prefix
        self._counter = 0
        self._buffer = bytearray()
        self._closed = False
        raw.write(self._header)

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK_BYTES:
            self._seal(bytes(self._buffer[:CHUNK_BYTES]), final=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def close(self) -> None:
        """Seal the rest as the final chunk (an empty part still has one)."""
        if not self._closed:
            self._seal(bytes(self._buffer), final=True)
            self._buffer.clear()
            self._closed = True

    def _seal(self, plain: bytes, *, final: bool) -> None:
        aad = self._header + (b"\x01" if final else b"\x00")
        sealed = self._aead.encrypt(_nonce(self._prefix, self._counter), plain, aad)
        self._raw.write(_LENGTH.pack(len(sealed)) + sealed)
        self._counter += 1


class DecryptingReader:
    """A read-only file object over an encrypted part; refuses any tampering."""

    def __init__(self, raw: BinaryIO, passphrase: str, *, name: str = "") -> None:
        self._raw = raw
        self._name = name
        header = raw.read(_HEADER_BYTES)
        if len(header) != _HEADER_BYTES or not header.startswith(MAGIC):
            raise BackupError(f"{name}: not an encrypted backup part.")
        salt = header[len(MAGIC) : len(MAGIC) + _SALT_BYTES]
        self._prefix = header[len(MAGIC) + _SALT_BYTES :]
        self._header = header
        self._aead = _derive(passphrase, salt)
        self._counter = 0
        self._buffer = b""
        self._done = False

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._buffer += self._open_next()
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def _open_next(self) -> bytes:
        length_bytes = self._raw.read(_LENGTH.size)
        if len(length_bytes) != _LENGTH.size:
            raise BackupError(f"{self._name}: encrypted part is truncated.")
        (length,) = _LENGTH.unpack(length_bytes)
        sealed = self._raw.read(length)
        if length < _TAG_BYTES or len(sealed) != length:
            raise BackupError(f"{self._name}: encrypted part is truncated.")
        nonce = _nonce(self._prefix, self._counter)
        for final in (False, True):
            aad = self._header + (b"\x01" if final else b"\x00")
            try:
                plain = self._aead.decrypt(nonce, sealed, aad)
            except InvalidTag:
                continue
            self._counter += 1
            if final:
                self._done = True
                if self._raw.read(1):
                    raise BackupError(f"{self._name}: data after the final chunk.")
            return plain
        raise BackupError(
            f"{self._name}: cannot decrypt (wrong BACKUP_ENCRYPTION_KEY, or the "
            "file was altered)."
        )

    def close(self) -> None:
        self._raw.close()
