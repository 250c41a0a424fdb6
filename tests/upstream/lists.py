"""Print, as JSON, the country list one installed PyPI release hands a page, through its own
API (run with that release's folder first on ``sys.path``; see lists.js for npm)."""

from __future__ import annotations

import json
import sys


def main(library: str) -> list[tuple[str, str]]:
    if library == "pycountry":
        import pycountry

        return [(getattr(c, "alpha_2", None) or c.alpha2, c.name) for c in pycountry.countries]
    if library == "django-countries":
        import django
        from django.conf import settings

        settings.configure(USE_I18N=False)
        django.setup()
        from django_countries import countries

        return [(code, str(name)) for code, name in countries]
    if library == "iso3166":
        from iso3166 import countries as iso

        return [(c.alpha2, c.name) for c in iso]
    raise SystemExit(f"no API known for {library}")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
