"""Compiling the message catalogues (``.po`` → ``.mo``), for the pages and for the letters.

The ``.po`` files are committed; the ``.mo`` files are build output (``make translations``),
compiled here too when missing or older than their ``.po``, so a fresh checkout just works.
Imports nothing of Flask: the letters are composed by pure functions.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).with_name("translations")


def compile_translations(source: Path = TRANSLATIONS, target: Path | None = None, *,
                         domain: str = "messages") -> Path:
    """Compile each ``<locale>/LC_MESSAGES/<domain>.po`` whose ``.mo`` is missing or stale;
    return the folder to load from.

    Compiles in place when the package folder is writable, else into ``target`` (default:
    a folder of this user's under the system's temporary folder), which then becomes the
    folder to load from.
    """
    out = source
    if not os.access(source, os.W_OK):
        out = target or Path(tempfile.gettempdir()) / f"xktracker-translations-{os.getuid()}"
    for po_path in sorted(source.glob(f"*/LC_MESSAGES/{domain}.po")):
        locale = po_path.parent.parent.name
        mo_path = out / locale / "LC_MESSAGES" / f"{domain}.mo"
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=locale, domain=domain)
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = mo_path.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        os.replace(tmp, mo_path)
    return out
