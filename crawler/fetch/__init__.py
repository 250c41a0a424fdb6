"""Single-URL fetchers behind ``xktracker check``: static (httpx) and browser (Playwright)."""
