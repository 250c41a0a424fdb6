"""Rendered public pages kept on disk, shared by every web process and the crawl.

One file per page (``<folder>/<language>/<key>.page``): a JSON header line (how to render the
page again, the data version it shows, its ETag and headers) and the body. Files are written
under a temporary name and renamed into place, so a reader never sees half a page, and a page
of an older data version stays servable (stale) until its fresh rendering replaces it: a
restarted server answers at once from the last rendering while it makes a new one.

The *generation* is a file holding a random token, written anew whenever a moderator or a
catalog load edits what pages show without adding a row (a contact, a site's name): it joins
the data version (of the pages and of each process's cached numbers), so every process and the
crawl's warm-up see the edit at once. The token, not the file's time or inode, is what is
compared: a shared folder on NFS keeps times to the second and reuses inodes.

Nothing here imports Flask: the crawl and the CLI use it too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
SUFFIX = ".page"
GENERATION = "generation"
FORMAT = 1
# Beyond this many files the oldest are removed (a flood of odd queries cannot fill the disk).
MAX_FILES = 6000
Version = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Recipe:
    """What a page is made from: enough to render it again without the visitor's request."""

    path: str
    query: str  # normalised: the page's own parameters, sorted
    host: str
    scheme: str
    language: str
    script_name: str = ""

    def key(self) -> str:
        text = "\0".join((self.scheme, self.host, self.script_name, self.path, self.query,
                          self.language))
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:40]


@dataclass(slots=True)
class Page:
    """One rendering of a public page."""

    recipe: Recipe
    version: Version | None  # None only in a file of an older release (made from old numbers)
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    rendered_at: float  # seconds since the epoch
    etag: str = field(default="")
    # Made for ``version`` from cached numbers of an older one (tracker_web.cache): made again
    # once the numbers catch up.
    stale: bool = False

    def __post_init__(self) -> None:
        if not self.etag:
            self.etag = '"' + hashlib.blake2b(self.body, digest_size=16).hexdigest() + '"'

    @property
    def size(self) -> int:
        return len(self.body) + 64 * len(self.headers)


def _header(page: Page) -> bytes:
    recipe = page.recipe
    return json.dumps({
        "format": FORMAT, "path": recipe.path, "query": recipe.query, "host": recipe.host,
        "scheme": recipe.scheme, "language": recipe.language,
        "script_name": recipe.script_name,
        "version": list(page.version) if page.version is not None else None,
        "status": page.status, "headers": page.headers, "rendered_at": page.rendered_at,
        "etag": page.etag, "stale": page.stale}, ensure_ascii=True).encode("ascii") + b"\n"


def _parse(raw: bytes) -> Page:
    head, _, body = raw.partition(b"\n")
    meta = json.loads(head)
    if meta.get("format") != FORMAT:
        raise ValueError("another format")
    recipe = Recipe(path=meta["path"], query=meta["query"], host=meta["host"],
                    scheme=meta["scheme"], language=meta["language"],
                    script_name=meta.get("script_name", ""))
    version = tuple(meta["version"]) if meta["version"] is not None else None
    return Page(recipe=recipe, version=version, status=int(meta["status"]),
                headers=[(str(k), str(v)) for k, v in meta["headers"]], body=body,
                rendered_at=float(meta["rendered_at"]), etag=str(meta["etag"]),
                stale=bool(meta.get("stale", version is None)))


class PageStore:
    """The folder of rendered pages (``<instance>/pages``)."""

    def __init__(self, folder: Path, max_files: int = MAX_FILES) -> None:
        self.folder = folder
        self.max_files = max_files
        self._writes = 0
        self._guard = threading.Lock()

    def _path(self, recipe: Recipe) -> Path:
        language = recipe.language if recipe.language.replace("_", "").isalnum() else "xx"
        return self.folder / language / (recipe.key() + SUFFIX)

    def load(self, recipe: Recipe) -> Page | None:
        """The last rendering of this page, of whatever data version, or None."""
        try:
            page = _parse(self._path(recipe).read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("unreadable page file for %s", recipe.path)
            return None
        return page if page.recipe == recipe else None

    def save(self, page: Page) -> None:
        """Write atomically (a temporary file renamed into place); errors are logged, never
        raised: the page was answered already, the disk copy only speeds up the next start."""
        path = self._path(page.recipe)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(_header(page))
                    out.write(page.body)
                os.replace(temp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError as exc:
            log.warning("could not keep the page %s on disk: %s", page.recipe.path, exc)
            return
        with self._guard:
            self._writes += 1
            due = self._writes % 200 == 0
        if due:
            self.prune()

    def files(self) -> list[Path]:
        """Every page file, newest first."""
        found: list[tuple[float, Path]] = []
        if not self.folder.is_dir():
            return []
        for language in self.folder.iterdir():
            if not language.is_dir():
                continue
            for path in language.glob("*" + SUFFIX):
                with contextlib.suppress(OSError):
                    found.append((path.stat().st_mtime, path))
        found.sort(reverse=True)
        return [path for _, path in found]

    def recipes(self, limit: int | None = None) -> Iterator[Recipe]:
        """The recipes of the pages kept, most recently rendered first."""
        for path in self.files()[:limit]:
            try:
                with path.open("rb") as fh:
                    head = fh.readline()
                yield _parse(head + b"\n").recipe
            except (OSError, ValueError, KeyError, TypeError):
                continue

    def prune(self) -> int:
        """Remove the oldest files beyond ``max_files``; how many were removed."""
        removed = 0
        for path in self.files()[self.max_files:]:
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
        return removed

    # -- the generation ----------------------------------------------------------------------

    def generation(self) -> int:
        """Changes whenever :meth:`bump` is called, in any process (0 before the first): a
        number made from the token the last bump wrote (a read of a few bytes)."""
        try:
            token = (self.folder / GENERATION).read_bytes()
        except OSError:
            return 0
        return int.from_bytes(hashlib.blake2b(token, digest_size=8).digest()) >> 1

    def bump(self) -> None:
        """Say that what pages show changed in place: every process renders its pages and
        computes its numbers again. The folder is made if need be (a process may have cached
        numbers before any page was kept); when it cannot be written the other processes
        miss the edit until the next data change, so that is logged."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".gen", dir=self.folder)
            try:
                with os.fdopen(handle, "w", encoding="ascii") as out:
                    out.write(f"{time.time_ns()} {secrets.token_hex(16)}\n")
                os.replace(temp, self.folder / GENERATION)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError as exc:
            log.warning("could not say that the public pages changed (%s): other processes "
                        "show the edit only with the next data change; the instance folder "
                        "must be writable", exc)
