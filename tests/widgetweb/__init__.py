"""The widget web: country pickers drawn by real, unmodified UI libraries from npm.

``package.json``/``package-lock.json`` pin the libraries (``make widgetweb`` runs ``npm ci`` and
``build.mjs``, which bundles the React, Vue and web-component pages with esbuild); nothing
they install or build is committed. ``catalog.py`` lists every page and its truth,
``lists.py`` the country data, ``server.py`` serves both origins, ``pages/`` holds the
templates and ``src/`` the pages' own glue code.
"""
