"""The in-page JavaScript of the browser path, kept as files in ``js/`` beside this module.

Every script is a complete function expression that both Playwright APIs hand to
``evaluate``. Each carries its own helpers (``XK``, put in place of the ``/*@XK_HELPERS*/``
marker), so nothing has to be installed in the page first and a navigation cannot lose it.
The files are plain JavaScript, so ``node --check`` and a browser test can load them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

# Words (regex pieces) that name a country or dial-code field, in the languages we meet
# most; matched case-insensitively against a control's label, name, id and classes.
COUNTRY_WORDS: tuple[str, ...] = (
    r"countr", r"nationalit", r"citizenship", r"\bland\b", r"\bpays\b", r"pa[ií]s\b",
    r"paese", r"shtet", r"dr[zž]av", r"држав", r"страна", r"χώρα", r"ülke", r"orsz[aá]g",
    r"\bkraj\b", r"valsts", r"šalis", r"\briik\b", r"\bmaa\b", r"国家", r"國家", r"国籍",
    r"국가", r"بلد", r"دولة", r"מדינה", r"dial", r"calling.?code", r"phone.?code", r"iti__",
    r"flag",
)


@cache
def _source(name: str) -> str:
    return (resources.files(__package__) / "js" / name).read_text(encoding="utf-8")


def _helpers() -> str:
    words = json.dumps("|".join(COUNTRY_WORDS))
    return _source("helpers.js").replace('/*@COUNTRY_WORDS*/""', words)


@cache
def load(name: str) -> str:
    """The script ``js/<name>.js`` with its helpers in place, ready for ``evaluate``."""
    lines = _source(f"{name}.js").splitlines(keepends=True)
    while lines and lines[0].startswith("//"):
        lines.pop(0)  # the file's comment is for readers, not for every page we evaluate in
    text = "".join(lines).replace("/*@XK_HELPERS*/", _helpers())
    return text.replace("/*@FOCUS_HELPERS*/", _source("focus_helpers.js"))


SETTLE_STATE_JS = load("settle_state")
SERIALIZE_JS = load("serialize")
FIND_TRIGGERS_JS = load("find_triggers")
SNAPSHOT_OPTIONS_JS = load("snapshot_options")
OPEN_STATE_JS = load("open_state")
COLLECT_OPTIONS_JS = load("collect_options")
MARK_OPEN_LIST_JS = load("mark_open_list")
CLOSE_OPEN_JS = load("close_open")
FIND_JS = load("find")
UNMARK_JS = load("unmark")
SHOW_SELECT_JS = load("show_select")
FOCUS_LIST_JS = load("focus_list")
TYPING_TARGET_JS = load("typing_target")
ADVANCE_FORM_JS = load("advance_form")

SCROLL_BOTTOM_JS = (
    "() => { window.scrollTo(0, document.documentElement.scrollHeight); return true; }"
)
SCROLL_TOP_JS = "() => { window.scrollTo(0, 0); return true; }"
SCROLL_STEP_JS = (
    "() => { const y = window.scrollY; window.scrollBy(0, Math.round(innerHeight * 0.9));"
    " return window.scrollY !== y; }"
)
