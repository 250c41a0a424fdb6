"""The open data as ready files, made once after each crawl and served as they are.

:func:`publish` reads the history once and writes the CSV, the JSON Lines and the data package
(zip) side by side under names of their own (the time they were made), then
``manifest.json`` (when, how many rows, each file's name, size and SHA-256), renamed into place
last, so a manifest only ever names complete files. The previous set stays until the next
publication (a reader that read the old manifest a moment ago still finds its file; older
sets are removed), and a download in progress keeps reading the file it opened. The
dashboard serves these files with their ETag and dates (``tracker_web.data``); no web thread
builds a whole-history export from the database.
``xktracker crawl`` calls it at the end of a run, ``xktracker publish`` for cron.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import zipfile
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from reports.datapackage import CSV_NAME, PackageInfo, engine_version
from reports.export import (
    MEDIA_TYPES,
    Source,
    _AtomicFile,
    _jsonl_chunks,
    _package_steps,
    _zip_member_opener,
    iter_batches,
)

FOLDER = "exports"  # under the instance folder
MANIFEST = "manifest.json"
FORMATS = ("csv", "jsonl", "datapackage")
SUFFIXES = {"csv": "csv", "jsonl": "jsonl", "datapackage": "zip"}


def file_names(created: datetime) -> dict[str, str]:
    stamp = created.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return {"csv": f"xktracker-{stamp}.csv", "jsonl": f"xktracker-{stamp}.jsonl",
            "datapackage": f"xktracker-{stamp}-datapackage.zip"}


def folder_of(instance: Path) -> Path:
    return instance / FOLDER


@dataclass(frozen=True, slots=True)
class PublishedFile:
    format: str
    name: str
    size: int
    sha256: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def suffix(self) -> str:
        return SUFFIXES[self.format]


@dataclass(frozen=True, slots=True)
class Published:
    """What the last :func:`publish` made."""

    created: datetime
    rows: int
    version: str  # of xktracker, which made them
    files: dict[str, PublishedFile]

    def to_dict(self) -> dict[str, Any]:
        return {"created": self.created.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "rows": self.rows, "version": self.version,
                "files": {fmt: {"name": f.name, "size": f.size, "sha256": f.sha256}
                          for fmt, f in self.files.items()}}


class _Both(AbstractContextManager[Any]):
    """The package's CSV member written to the plain CSV file too (one pass, two copies)."""

    def __init__(self, member: AbstractContextManager[IO[bytes]], plain: IO[bytes]) -> None:
        self._member = member
        self._plain = plain
        self._out: IO[bytes] | None = None

    def __enter__(self) -> _Both:
        self._out = self._member.__enter__()
        return self

    def write(self, data: bytes) -> int:
        assert self._out is not None
        self._plain.write(data)
        return self._out.write(data)

    def __exit__(self, *exc: Any) -> None:
        self._member.__exit__(*exc)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def publish(source: Source, folder: Path, *, now: datetime | None = None) -> Published:
    """Write the three files and their manifest into ``folder`` from one read of the
    history; readers keep getting the previous files until each new one is complete."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two crawls ending together publish in turn
        return _publish(source, folder, now or datetime.now(UTC))


def _publish(source: Source, folder: Path, created: datetime) -> Published:
    info = PackageInfo(created=created)
    names = file_names(created)
    count = [0]
    lines = [0]
    with _AtomicFile(folder / names["csv"]) as plain_csv, \
            _AtomicFile(folder / names["jsonl"]) as jsonl, \
            _AtomicFile(folder / names["datapackage"]) as package:
        with zipfile.ZipFile(package, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            member = _zip_member_opener(archive, created)

            def open_member(name: str) -> AbstractContextManager[Any]:
                return _Both(member(name), plain_csv) if name == CSV_NAME else member(name)

            def batches() -> Iterator[list[list[Any]]]:
                for rows in iter_batches(source):
                    # JSON Lines first: the CSV writer then prefixes formula-like cells.
                    for chunk in _jsonl_chunks(iter([rows]), lines):
                        jsonl.write(chunk)
                    yield rows

            for _ in _package_steps(open_member, batches(), info, count):
                pass
    files = {fmt: PublishedFile(fmt, name, (folder / name).stat().st_size,
                                _sha256(folder / name)) for fmt, name in names.items()}
    published = Published(created=created, rows=count[0], version=engine_version(),
                          files=files)
    keep = set(names.values()) | _names_in(folder / MANIFEST)
    with _AtomicFile(folder / MANIFEST) as out:
        out.write((json.dumps(published.to_dict(), indent=2) + "\n").encode("utf-8"))
    for old in folder.glob("xktracker-*"):
        if old.name not in keep:
            old.unlink(missing_ok=True)
    return published


def _names_in(manifest: Path) -> set[str]:
    """The file names a manifest lists (none when it is absent or unreadable)."""
    try:
        raw = json.loads(manifest.read_text(encoding="utf-8"))
        return {str(f["name"]) for f in raw["files"].values()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()


def read_manifest(folder: Path) -> Published | None:
    """The files last published into ``folder`` (None: none yet, or a manifest naming a
    file that is gone)."""
    try:
        raw = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = {fmt: PublishedFile(fmt, str(f["name"]), int(f["size"]), str(f["sha256"]))
                 for fmt, f in raw["files"].items() if fmt in FORMATS}
        created = datetime.fromisoformat(str(raw["created"]).replace("Z", "+00:00"))
        published = Published(created=created, rows=int(raw["rows"]),
                              version=str(raw["version"]), files=files)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if set(files) != set(FORMATS) or not all(
            "/" not in f.name and (folder / f.name).is_file() for f in files.values()):
        return None
    return published
