"""Every page of the widget web and the verdict a correct checker reaches on it.

A page is a widget (a template in ``pages/`` drawn by one real library) with one list
variant (``tests/widgetweb/lists.py``). The truth follows from the variant, and from what
an honest reading can prove: a list that only typing reveals is enumerated by typing, so a
short list there stays unknown (the page is ``error/unrendered``), never ``restricted``. The
server writes the truth into each page as ``<meta name="xk-expect…">`` tags, as the demo
web does (``xktracker/demoweb/expectations.py``), so the page and its answer travel together.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

# What each variant is, read by a checker that sees the whole list.
_TRUTH = {"xk": "listed", "noxk": "missing", "short": "restricted", "xkrs": "listed_qualified",
          "xk381": "wrong_code"}
ALL = ("xk", "noxk", "short", "xkrs")
PHONE = ("xk", "noxk", "short", "xkrs", "xk381")


@dataclass(frozen=True)
class Widget:
    """One template: ``library`` names the npm packages that draw it, ``needs`` the actions
    a checker must take to see the list (for the report), ``typed`` that only typing shows
    options (so an incomplete enumeration cannot prove a short list)."""

    template: str
    library: str
    what: str
    needs: str
    variants: tuple[str, ...] = ALL
    typed: bool = False
    lang: str = "en"
    brand: str = "Northwind"
    # A fixed truth that does not follow from the variant (the pages a check must not move
    # on): "error" stands for error/unrendered.
    verdict: str | None = None
    name: str | None = None

    @property
    def key(self) -> str:
        return self.name or self.template


@dataclass(frozen=True)
class WidgetPage:
    widget: Widget
    variant: str
    verdict: str
    reason: str | None = None
    field: str | None = None

    @property
    def name(self) -> str:
        return f"{self.widget.key}-{self.variant}"

    @property
    def path(self) -> str:
        return f"/p/{self.name}"


WIDGETS: tuple[Widget, ...] = (
    Widget("select2", "select2 4 + jQuery", "Sign up: select2 over a server-drawn select",
           "none"),
    Widget("select2-ajax", "select2 4 + jQuery", "Sign up: select2 whose options come from "
           "an ajax search", "type", typed=True),
    Widget("choices", "choices.js", "Profile: Choices.js filled from script data", "click",
           variants=PHONE),
    Widget("tom-select", "tom-select", "Checkout: Tom Select (draws at most 50 options)",
           "click, type"),
    Widget("chosen", "chosen-js + jQuery", "Shipping: Chosen over a select filled by script",
           "settle"),
    Widget("slim-select", "slim-select", "Account: Slim Select with data from script", "click"),
    Widget("virtual-select", "virtual-select-plugin", "Phone: Virtual Select (virtualised)",
           "scroll", variants=PHONE),
    Widget("bootstrap-select", "bootstrap-select 1.13 + Bootstrap 4 + jQuery",
           "Billing: Bootstrap-select over a script-filled select", "settle"),
    Widget("intl-tel-input", "intl-tel-input", "Phone: intl-tel-input with its own list",
           "click"),
    Widget("react-phone-number-input", "react-phone-number-input + React",
           "Phone: react-phone-number-input (a native select under the flag)", "settle"),
    Widget("react-phone-input-2", "react-phone-input-2 + React",
           "Phone: react-phone-input-2 with its own list", "click"),
    Widget("react-select", "react-select + React", "Register: React Select", "click",
           variants=PHONE),
    Widget("react-select-async", "react-select (AsyncSelect) + React",
           "Register: React Select loading options as you type", "type", typed=True),
    Widget("mui-autocomplete", "@mui/material Autocomplete + React",
           "Address: MUI Autocomplete", "click"),
    Widget("mui-virtual", "@mui/material Autocomplete + react-window + React",
           "Address: MUI Autocomplete with a virtualised list", "click, scroll"),
    Widget("mui-async", "@mui/material Autocomplete + React",
           "Address: MUI Autocomplete fetching options as you type", "type", typed=True),
    Widget("antd-select", "antd Select + React", "Account: Ant Design Select (virtual list)",
           "click, scroll"),
    Widget("headless-combobox", "@headlessui/react Combobox + React",
           "Sign up: Headless UI Combobox", "click"),
    Widget("downshift", "downshift useCombobox + React", "Sign up: Downshift combobox",
           "click"),
    Widget("vuetify-autocomplete", "vuetify VAutocomplete + Vue",
           "Profile: Vuetify autocomplete (virtualised menu)", "click, scroll"),
    Widget("shoelace", "@shoelace-style/shoelace sl-select",
           "Sign up: Shoelace select (options slotted into a web component)", "slot"),
    Widget("ionic", "@ionic/core ion-select", "Profile: Ionic select (an alert of radios)",
           "popup"),
    Widget("ionic-alert", "@ionic/core alertController + ion-button",
           "Profile: an Ionic alert of radio choices, opened by a button", "popup"),
    Widget("material-web", "@material/web md-outlined-select",
           "Sign up: Material Web select", "slot"),
    Widget("typeahead", "none (fetch + JSON endpoint)",
           "Sign up: a typeahead fed by a JSON endpoint", "type", typed=True),
    Widget("typeahead", "none (fetch + JSON endpoint)",
           "Регистрација: a typeahead in Serbian Cyrillic", "type", typed=True, lang="sr",
           name="typeahead-sr", variants=("xk", "noxk")),
    Widget("two-step", "none", "Sign up in two steps: the country is on step 2", "advance",
           variants=("xk", "noxk")),
    Widget("two-step-submit", "none", "Sign up in two steps, 'Next' being the form's submit "
           "button: never pressed, so the country list stays unread", "none (never submit)",
           variants=("xk",), verdict="error"),
    Widget("signup-only", "none", "Sign up: the country comes only after 'Create account'",
           "none (never submit)", variants=("xk",), verdict="no_country_field"),
    Widget("lazy", "none (IntersectionObserver)",
           "Checkout: the address form is loaded when scrolled into view", "scroll page",
           variants=("xk", "noxk")),
    Widget("checkout-frame", "none (a second origin, 127.0.0.2)",
           "Checkout: the billing country is in a payment provider's frame", "frame",
           variants=("xk", "noxk", "short")),
)


def _page(widget: Widget, variant: str) -> WidgetPage:
    if widget.verdict == "error":
        return WidgetPage(widget, variant, "error", "unrendered")
    if widget.verdict is not None:
        return WidgetPage(widget, variant, widget.verdict)
    truth = _TRUTH[variant]
    if truth == "restricted" and widget.typed:
        # Typing every letter shows what the search finds, not the list: not a proof.
        return WidgetPage(widget, variant, "error", "unrendered")
    return WidgetPage(widget, variant, truth, field=truth)


PAGES: tuple[WidgetPage, ...] = tuple(_page(w, v) for w in WIDGETS for v in w.variants)


def meta_tags(page: WidgetPage) -> str:
    """The page's expectation, as the demo web states it."""
    tags = {"xk-expect": page.verdict, "xk-expect-reason": page.reason,
            "xk-expect-field": page.field, "xk-library": page.widget.library,
            "xk-needs": page.widget.needs, "xk-variant": page.variant}
    return "\n".join(f'<meta name="{k}" content="{html.escape(v)}">'
                     for k, v in tags.items() if v)
