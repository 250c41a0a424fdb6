"""Plain data shared by extraction, classification and every caller.

Controls are plain frozen data so that the static path (lxml) and the browser path
(a live DOM read by Playwright) feed the same classifier: the browser hands over
dictionaries in the shape of :meth:`Control.to_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple


class Widget(StrEnum):
    SELECT = "select"
    DATALIST = "datalist"
    LISTBOX = "listbox"
    COMBOBOX = "combobox"
    RADIO = "radio"
    SCRIPT_DATA = "script_data"
    TEXT = "text"


class Enumeration(StrEnum):
    """How completely a control's options were read: only a complete reading of a world list
    can show an absence, and a list read by typing proves only what it found."""

    WHOLE = "whole"  # every option was in the document, or in the widget's own full source
    SCROLLED = "scrolled"  # a drawn list scrolled to its end, the rows collected
    TYPED = "typed"  # the union of what typing names, codes and first letters returned
    PARTIAL = "partial"  # stopped before the end (a budget, a cap): never an absence


class FieldKind(StrEnum):
    COUNTRY = "country"
    PHONE = "phone_country_code"


class FieldVerdict(StrEnum):
    """Field verdicts of DESIGN.md §1, plus ``unknown`` for a control we saw but could not read."""

    LISTED = "listed"
    LISTED_QUALIFIED = "listed_qualified"
    WRONG_CODE = "wrong_code"
    MISSING = "missing"
    RESTRICTED = "restricted"
    FREE_TEXT = "free_text"
    # A country control whose options are not in the document (filled by script, or
    # shown only after a click we could not make). Never counts for or against a site.
    UNKNOWN = "unknown"


# DESIGN.md §1: after ``partial``, the first of these among a page's fields is its verdict
# (and, with targets for fields, a site's status in db/verdicts.py).
FIELD_PRECEDENCE: tuple[FieldVerdict, ...] = (
    FieldVerdict.MISSING, FieldVerdict.WRONG_CODE, FieldVerdict.LISTED_QUALIFIED,
    FieldVerdict.LISTED, FieldVerdict.RESTRICTED, FieldVerdict.FREE_TEXT,
)


class PageVerdict(StrEnum):
    ERROR = "error"
    BLOCKED = "blocked"
    NO_COUNTRY_FIELD = "no_country_field"
    PARTIAL = "partial"
    MISSING = "missing"
    WRONG_CODE = "wrong_code"
    LISTED_QUALIFIED = "listed_qualified"
    LISTED = "listed"
    RESTRICTED = "restricted"
    FREE_TEXT = "free_text"


class Option(NamedTuple):
    """One entry of a list. A named tuple, not a dataclass: pages carry thousands of them,
    and a frozen dataclass costs several times more to build."""

    value: str
    label: str
    group: str | None = None
    disabled: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label, "group": self.group,
                "disabled": self.disabled}

    @classmethod
    def from_any(cls, data: Any) -> Option:
        """Accept ``{"value", "label", "group"?}`` or a ``[value, label]`` pair."""
        if isinstance(data, Option):
            return data
        if isinstance(data, dict):
            return cls(str(data.get("value") or ""), str(data.get("label") or ""),
                       data.get("group") or None, bool(data.get("disabled", False)))
        value, label, *rest = list(data) + [None]
        return cls(str(value or ""), str(label or ""), (rest[0] or None) if rest else None)


@dataclass(frozen=True, slots=True)
class Control:
    """One form control that might hold a country, as found in a document."""

    widget: Widget
    selector: str
    options: tuple[Option, ...] = ()
    name: str | None = None
    id: str | None = None
    label: str | None = None
    autocomplete: str | None = None
    placeholder: str | None = None
    input_type: str | None = None
    hidden: bool = False
    # Extra words that describe the control (aria-label, title, class names of a
    # custom widget, the JSON key that held script data): used only as hints.
    hints: str = ""
    # The list was longer than we read: what follows the last option is not known.
    truncated: bool = False
    enumeration: Enumeration = Enumeration.WHOLE
    # The origin of the frame that holds the control ("https://js.stripe.com"), if any.
    frame: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "widget": str(self.widget), "selector": self.selector, "name": self.name,
            "id": self.id, "label": self.label, "autocomplete": self.autocomplete,
            "placeholder": self.placeholder, "input_type": self.input_type,
            "hidden": self.hidden, "hints": self.hints,
            "options": [o.to_dict() for o in self.options],
            **({"truncated": True} if self.truncated else {}),
        }
        if self.enumeration is not Enumeration.WHOLE:
            out["enumeration"] = str(self.enumeration)
        if self.frame is not None:
            out["frame"] = self.frame
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Control:
        return cls(
            widget=Widget(data["widget"]),
            selector=str(data.get("selector") or ""),
            options=tuple(Option.from_any(o) for o in data.get("options") or ()),
            name=data.get("name") or None,
            id=data.get("id") or None,
            label=data.get("label") or None,
            autocomplete=data.get("autocomplete") or None,
            placeholder=data.get("placeholder") or None,
            input_type=data.get("input_type") or None,
            hidden=bool(data.get("hidden", False)),
            hints=str(data.get("hints") or ""),
            truncated=bool(data.get("truncated", False)),
            enumeration=Enumeration(data.get("enumeration") or Enumeration.WHOLE),
            frame=data.get("frame") or None,
        )


@dataclass(frozen=True, slots=True)
class KosovoMatch:
    label: str
    value: str
    dial_code: str | None = None
    qualifier: str | None = None
    # The label spelled out (``Ko<U+00AD>sovo``) when it holds invisible, bidirectional or
    # look-alike characters: the evidence shows what the page really sent.
    code_points: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label, "value": self.value,
                               "dial_code": self.dial_code}
        if self.code_points is not None:
            out["code_points"] = self.code_points
        return out


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Where a list probably comes from (a hint, never evidence): one library and the
    releases that ship this list, or, when several libraries ship it alike, that family
    (``source == "family"``, the libraries in ``members``), never one of them."""

    source: str  # a library id of checks/data/platforms.json, or "family"
    similarity: float
    fix: str | None = None  # plain text, for this field's problem only
    territory_present: bool | None = None
    name: str | None = None  # plain words: "i18n-iso-countries 1.0.0 to 1.7.2"
    versions: str | None = None
    members: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "similarity": round(self.similarity, 3),
                               "fix": self.fix, "name": self.name, "versions": self.versions}
        if self.members:
            out["members"] = list(self.members)
        return out


@dataclass(frozen=True, slots=True)
class FieldResult:
    kind: FieldKind
    control: Control
    verdict: FieldVerdict
    option_count: int
    country_count: int
    kosovo: KosovoMatch | None = None
    fingerprint: Fingerprint | None = None
    # Region codes the list offers, in order (for evidence and fingerprinting).
    codes: tuple[str, ...] = ()
    # The options next to where the territory is, or would be, in the list.
    neighbours: tuple[Option, ...] = ()
    # What a reader of the verdict should know about how it was reached.
    notes: tuple[str, ...] = ()

    @property
    def qualifier(self) -> str | None:
        return self.kosovo.qualifier if self.kosovo else None

    def to_dict(self) -> dict[str, Any]:
        c = self.control
        return {
            "kind": str(self.kind), "widget": str(c.widget), "selector": c.selector,
            "name": c.name, "id": c.id, "label": c.label,
            "option_count": self.option_count, "country_count": self.country_count,
            "verdict": str(self.verdict),
            "kosovo": self.kosovo.to_dict() if self.kosovo else None,
            "qualifier": self.qualifier,
            "fingerprint": self.fingerprint.to_dict() if self.fingerprint else None,
            "neighbours": [[o.value, o.label] for o in self.neighbours],
            "notes": list(self.notes),
            **({"enumeration": str(c.enumeration)}
               if c.enumeration is not Enumeration.WHOLE else {}),
            **({"frame": c.frame} if c.frame is not None else {}),
        }


@dataclass(frozen=True, slots=True)
class PageResult:
    verdict: PageVerdict
    fields: tuple[FieldResult, ...] = ()
    reason: str | None = None
    # Signs that the country list is drawn by script, so the browser should look.
    render_hints: tuple[str, ...] = ()
    title: str | None = None
    territory: str = "XK"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def needs_browser(self) -> bool:
        """True when the static document could not show the country list we expect."""
        if self.verdict in (PageVerdict.ERROR, PageVerdict.BLOCKED):
            return self.reason == "unrendered"
        if any(f.verdict is FieldVerdict.UNKNOWN for f in self.fields):
            return True
        return self.verdict is PageVerdict.NO_COUNTRY_FIELD and bool(self.render_hints)

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": str(self.verdict), "reason": self.reason,
                "fields": [f.to_dict() for f in self.fields]}
