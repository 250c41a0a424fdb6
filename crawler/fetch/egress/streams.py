"""Byte streams the relay reads requests from: a plain socket, or Chromium's TLS ended here.

After a ``CONNECT`` the proxy must look at the first byte to know whether TLS follows (a
``wss://`` or ``https://`` tunnel) or plain HTTP (a ``ws://`` tunnel, Playwright's own fetches).
asyncio streams cannot put a byte back, so TLS is run over memory buffers
(:class:`ssl.MemoryBIO`): the byte already read is simply fed in first.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Protocol

_READ = 64 * 1024


class Stream(Protocol):
    async def read(self) -> bytes:
        """Some bytes, ``b""`` at the end."""

    async def write(self, data: bytes) -> None:
        """Send all of ``data``."""

    def close(self) -> None:
        """Close the connection underneath."""


class PlainStream:
    """A TCP connection, with bytes already read (``prefix``) served first."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 prefix: bytes = b"") -> None:
        self._reader = reader
        self._writer = writer
        self._prefix = prefix

    async def read(self) -> bytes:
        if self._prefix:
            data, self._prefix = self._prefix, b""
            return data
        return await self._reader.read(_READ)

    async def write(self, data: bytes) -> None:
        self._writer.write(data)
        await self._writer.drain()

    def close(self) -> None:
        self._writer.close()


class TlsServerStream:
    """The server side of a TLS session with Chromium, run over memory buffers."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 context: ssl.SSLContext, prefix: bytes = b"") -> None:
        self._reader = reader
        self._writer = writer
        self._in = ssl.MemoryBIO()
        self._out = ssl.MemoryBIO()
        self._tls = context.wrap_bio(self._in, self._out, server_side=True)
        if prefix:
            self._in.write(prefix)

    async def _flush(self) -> None:
        pending = self._out.read()
        if pending:
            self._writer.write(pending)
            await self._writer.drain()

    async def _fill(self) -> bool:
        data = await self._reader.read(_READ)
        if not data:
            self._in.write_eof()
            return False
        self._in.write(data)
        return True

    async def handshake(self) -> None:
        """Complete the handshake; raises ``ssl.SSLError`` or ``ConnectionError``."""
        while True:
            try:
                self._tls.do_handshake()
                await self._flush()
                return
            except ssl.SSLWantReadError:
                await self._flush()
                if not await self._fill():
                    raise ConnectionError("the browser closed the TLS handshake") from None

    async def read(self) -> bytes:
        while True:
            try:
                data = self._tls.read(_READ)
                await self._flush()
                return data
            except ssl.SSLWantReadError:
                await self._flush()
                if not await self._fill():
                    return b""
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                return b""

    async def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = self._tls.write(view[:_READ])
            view = view[written:]
            await self._flush()

    def close(self) -> None:
        try:
            self._tls.unwrap()
        except ssl.SSLError:
            pass
        pending = self._out.read()
        if pending:
            self._writer.write(pending)
        self._writer.close()
