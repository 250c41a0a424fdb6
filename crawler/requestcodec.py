"""Requests in the shared Redis queue as JSON (``SCHEDULER_SERIALIZER``), never pickle.

scrapy-redis pickles requests by default, and unpickling runs code: anyone who can write to
the Redis server could then run code in every worker. Our requests carry only plain data
(the target's id, strings, numbers, the callback's name), so JSON is enough; bytes (headers,
bodies) and dicts with non-string keys (Scrapy's headers) are tagged so they come back as
they were. Anything else is refused when it is queued, where the mistake is easy to find.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from crawler.errors import NotPlainData

_BYTES = "$bytes"
_PAIRS = "$pairs"


def _plain(value: Any, where: str) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes | bytearray):
        return {_BYTES: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, list | tuple):
        return [_plain(v, where) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and not ({_BYTES, _PAIRS} & value.keys()):
            return {k: _plain(v, f"{where}.{k}") for k, v in value.items()}
        return {_PAIRS: [[_plain(k, where), _plain(v, where)] for k, v in value.items()]}
    raise NotPlainData(f"{where} is a {type(value).__name__}: requests in the shared queue "
                       "carry plain data only")


def _restore(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if _BYTES in obj:
            return base64.b64decode(obj[_BYTES])
        if _PAIRS in obj:
            return {_hashable(k): v for k, v in obj[_PAIRS]}
    return obj


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def dumps(obj: Any) -> bytes:
    """``Request.to_dict()`` as compact UTF-8 JSON."""
    return json.dumps(_plain(obj, "request"), ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def loads(data: bytes | str) -> Any:
    return json.loads(data, object_hook=_restore)
