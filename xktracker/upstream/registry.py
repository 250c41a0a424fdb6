"""Release lists and package files from the registries this machine reaches.

Only the ordinary clients are used: ``npm view NAME versions --json`` and ``npm pack
NAME@VERSION`` for npm, ``pip index versions NAME`` and ``pip download --no-deps
NAME==VERSION`` for PyPI, ``apt-cache madison`` and ``apt-get download`` for Debian. Each
downloaded file is kept in a cache folder, so a rebuild fetches only what it has not seen.
Package names and versions come from the declared data and the registries' own answers;
they are checked against a strict pattern before they reach a command line (as arguments,
never through a shell).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from packaging.version import InvalidVersion, Version

_NAME = re.compile(r"(?:@[a-z0-9][a-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._+-]{0,213}")
_VERSION = re.compile(r"[0-9][0-9A-Za-z.+~:-]{0,63}")
TIMEOUT = 300


class RegistryError(RuntimeError):
    """A registry could not be asked (no client, no network, an unknown package)."""


def _safe(name: str, version: str | None = None) -> None:
    if not _NAME.fullmatch(name) or (version is not None and not _VERSION.fullmatch(version)):
        raise RegistryError(f"refusing an odd package name or version: {name!r} {version!r}")


def _run(command: list[str], cwd: Path | None = None) -> str:
    if shutil.which(command[0]) is None:
        raise RegistryError(f"{command[0]} is not installed")
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                              timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RegistryError(f"{' '.join(command)}: {exc}") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [""])[-1]
        raise RegistryError(f"{' '.join(command)} exited {done.returncode}: {last}")
    return done.stdout


def stable(version: str) -> bool:
    """A final release (no alpha, beta, rc, dev or pre-release tag)."""
    if "-" in version and not re.fullmatch(r"[0-9.]+-[0-9]+", version):
        return False  # npm pre-release ("2.0.0-beta.1"); Debian revisions are handled apart
    try:
        parsed = Version(version)
    except InvalidVersion:
        return True
    return not (parsed.is_prerelease or parsed.is_devrelease)


def version_key(version: str) -> tuple[int | str, ...]:
    """Order versions numerically part by part ("1.10.0" after "1.9.2")."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.+~:-]", version) if p)


@dataclass(frozen=True, slots=True)
class Fetched:
    path: Path
    version: str


class Npm:
    name = "npm"

    def versions(self, package: str) -> list[str]:
        _safe(package)
        found = json.loads(_run(["npm", "view", package, "versions", "--json"]) or "[]")
        found = [found] if isinstance(found, str) else list(found)
        return sorted((v for v in found if stable(v)), key=version_key)

    def fetch(self, package: str, version: str, cache: Path) -> Fetched:
        _safe(package, version)
        folder = cache / "npm"
        folder.mkdir(parents=True, exist_ok=True)
        stem = package.replace("@", "").replace("/", "-")
        path = folder / f"{stem}-{version}.tgz"
        if not path.is_file():
            out = _run(["npm", "pack", f"{package}@{version}", "--silent"], cwd=folder)
            made = folder / out.strip().splitlines()[-1]
            if made != path:
                made.rename(path)
        return Fetched(path, version)


class PyPI:
    name = "pypi"

    def versions(self, package: str) -> list[str]:
        _safe(package)
        out = _run([sys.executable, "-m", "pip", "index", "versions", package,
                    "--disable-pip-version-check"])
        match = re.search(r"Available versions:\s*(.+)", out)
        found = [v.strip() for v in match[1].split(",")] if match else []
        return sorted((v for v in found if stable(v)), key=version_key)

    def fetch(self, package: str, version: str, cache: Path) -> Fetched:
        _safe(package, version)
        folder = cache / "pypi" / f"{package}-{version}"
        if not folder.is_dir() or not any(folder.iterdir()):
            folder.mkdir(parents=True, exist_ok=True)
            base = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                    "--disable-pip-version-check", "--dest", str(folder)]
            try:  # a wheel where one exists: nothing of the package runs
                _run([*base, "--only-binary=:all:", "--python-version", "3.11",
                      f"{package}=={version}"])
            except RegistryError:  # old releases ship only a source archive
                _run([*base, "--no-binary=:all:", "--no-build-isolation",
                      f"{package}=={version}"])
        files = sorted(p for p in folder.iterdir() if p.is_file())
        if not files:
            raise RegistryError(f"pip download {package}=={version} gave no file")
        return Fetched(files[0], version)


class Debian:
    name = "deb"

    def versions(self, package: str) -> list[str]:
        _safe(package)
        out = _run(["apt-cache", "madison", package])
        found = {line.split("|")[1].strip() for line in out.splitlines() if "|" in line}
        return sorted(found, key=version_key)

    def fetch(self, package: str, version: str, cache: Path) -> Fetched:
        _safe(package, version)
        folder = cache / "deb"
        folder.mkdir(parents=True, exist_ok=True)
        existing = [p for p in folder.glob(f"{package}_*.deb")
                    if p.name.split("_")[1].replace("%3a", ":") == version]
        if not existing:
            _run(["apt-get", "download", f"{package}={version}"], cwd=folder)
            existing = [p for p in folder.glob(f"{package}_*.deb")
                        if p.name.split("_")[1].replace("%3a", ":") == version]
        if not existing:
            raise RegistryError(f"apt-get download {package}={version} gave no file")
        return Fetched(existing[0], version)


class Registry(Protocol):
    name: str

    def versions(self, package: str) -> list[str]: ...

    def fetch(self, package: str, version: str, cache: Path) -> Fetched: ...


REGISTRIES: dict[str, Registry] = {"npm": Npm(), "pypi": PyPI(), "deb": Debian()}
