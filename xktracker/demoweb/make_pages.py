"""Write the static pages of the demo web from real country data.

The pages are fixtures: a checker is judged by them, so their country lists must look
like the ones real sites ship. Hand-typing 250 names per language would drift from the
truth; this script builds every list from pycountry (ISO 3166-1), babel (CLDR names per
locale) and phonenumbers (dial codes), adds Kosovo itself where a page should list it,
and wraps the lists in pages that look like real signup, checkout and profile forms.

Run ``python -m xktracker.demoweb.make_pages`` to rewrite the pages, ``--check`` to
verify that the committed pages are what this script writes. Output is deterministic:
no clocks, no randomness. Only the files named here are written; other files in
``pages/`` (JavaScript-widget pages written by hand) are left alone.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from xktracker.demoweb.page_kit import Page
from xktracker.demoweb.pages_edges import (
    PHONE_PAGES,
    access_denied,
    address_us_states_missing,
    blog_prishtina,
    delivery_sr_districts,
    login,
    newsletter,
    settings_language_picker,
    shipping_radio_nordic,
    shipping_restricted_eu,
)
from xktracker.demoweb.pages_kosovo import (
    QUALIFIED_PAGES,
    application_kosovo_asterisk,
    billing_codes_only,
    profile_flags_only,
    quote_alpha3,
    register_first_option_label,
    register_wrapping_label,
    signup_aria_listbox,
    signup_messy_select,
)
from xktracker.demoweb.pages_world import (
    booking_ja,
    checkout_en,
    checkout_partial,
    checkout_world_missing,
    signup_ar,
    signup_datalist_es,
    signup_de,
    signup_fr_latin1,
    signup_it_slow,
    signup_next_data_missing,
    signup_sq,
    signup_sr_cyrl,
    signup_sr_windows_1251,
    signup_zh,
)

PAGES_DIR = Path(__file__).with_name("pages")


# Every generated page, in a fixed order: a builder each, or a row of a table of variants.
BUILDERS: tuple[Callable[[], Page], ...] = (
    checkout_en, signup_de, signup_sq, signup_sr_cyrl, booking_ja, signup_zh, signup_ar,
    checkout_world_missing, application_kosovo_asterisk, *QUALIFIED_PAGES,
    billing_codes_only, profile_flags_only, quote_alpha3, shipping_restricted_eu,
    delivery_sr_districts, settings_language_picker, address_us_states_missing, *PHONE_PAGES,
    checkout_partial, signup_datalist_es, shipping_radio_nordic, signup_messy_select,
    signup_aria_listbox, signup_next_data_missing, signup_sr_windows_1251, signup_fr_latin1,
    newsletter, blog_prishtina, register_first_option_label, register_wrapping_label,
    access_denied, login, signup_it_slow,
)


def build_pages() -> list[Page]:
    """Every generated page, in a fixed order."""
    return [build() for build in BUILDERS]


def main(argv: Sequence[str] | None = None) -> int:
    """Write the pages (or, with ``--check``, report the ones that differ)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PAGES_DIR, help="output folder")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a page on disk differs")
    args = parser.parse_args(argv)
    stale = []
    for page in build_pages():
        data = page.to_bytes()
        path = args.out / page.filename
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(page.filename)
            continue
        args.out.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{page.filename:42} {len(data) / 1024:7.1f} KB")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
