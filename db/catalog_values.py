"""Checks of one catalog value (a contact, an e-mail address), by its form alone.

Shared by the catalog file's reader (db.catalog_schema) and the admin's contact form: both
refuse the same values, a link that is not a public http(s) one (never ``javascript:`` or
``data:``) first among them. Hosts and links are judged by foundation.addresses.
"""

from __future__ import annotations

import re

from foundation.addresses import host_problem, url_problem
from foundation.text import has_controls

_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_PHONE = re.compile(r"\+?[0-9 ()./-]+")


def contact_value_problem(kind: str, value: str, allow_private: bool = False) -> str | None:
    """What is wrong with a contact's value for its kind: an e-mail address, a phone number,
    else a public http(s) link (never ``javascript:`` or ``data:``). Shared by the catalog and
    the admin's contact form."""
    if has_controls(value):
        return "holds a line break or a control character"
    if kind == "email":
        return email_problem(value)
    if kind == "phone":
        digits = sum(c.isdigit() for c in value)
        if not _PHONE.fullmatch(value) or not 5 <= digits <= 17:
            return f"{value!r} is not a phone number (digits, spaces, + ( ) - . /)"
        return None
    return url_problem(value, allow_private)


def email_problem(value: str) -> str | None:
    if value.lower().startswith("mailto:"):
        return f"{value!r}: give the address without 'mailto:'"
    local, at, domain = value.rpartition("@")
    if not at or not local or not _EMAIL_LOCAL.fullmatch(local) or len(value) > 254:
        return f"{value!r} is not a valid e-mail address"
    problem = host_problem(domain, allow_private=True)
    if problem or "." not in domain:
        return f"{value!r} is not a valid e-mail address (domain {domain!r})"
    return None
