"""Rebuild a real captured form from the corpus as HTML, so tests go through the real parser."""

from __future__ import annotations

import html
from typing import Any


def _attr(name: str, value: str | None) -> str:
    return f' {name}="{html.escape(value, quote=True)}"' if value else ""


def form_html(page: dict[str, Any]) -> str:
    parts = [f"<!doctype html><html lang=\"{html.escape(page.get('lang') or 'en')}\">",
             f"<head><title>{html.escape(page['site'])}</title></head><body><form>"]
    for i, field in enumerate(page["fields"]):
        ident = field["id"] or (f"f{i}" if field["label"] else "")
        attrs = _attr("name", field["name"]) + _attr("id", ident)
        attrs += _attr("autocomplete", field["autocomplete"])
        if field["label"]:
            parts.append(f'<label for="{html.escape(ident)}">{html.escape(field["label"])}</label>')
        if field["tag"] == "select":
            options = "".join(
                f'<option value="{html.escape(v, quote=True)}">{html.escape(lbl)}</option>'
                for v, lbl in field.get("options", []))
            parts.append(f"<select{attrs}>{options}</select>")
        elif field["tag"] == "input":
            parts.append(f"<input{_attr('type', field['type'] or 'text')}{attrs}>")
        else:
            parts.append(f"<textarea{attrs}></textarea>")
    parts.append("</form></body></html>")
    return "".join(parts)
