"""The evidence store: page snapshots and screenshots, one file per content, named by SHA-256.

Content addressing makes writes idempotent (a crawl re-run after a crash writes the same
names), deduplicates the many identical pages of a daily crawl, and lets anyone verify a
published hash against the file. Files live under ``aa/bb/<sha256>.<ext>`` so no folder grows
past a few thousand entries; each is written to a temporary name and renamed into place, so a
reader never sees half a file, even after a crash.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from db.errors import EvidenceNotFound

_SHA256 = re.compile(r"[0-9a-f]{64}")
_EXT = re.compile(r"[a-z0-9]{1,10}")


def _checked_sha(sha256: str) -> str:
    # The name becomes a path: anything but 64 hex digits could walk out of the store.
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


class EvidenceStore:
    """Content-addressed files under ``root`` (the ``XKTRACKER_DATA_DIR`` setting)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._made: set[Path] = set()  # folders known to exist: a crawl puts thousands

    def _folder(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4]

    def _find(self, sha256: str) -> Path | None:
        folder = self._folder(_checked_sha(sha256))
        for candidate in sorted(folder.glob(f"{sha256}.*")) if folder.is_dir() else ():
            return candidate
        return None

    def path(self, sha256: str) -> Path:
        """Where the blob with this hash is stored; :class:`EvidenceNotFound` if it is not."""
        found = self._find(sha256)
        if found is None:
            raise EvidenceNotFound(f"no evidence {sha256} in {self.root}")
        return found

    def __contains__(self, sha256: object) -> bool:
        return isinstance(sha256, str) and bool(_SHA256.fullmatch(sha256)) \
            and self._find(sha256) is not None

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def put(self, data: bytes, ext: str) -> str:
        """Store ``data`` (once) and return its SHA-256.

        The extension only helps people open the file (``html``, ``png``); the hash alone
        names the content, so storing the same bytes again, under any extension, is a no-op.
        """
        ext = ext.lower().lstrip(".")
        if not _EXT.fullmatch(ext):
            raise ValueError(f"bad evidence extension {ext!r}: 1-10 letters or digits")
        sha256 = hashlib.sha256(data).hexdigest()
        if self._find(sha256) is not None:
            return sha256
        folder = self._folder(sha256)
        if folder not in self._made:
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=f".{ext}")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; evidence is meant to be shared
            os.replace(tmp, folder / f"{sha256}.{ext}")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha256
