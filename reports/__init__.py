"""Open data: exports of the full check history, history analytics, periodic reports, feeds.

Everything here reads the history through ``db`` and never writes it. Modules:
``columns`` (the exported columns, declared once), ``export`` (streamed CSV, JSONL, data
package, SQLite), ``datapackage`` (descriptor, licence, citation, methodology note),
``analytics`` (wins, regressions, time to fix, shares, upstream lists), ``periods``,
``charts`` (matplotlib → SVG), ``report`` (HTML/PDF) and ``feeds`` (Atom).
"""
