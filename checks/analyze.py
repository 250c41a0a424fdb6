"""The entry points: a document (and, from a browser, extra controls) in, a page verdict out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from checks.classify import classify_controls, page_verdict
from checks.extract import Document, extract_controls, parse
from checks.frames import origin_of, provider_note
from checks.model import Control, FieldVerdict, PageResult, PageVerdict, Widget
from checks.script_data import attribute_controls, may_have_data_attributes
from checks.signals import blocked_reason, login_wall, render_hints
from checks.territory import territory as load_territory


def analyze_html(html: str, url: str | None = None, territory: str = "XK") -> PageResult:
    """Judge one HTML document. Pure and deterministic: no I/O, same input, same result.

    ``url`` is accepted for the contract and for future rules that depend on the site; the
    verdict depends only on the document today.
    """
    return analyze_page(html, url=url, territory=territory)


def analyze_page(html: str | None, extra_controls: Iterable[Control | dict[str, Any]] = (),
                 *, frames: Sequence[tuple[str, str]] = (), url: str | None = None,
                 territory: str = "XK") -> PageResult:
    """Judge a page from its document, its same-origin frames and controls read by clicking.

    The browser path hands over the flattened DOM (open shadow roots inlined), the frames'
    documents and the options of custom drop-downs; all of them go through the same rules.
    """
    terr = load_territory(territory)
    doc = parse(html) if html else None
    controls: list[Control] = []
    title = None
    hints: tuple[str, ...] = ()
    notes: list[str] = []
    if doc is not None:
        title = doc.title
        controls.extend(_cut_if(doc, extract_controls(doc)))
        if doc.truncated:
            notes.append("document truncated before analysis")
    providers: dict[str, str] = {}  # frame origin → how the evidence names it
    page_origin = origin_of(url) if url else None
    for frame_url, frame_html in frames:
        frame_doc = parse(frame_html) if frame_html else None
        if frame_doc is None:
            continue
        found = [_in_frame(c, frame_url) for c in _cut_if(frame_doc, extract_controls(frame_doc))]
        origin = origin_of(frame_url)
        if origin and page_origin and origin != page_origin and found:
            providers.setdefault(origin, provider_note(frame_url, frame_doc.root, found))
        controls.extend(found)
    clicked = [extra if isinstance(extra, Control) else Control.from_dict(extra)
               for extra in extra_controls]
    if clicked:
        # The browser opened the custom drop-downs: their empty triggers in the document
        # are the same widgets, now read, not more unreadable fields; and a list whose
        # document showed only the rows in view (a virtual list) is the one the browser read
        # (to its end, or as far as it could: then the absence stays unjudged).
        controls = [c for c in controls
                    if c.widget not in (Widget.COMBOBOX, Widget.LISTBOX)
                    or (c.options and not _read_again(c, clicked))]
        for c in clicked:
            if c.frame and page_origin and c.frame != page_origin:
                providers.setdefault(c.frame, provider_note(c.frame, None, [c]))
    controls.extend(clicked)

    fields = classify_controls(controls, terr)
    if doc is not None and html and not any(f.verdict is not FieldVerdict.UNKNOWN
                                            for f in fields) and may_have_data_attributes(html):
        # Nothing could be read whole: a widget's data-* attribute may carry its whole list.
        carried = list(attribute_controls(doc.root))
        if carried:
            controls.extend(carried)
            fields = classify_controls(controls, terr)
    if providers:
        fields = [replace(f, notes=(*f.notes, providers[f.control.frame]))
                  if f.control.frame in providers else f for f in fields]
    verdict = page_verdict(fields)
    reason = None
    if verdict is None:
        if any(f.verdict is FieldVerdict.UNKNOWN for f in fields):
            verdict, reason = PageVerdict.ERROR, "unrendered"
        elif doc is None:
            verdict, reason = PageVerdict.ERROR, "bad_content"
        else:
            blocked = blocked_reason(doc.root, title, controls)
            if blocked is None and login_wall(doc.root, title, controls):
                blocked = "login_required"
            if blocked:
                verdict, reason = PageVerdict.BLOCKED, blocked
            else:
                verdict = PageVerdict.NO_COUNTRY_FIELD
                hints = render_hints(doc.root, controls)
    return PageResult(verdict=verdict, fields=tuple(fields), reason=reason, render_hints=hints,
                      title=title, territory=terr.code, notes=tuple(notes))


def _cut_if(doc: Document, controls: Iterable[Control]) -> list[Control]:
    """A document cut at its size cap may have cut a list in the middle: every list in it is
    marked cut, so that none of them can prove an absence."""
    if not doc.truncated:
        return list(controls)
    return [replace(c, truncated=True) for c in controls]


def _read_again(c: Control, clicked: Sequence[Control]) -> bool:
    """The browser opened this widget and read it: the same id, or every row of the document's
    list (by its label) among the rows it read."""
    rows = {" ".join(o.label.split()).casefold() for o in c.options} - {""}
    for other in clicked:
        if other.frame != c.frame:
            continue
        if c.id and other.id == c.id:
            return True
        if rows and rows <= {" ".join(o.label.split()).casefold() for o in other.options}:
            return True
    return False


def _in_frame(c: Control, frame_url: str) -> Control:
    return replace(c, hints=f"{c.hints} frame:{frame_url[:200]}".strip(),
                   frame=origin_of(frame_url))
