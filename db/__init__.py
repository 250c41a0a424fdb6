"""The history: models, sessions, migrations, the site catalog and the queries over it.

Nothing here fetches or judges a page; ``crawler`` hands over finished reports and
``db`` keeps them, append-only, so that every verdict can be traced back later.
"""
