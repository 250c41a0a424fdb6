"""Realistic option lists for table tests, built from CLDR (Babel) and ISO (pycountry) data."""

from __future__ import annotations

import html

import pycountry
from babel import Locale

ISO = sorted(c.alpha_2 for c in pycountry.countries)  # 249 codes, no XK


def world(locale: str = "en", *, kosovo: str | None = "Kosovo", values: str = "alpha2",
          dial: bool = False, kosovo_value: str = "XK", kosovo_dial: str = "383",
          drop: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """A world list in ``locale``; ``kosovo=None`` leaves Kosovo out."""
    names = Locale.parse(locale).territories
    import phonenumbers

    rows = []
    for code in ISO:
        if code in drop:
            continue
        label = names.get(code, pycountry.countries.get(alpha_2=code).name)
        value = code if values != "alpha3" else pycountry.countries.get(alpha_2=code).alpha_3
        if dial:
            label = f"{label} (+{phonenumbers.country_code_for_region(code)})"
        rows.append((value, label))
    if kosovo is not None:
        label = f"{kosovo} (+{kosovo_dial})" if dial else kosovo
        rows.append((kosovo_value, label))
    rows.sort(key=lambda r: r[1].casefold())
    if values == "index":  # database ids: nothing in a value says which country it is
        rows = [(str(i + 1), label) for i, (_, label) in enumerate(rows)]
    return rows


def select_html(rows: list[tuple[str, str]], *, name: str = "country", label: str = "Country",
                placeholder: str | None = "Select a country") -> str:
    opts = "".join(f'<option value="{html.escape(v, quote=True)}">{html.escape(lbl)}</option>'
                   for v, lbl in rows)
    if placeholder is not None:
        opts = f'<option value="">{html.escape(placeholder)}</option>' + opts
    return (f'<label for="{name}">{html.escape(label)}</label>'
            f'<select id="{name}" name="{name}">{opts}</select>')


def page(*controls: str, title: str = "Sign up") -> str:
    return (f"<!doctype html><html><head><title>{title}</title></head><body><form>"
            + "".join(controls) + "</form></body></html>")
