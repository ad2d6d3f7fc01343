"""Read an answer's body as it streams in, counting decoded bytes as they are decoded.

httpx's own decoders hand each compressed chunk to zlib whole, so 3.5 KB sent as
``Content-Encoding: gzip, gzip`` becomes gigabytes in one call, before any size check can run.
Here the raw bytes are decoded with ``max_length``: no single step yields more than the bytes
still allowed, so memory stays near ``limit`` whatever the server sends. One encoding at most
(``gzip`` or ``deflate``, which the client asks for); a stacked or unknown one is refused.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

# What the client sends as Accept-Encoding, and so all it accepts back.
ACCEPTED_ENCODINGS = "gzip, deflate"
_GZIP = ("gzip", "x-gzip")


class BodyRefused(Exception):
    """A body that is not read to its end; ``str()`` says why, for the report."""


class _Decoder:
    """One encoding's decoder, yielding at most ``room`` bytes per step."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._deflate_tried_raw = False
        wbits = zlib.MAX_WBITS | 16 if encoding in _GZIP else zlib.MAX_WBITS
        self._zlib = zlib.decompressobj(wbits) if encoding != "identity" else None

    def decode(self, data: bytes, room: int) -> list[bytes]:
        """The decoded pieces of ``data``; stops once more than ``room`` bytes came out."""
        if self._zlib is None:
            return [data]
        pieces: list[bytes] = []
        produced = 0
        while data and produced <= room and not self._zlib.eof:
            try:
                piece = self._zlib.decompress(data, room - produced + 1)
            except zlib.error as error:
                if self.encoding == "deflate" and not self._deflate_tried_raw and not pieces:
                    # Servers send "deflate" both with and without the zlib header (as httpx does).
                    self._deflate_tried_raw = True
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise BodyRefused(
                    f"the answer is not valid {self.encoding} data ({error})"
                ) from None
            self._deflate_tried_raw = True  # the header was right: no second guess later
            pieces.append(piece)
            produced += len(piece)
            data = self._zlib.unconsumed_tail
        return pieces

    def finish(self) -> None:
        if self._zlib is not None and not self._zlib.eof:
            raise BodyRefused(f"the {self.encoding} answer is cut short")


def decoder_for(content_encoding: str | None) -> _Decoder:
    """The decoder of a ``Content-Encoding`` header; refuses stacked and unknown encodings."""
    names = [part.strip().lower() for part in (content_encoding or "").split(",")]
    names = [name for name in names if name and name != "identity"]
    if len(names) > 1:
        raise BodyRefused(
            "the answer is encoded more than once (Content-Encoding with "
            f"{len(names)} encodings); only one of {ACCEPTED_ENCODINGS} is accepted"
        )
    if names and names[0] not in (*_GZIP, "deflate"):
        raise BodyRefused(
            f"the answer's Content-Encoding is not one of {ACCEPTED_ENCODINGS}, which were asked for"
        )
    return _Decoder(names[0] if names else "identity")


async def read_body(
    raw: AsyncIterator[bytes], content_encoding: str | None, limit: int
) -> bytes | None:
    """The decoded body, or None when it (or its raw form) grows over ``limit`` bytes."""
    decoder = decoder_for(content_encoding)
    chunks: list[bytes] = []
    size = raw_size = 0
    async for chunk in raw:
        raw_size += len(chunk)
        if raw_size > limit:
            return None
        for piece in decoder.decode(chunk, limit - size):
            size += len(piece)
            if size > limit:
                return None
            chunks.append(piece)
    decoder.finish()
    return b"".join(chunks)
