"""The upstream-list database: which library or platform a site's country list comes from.

Declared data (``libraries.toml``: each library, where its releases are published, how to
read its list, and its fixes) plus a builder that reads the lists of a library's releases
from the package registries with their ordinary clients (``npm view``/``npm pack``, ``pip
index``/``pip download``, ``apt-get download``) and writes ``checks/data/platforms.json``,
the data the pure matcher :mod:`checks.fingerprint` reads at run time.

Run it with ``python -m xktracker.upstream --help``; see docs/upstream-lists.md.
"""
