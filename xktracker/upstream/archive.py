"""A downloaded package read in place: an npm tarball, a wheel, a source archive or a .deb.

Members are addressed without the archive's top folder (``package/`` in an npm tarball,
``name-1.0/`` in a source archive), so one reader works for every release of a library.
Nothing is extracted to disk and nothing in the archive is run.
"""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path
from typing import Any

MAX_MEMBER = 64 * 1024 * 1024


class Archive:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._files: dict[str, bytes] = {}
        name = path.name
        if name.endswith(".deb"):
            self._files = _deb_files(path)
        elif name.endswith((".whl", ".zip")):
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if not info.is_dir() and info.file_size <= MAX_MEMBER:
                        self._files[info.filename] = archive.read(info)
        else:
            with tarfile.open(path, "r:*") as archive:
                for member in archive.getmembers():
                    if member.isfile() and member.size <= MAX_MEMBER:
                        handle = archive.extractfile(member)
                        if handle is not None:
                            self._files[member.name.removeprefix("./")] = handle.read()
        # One top folder for every member (npm's package/, an sdist's name-version/): drop it.
        tops = {n.split("/", 1)[0] for n in self._files}
        if len(tops) == 1 and all("/" in n for n in self._files) and not name.endswith(
                (".whl", ".deb")):
            top = tops.pop() + "/"
            self._files = {n[len(top):]: b for n, b in self._files.items()}

    def names(self) -> list[str]:
        return sorted(self._files)

    def has(self, inner: str) -> bool:
        return inner in self._files

    def find(self, *candidates: str, suffix: str | None = None) -> str | None:
        """The first of ``candidates`` present, else the first member ending in ``suffix``."""
        for candidate in candidates:
            if candidate in self._files:
                return candidate
        if suffix is not None:
            return next((n for n in self.names() if n.endswith(suffix)), None)
        return None

    def text(self, inner: str) -> str:
        return self._files[inner].decode("utf-8-sig")

    def json(self, inner: str) -> Any:
        return json.loads(self.text(inner))


def _deb_files(path: Path) -> dict[str, bytes]:
    """Files of a .deb's data archive (ar + tar), keyed by path without the leading ``./``."""
    blob = path.read_bytes()
    if not blob.startswith(b"!<arch>\n"):
        raise ValueError(f"{path} is not an ar archive")
    position, data = 8, None
    while position + 60 <= len(blob):
        header = blob[position:position + 60]
        entry = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        if entry.startswith("data.tar"):
            data = blob[position + 60:position + 60 + size]
            break
        position += 60 + size + (size % 2)
    if data is None:
        raise ValueError(f"{path} has no data.tar")
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
        for member in archive.getmembers():
            if member.isfile() and member.size <= MAX_MEMBER:
                handle = archive.extractfile(member)
                if handle is not None:
                    files[member.name.removeprefix("./")] = handle.read()
    return files
