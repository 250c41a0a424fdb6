"""In-page JavaScript for the browser path, kept as strings so both Playwright APIs can use it.

The single-URL checker drives Playwright from its own event loop and the Scrapy crawler
will drive it through scrapy-playwright; both hand these functions to ``evaluate``.
Every script is a complete function expression that carries its own helpers (``XK``),
so nothing has to be installed in the page first and a navigation cannot lose it.
"""

from __future__ import annotations

import json

# Words (regex pieces) that name a country or dial-code field, in the languages we meet
# most; matched case-insensitively against a control's label, name, id and classes.
COUNTRY_WORDS: tuple[str, ...] = (
    r"countr", r"nationalit", r"citizenship", r"\bland\b", r"\bpays\b", r"pa[ií]s\b",
    r"paese", r"shtet", r"dr[zž]av", r"држав", r"страна", r"χώρα", r"ülke", r"orsz[aá]g",
    r"\bkraj\b", r"valsts", r"šalis", r"\briik\b", r"\bmaa\b", r"国家", r"國家", r"国籍",
    r"국가", r"بلد", r"دولة", r"מדינה", r"dial", r"calling.?code", r"phone.?code", r"iti__",
    r"flag",
)

# Shared helpers. ``roots()`` includes every open shadow root, because custom elements
# hide country selects there and ``document.querySelectorAll`` does not look inside.
_HELPERS = r"""
const XK = (() => {
  // Words that name a country field, in the languages we meet most (label, name, id).
  const COUNTRY_RE = new RegExp(%%COUNTRY_WORDS%%, 'i');
  // Name/id words of selects that depend on a country and may stay empty legitimately.
  const DEPENDENT_RE = /state|province|region|county|city|district|prefecture|currency|lang/i;
  const ACTION_RE = new RegExp('submit|sign ?(up|in)|log ?in|continue|next|pay|buy|order|save'
    + '|send|delete|remove|cancel|close|search|menu|cart', 'i');
  const OPTION_SEL = [
    '[role=option]', '[role=menuitemradio]', '[class*="__option"]', '.select2-results__option',
    '.choices__item--choice', '.iti__country', '[class*="MuiAutocomplete-option"]',
    '[class*="MuiMenuItem"]', '[role=listbox] li',
  ].join(', ');
  const STRONG_SEL = [
    '[role=combobox]', '[aria-haspopup=listbox]', '[class*="select__control"]',
    '.select2-selection', '.choices', '[class*="MuiSelect-select"]',
    '[class*="MuiAutocomplete-root"]', '.iti__selected-country', '.iti__flag-container',
    '.iti__selected-flag',
  ].join(', ');
  // react-select with a custom classNamePrefix ("country-picker__control"); BEM also uses
  // "__control" for plain inputs, so such a match must look like a select to count.
  const TRIGGER_SEL = STRONG_SEL + ', [class*="__control"]';
  const ITI_SEL = '.iti__selected-country, .iti__flag-container, .iti__selected-flag';

  function roots() {
    const out = [document];
    for (let i = 0; i < out.length; i++) {
      for (const el of out[i].querySelectorAll('*')) {
        if (el.shadowRoot) out.push(el.shadowRoot);
      }
    }
    return out;
  }
  function qsa(sel, scopes) {
    const out = [];
    for (const r of scopes || roots()) out.push(...r.querySelectorAll(sel));
    return out;
  }
  function clean(s) { return (s || '').replace(/\s+/g, ' ').trim(); }
  function text(el) {
    if (!el) return '';
    const shown = el.isConnected && el.getClientRects().length ? el.innerText : '';
    return clean(shown || el.textContent);
  }
  function byId(el, id) {
    const root = el.getRootNode();
    return (root.getElementById && root.getElementById(id)) || document.getElementById(id);
  }
  function directLabel(el) {
    const aria = el.getAttribute('aria-label');
    if (aria && aria.trim()) return clean(aria);
    const ids = el.getAttribute('aria-labelledby');
    if (ids) {
      const t = clean(ids.split(/\s+/).map((id) => text(byId(el, id))).join(' '));
      if (t) return t;
    }
    if (el.labels && el.labels.length) return text(el.labels[0]);
    const wrap = el.closest('label');
    return wrap ? text(wrap) : '';
  }
  function labelOf(el) {
    const own = directLabel(el);
    if (own) return own;
    const inner = el.querySelector('input:not([type=hidden]), [aria-labelledby], [aria-label]');
    if (inner) { const t = directLabel(inner); if (t) return t; }
    let node = el;
    for (let depth = 0; depth < 4 && node; depth++) {
      for (let sib = node.previousElementSibling; sib; sib = sib.previousElementSibling) {
        if (sib.matches('label, legend, [class*=label i]')
            && !sib.querySelector('input, select, textarea, button')) {
          const t = text(sib);
          if (t && t.length <= 80) return t;
        }
      }
      node = node.parentElement;
    }
    return '';
  }
  function placeholderOf(el) {
    const own = el.getAttribute('placeholder');
    if (own) return clean(own);
    const inner = el.querySelector('input[placeholder]');
    if (inner) return clean(inner.getAttribute('placeholder'));
    const ph = el.querySelector('[class*=placeholder i]');
    return ph ? text(ph) : '';
  }
  function classes(el) {
    return typeof el.className === 'string' ? el.className : (el.getAttribute('class') || '');
  }
  function describe(el) {
    return [
      el.getAttribute('name'), el.id, el.getAttribute('autocomplete'), placeholderOf(el),
      el.getAttribute('title'), el.getAttribute('data-testid'), classes(el), labelOf(el),
    ].filter(Boolean).join(' ');
  }
  function visible(el) {
    if (!el.isConnected || !el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  }
  function stableClass(c) {
    const generated = /^(css-|sc-|jsx-|svelte-|ng-|_)|--is-|is-(focused|open|active)|[0-9a-f]{6,}/i;
    return c && !generated.test(c);
  }
  function cssPath(el) {
    const root = el.getRootNode();
    const unique = (sel) => {
      try { return root.querySelectorAll(sel).length === 1; } catch (e) { return false; }
    };
    const parts = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      if (node.id && unique('#' + CSS.escape(node.id))) {
        parts.unshift('#' + CSS.escape(node.id));
        break;
      }
      let part = node.localName;
      const cls = Array.from(node.classList).filter(stableClass).slice(0, 2);
      if (cls.length) part += '.' + cls.map((c) => CSS.escape(c)).join('.');
      const parent = node.parentElement;
      if (parent) {
        const same = Array.from(parent.children).filter((c) => c.localName === node.localName);
        if (same.length > 1 && !unique([part, ...parts].join(' > '))) {
          part += ':nth-of-type(' + (same.indexOf(node) + 1) + ')';
        }
      }
      parts.unshift(part);
      if (unique(parts.join(' > '))) break;
    }
    return parts.join(' > ');
  }
  function dialOf(el) {
    const attr = el.getAttribute('data-dial-code') || el.getAttribute('data-dialcode');
    if (attr) return attr.replace(/[^0-9]/g, '');
    const node = el.querySelector(
      '.iti__dial-code, [class*=dial-code i], [class*=dialcode i], [class*=dial_code i]');
    return node ? clean(node.textContent).replace(/[^0-9]/g, '') : '';
  }
  function meaningfulId(id) {
    return id && !/option|item|listbox|react|mui|headless|radix|downshift|:r/i.test(id)
      && !/\d+$/.test(id) ? id : '';
  }
  function groupOf(el) {
    const g = el.closest('[role=group], [class*="__group"]:not([class*="__group-heading"])');
    if (!g) return null;
    const own = directLabel(g);
    if (own) return own;
    const head = g.querySelector('[class*=heading i], [class*=header i], [role=presentation]');
    return head ? text(head) || null : null;
  }
  function readOption(el) {
    let label = text(el);
    const dial = dialOf(el);
    if (dial && !label.replace(/[^0-9]/g, ' ').split(' ').includes(dial)) {
      label = clean(label + ' +' + dial);
    }
    const attrs = ['data-value', 'data-country-code', 'data-country', 'data-code', 'data-iso',
                   'data-iso2', 'data-dial-code', 'value'];
    let value = '';
    for (const a of attrs) { const v = el.getAttribute(a); if (v) { value = v; break; } }
    value = value || meaningfulId(el.id) || label;
    const disabled = el.getAttribute('aria-disabled') === 'true'
      || /(^|[-_\s])disabled/i.test(classes(el));
    return {value: clean(value), label, group: groupOf(el), disabled};
  }
  function freshOptions() {
    const seen = window.__xkSeen;
    return qsa(OPTION_SEL).filter((o) => !(seen && seen.has(o)));
  }
  function listOf(options) {
    const counts = new Map();
    for (const o of options) {
      const up = o.parentElement;
      const c = (up && up.closest('[role=listbox], ul, ol, [class*=menu i], [class*=list i], '
        + '[class*=results i], [class*=dropdown i], [class*=popover i]')) || up || o;
      counts.set(c, (counts.get(c) || 0) + 1);
    }
    let best = null, n = 0;
    for (const [c, k] of counts) if (k > n) { best = c; n = k; }
    return best;
  }
  function scrollerOf(el) {
    let node = el;
    for (let depth = 0; node && node.nodeType === 1 && depth < 6; depth++) {
      const oy = getComputedStyle(node).overflowY;
      if (node.scrollHeight > node.clientHeight + 2 && /auto|scroll|overlay/.test(oy)) return node;
      node = node.parentElement;
    }
    return null;
  }
  function selectLike(el) {
    if (el.matches(STRONG_SEL)) return true;
    if (el.matches('input, textarea')) return false;
    return /select|picker|dropdown|combo/i.test(classes(el)) || !!el.querySelector(
      '[class*=indicator i], [class*=placeholder i], [class*=single-value i], '
      + '[class*=value-container i]');
  }
  return {COUNTRY_RE, DEPENDENT_RE, ACTION_RE, OPTION_SEL, TRIGGER_SEL, ITI_SEL, selectLike,
          roots, qsa,
          clean, text, labelOf, placeholderOf, classes, describe, visible, cssPath, readOption,
          freshOptions, listOf, scrollerOf};
})();
""".replace("%%COUNTRY_WORDS%%", json.dumps("|".join(COUNTRY_WORDS)))


def _script(params: str, body: str, *, is_async: bool = False) -> str:
    prefix = "async " if is_async else ""
    return f"{prefix}({params}) => {{\n{_HELPERS}\n{body}\n}}"


# Is the form there yet? ``ready`` when a country-looking control has options (or is a
# custom widget we can open, or a long select is there), ``waiting`` while a visible
# country-looking select is still empty (the caller waits for those, within its deadline);
# ``sig`` changes whenever the document grows, so the caller can tell when it is stable.
SETTLE_STATE_JS = _script("", r"""
  const scopes = XK.roots();
  let ready = false, waiting = false, options = 0, elements = 0;
  for (const r of scopes) elements += r.querySelectorAll('*').length;
  for (const s of XK.qsa('select', scopes)) {
    const n = s.options.length;
    options += n;
    if (n > 100) ready = true;
    if (!XK.COUNTRY_RE.test(XK.describe(s))) continue;
    if (n > 1) ready = true;
    else if (XK.visible(s) && !XK.DEPENDENT_RE.test((s.name || '') + ' ' + s.id)) waiting = true;
  }
  if (!ready) {
    for (const el of XK.qsa(XK.TRIGGER_SEL, scopes)) {
      if (el.matches(XK.ITI_SEL) || (XK.visible(el) && XK.COUNTRY_RE.test(XK.describe(el)))) {
        ready = true;
        break;
      }
    }
  }
  const body = document.body ? document.body.textContent.length : 0;
  return {ready, waiting, sig: elements + ':' + options + ':' + body,
          loaded: document.readyState === 'complete'};
""")

# The live document as HTML, with every open shadow root serialised in place as
# ``<template shadowrootmode="open">`` (Chromium >= 125); ``null`` means "use page.content()".
SERIALIZE_JS = _script("", r"""
  const de = document.documentElement;
  if (!de || typeof de.getHTML !== 'function') return null;
  const shadowRoots = XK.roots().slice(1);
  let doctype = '';
  const dt = document.doctype;
  if (dt) {
    doctype = '<!DOCTYPE ' + dt.name
      + (dt.publicId ? ' PUBLIC "' + dt.publicId + '"' : '')
      + (dt.systemId ? (dt.publicId ? '' : ' SYSTEM') + ' "' + dt.systemId + '"' : '') + '>\n';
  }
  const esc = (v) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  let attrs = '';
  for (const a of de.attributes) attrs += ' ' + a.name + '="' + esc(a.value) + '"';
  const inner = de.getHTML({serializableShadowRoots: true, shadowRoots});
  return doctype + '<' + de.localName + attrs + '>' + inner + '</' + de.localName + '>';
""")

# Mark up to ``max`` custom dropdown triggers with ``data-xk-probe`` and describe them.
# Country-looking ones come first; triggers whose options are already in the DOM (a
# select2 over a native select, an aria-controls list that is already filled) are skipped.
# When there is one to open, the page's forms stop submitting first: a probing click on a
# "button" inside a form would submit it.
FIND_TRIGGERS_JS = _script("arg", r"""
  const scopes = XK.roots();
  const cands = new Set(XK.qsa(XK.TRIGGER_SEL, scopes));
  for (const b of XK.qsa('button, [role=button]', scopes)) {
    if (b.matches('[type=submit]')) continue;
    const words = XK.describe(b) + ' ' + (b.getAttribute('aria-label') || '');
    const label = XK.text(b);
    if (!XK.COUNTRY_RE.test(words + ' ' + label)) continue;
    if (XK.ACTION_RE.test(label)) continue;
    if (b.hasAttribute('aria-haspopup') || b.hasAttribute('aria-expanded') || label.length <= 40) {
      cands.add(b);
    }
  }
  const usable = [];
  for (const el of cands) {
    if (el.matches('select, option, input[list], [data-xk-probe]')) continue;
    if (el.closest('[role=listbox], [role=option]')) continue;
    if (el.matches('[aria-disabled=true], :disabled')) continue;
    if (!XK.visible(el) || (el.matches(XK.TRIGGER_SEL) && !XK.selectLike(el))) continue;
    usable.push(el);
  }
  // Keep the outermost of nested triggers (a react-select control holds an input[role=combobox]).
  const outer = usable.filter((el) => !usable.some((o) => o !== el && o.contains(el)));
  function staticOptions(el) {
    const ctl = el.getAttribute('aria-controls') || el.getAttribute('aria-owns');
    if (ctl) {
      const list = document.getElementById(ctl) || el.getRootNode().getElementById?.(ctl);
      if (list && list.querySelectorAll(XK.OPTION_SEL).length > 1) return true;
    }
    // select2, choices.js & co. hide the native select they draw over: its options are
    // in the document already. A visible select nearby is another field, not this one.
    const concealed = (s) => {
      const r = s.getBoundingClientRect();
      return !XK.visible(s) || r.width <= 2 || r.height <= 2 || s.hidden
        || s.getAttribute('aria-hidden') === 'true' || /hidden/i.test(XK.classes(s));
    };
    let node = el;
    for (let depth = 0; depth < 4 && node; depth++, node = node.parentElement) {
      for (const s of node.querySelectorAll('select')) {
        if (s.options.length > 1 && concealed(s)) return true;
      }
    }
    return false;
  }
  const ranked = outer.filter((el) => !staticOptions(el)).map((el, i) => ({
    el, i, country: XK.COUNTRY_RE.test(XK.describe(el) + ' ' + XK.text(el).slice(0, 80)),
  }));
  ranked.sort((a, b) => (b.country - a.country) || (a.i - b.i));
  // Unnamed widgets are opened too (the list tells what it is), but only a few of them.
  let others = 0;
  const chosen = ranked.filter((r) => r.country || others++ < arg.maxOthers).slice(0, arg.max);
  if (chosen.length && !window.__xkNoSubmit) {
    window.__xkNoSubmit = true;
    document.addEventListener('submit', (e) => e.preventDefault(), true);
  }
  const out = [];
  for (const {el, country} of chosen) {
    const index = out.length;
    el.setAttribute('data-xk-probe', String(index));
    let name = el.getAttribute('name') || '';
    let node = el.parentElement;
    for (let depth = 0; depth < 3 && node && !name; depth++, node = node.parentElement) {
      const hidden = node.querySelector('input[type=hidden][name], input[type=tel][name]');
      if (hidden) name = hidden.getAttribute('name');
    }
    const inner = el.querySelector('input[id]');
    const hints = [XK.classes(el), el.parentElement ? XK.classes(el.parentElement) : '',
                   el.getAttribute('role') ? 'role=' + el.getAttribute('role') : '',
                   el.getAttribute('aria-haspopup')
                     ? 'aria-haspopup=' + el.getAttribute('aria-haspopup') : '',
                   el.closest('.iti') ? 'intl-tel-input' : ''];
    const combo = el.getAttribute('role') === 'combobox' || el.matches('input')
      || !!el.querySelector('input:not([type=hidden])');
    out.push({
      index, country, selector: XK.cssPath(el), widget: combo ? 'combobox' : 'listbox',
      label: XK.labelOf(el) || null, name: name || null,
      id: el.id || (inner ? inner.id : '') || null,
      placeholder: XK.placeholderOf(el) || null,
      hints: XK.clean(hints.filter(Boolean).join(' ')),
    });
  }
  return out;
""")

# Remember which option-like elements exist, so that after a click only new ones count.
SNAPSHOT_OPTIONS_JS = _script("", r"""
  window.__xkSeen = new WeakSet(XK.qsa(XK.OPTION_SEL));
  window.__xkList = null;
  window.__xkScroller = null;
  return true;
""")

# After a click: how many new options are there, and in which list?
OPEN_STATE_JS = _script("", r"""
  const fresh = XK.freshOptions();
  if (!fresh.length) return {count: 0, labelled: 0};
  const list = XK.listOf(fresh);
  window.__xkList = list;
  const inList = fresh.filter((o) => list.contains(o));
  return {count: inList.length, labelled: inList.filter((o) => XK.text(o)).length};
""")

# Read every option of the open list, scrolling it while new ones appear (virtualised
# lists only render what is visible). Bounded by ``arg.max`` options and ``arg.budgetMs``.
COLLECT_OPTIONS_JS = _script("arg", r"""
  let list = window.__xkList;
  if (!list || !list.isConnected) list = XK.listOf(XK.freshOptions());
  if (!list) return {options: [], virtual: false};
  const scroller = XK.scrollerOf(list);
  window.__xkScroller = scroller;
  const scope = scroller || list;
  const seen = new Map();
  const readAll = () => {
    let added = 0;
    for (const o of scope.querySelectorAll(XK.OPTION_SEL)) {
      if (seen.size >= arg.max) break;
      const r = XK.readOption(o);
      if (!r.label && !r.value) continue;
      const key = r.value + '\u0001' + r.label;
      if (!seen.has(key)) { seen.set(key, r); added++; }
    }
    return added;
  };
  const frame = () => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
  readAll();
  let virtual = false;
  if (scroller) {
    const t0 = performance.now();
    let idle = 0;
    while (seen.size < arg.max && performance.now() - t0 < arg.budgetMs) {
      const before = scroller.scrollTop;
      scroller.scrollTop = before + Math.max(40, scroller.clientHeight * 0.9);
      await frame();
      await sleep(10);
      let added = readAll();
      const atBottom = scroller.scrollTop === before
        || scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1;
      if (!added && atBottom) { await sleep(250); added = readAll(); }
      if (added) { virtual = true; idle = 0; } else idle++;
      if ((atBottom && !added) || idle >= 3) break;
    }
    scroller.scrollTop = 0;
  }
  return {options: Array.from(seen.values()), virtual};
""", is_async=True)

# Mark the open list so Python can measure it for a screenshot of the open dropdown.
MARK_OPEN_LIST_JS = _script("", r"""
  const list = window.__xkScroller || window.__xkList || XK.listOf(XK.freshOptions());
  if (!list || !list.isConnected) return false;
  const target = XK.scrollerOf(list) || list;
  target.setAttribute('data-xk-shot', '1');
  return true;
""")

# Close whatever a probe opened when Escape was not enough (an outside mousedown/click).
CLOSE_OPEN_JS = _script("", r"""
  const still = XK.freshOptions().filter((o) => o.isConnected && XK.visible(o));
  if (!still.length) return 0;
  const target = document.body || document.documentElement;
  for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) {
    const Ev = type.startsWith('pointer') ? PointerEvent : MouseEvent;
    target.dispatchEvent(new Ev(type, {bubbles: true, cancelable: true, composed: true,
                                      clientX: 1, clientY: 1}));
  }
  return XK.freshOptions().filter((o) => o.isConnected && XK.visible(o)).length;
""")

# Remove our markers again (only the probe and screenshot attributes we added).
# The first element a CSS selector matches in the document or an open shadow root, in one
# call (Playwright's own selector engine walked every element twice: 40-50 ms a page with a
# long country list); null when none, or when the selector is not plain CSS.
FIND_JS = _script("sel", r"""
  try { return XK.qsa(sel)[0] || null; } catch (e) { return null; }
""")

UNMARK_JS = _script("", r"""
  for (const el of XK.qsa('[data-xk-probe], [data-xk-shot]')) {
    el.removeAttribute('data-xk-probe');
    el.removeAttribute('data-xk-shot');
  }
  return true;
""")

SCROLL_BOTTOM_JS = (
    "() => { window.scrollTo(0, document.documentElement.scrollHeight); return true; }"
)
SCROLL_TOP_JS = "() => { window.scrollTo(0, 0); return true; }"

# For the screenshot: where the territory is in a list, or where it would be. ``arg`` has
# ``pattern`` (a regex of its names), ``codes`` (its option values) and ``sortName``.
_FOCUS_HELPERS = r"""
  const re = new RegExp(arg.pattern, 'i');
  const codes = arg.codes.map((c) => c.toUpperCase());
  const isIt = (label, value) => re.test(label) || codes.includes((value || '').toUpperCase());
  const before = (label) => label.localeCompare(arg.sortName, 'en', {sensitivity: 'base'}) < 0;
  function pick(items) {
    let hit = items.findIndex((it) => isIt(it.label, it.value));
    if (hit >= 0) return {index: hit, found: true};
    hit = items.findIndex((it, i) => i > 0 && before(items[i - 1].label) && !before(it.label));
    return {index: hit, found: false};
  }
"""

# Show a native select as an open list box (size > 1) scrolled to the territory, since a
# headless screenshot cannot show a native popup, then bring it to the middle of the view and
# measure it: one call and one layout (three calls forced three layouts of a page with long
# lists). Returns the box in the frame's viewport (``top``: the frame is the page itself),
# or null for an element with no box. The page is closed after the screenshot, so the
# select is not put back.
SHOW_SELECT_JS = _script("el, arg", _FOCUS_HELPERS + r"""
  if (el.localName === 'select' && !el.multiple && el.options.length >= 2) {
    const opts = Array.from(el.options);
    const {index} = pick(opts.map((o) => ({label: XK.clean(o.text), value: o.value})));
    el.size = Math.min(12, opts.length);
    if (index >= 0) {
      const row = el.scrollHeight / opts.length;
      el.scrollTop = Math.max(0, row * index - el.clientHeight / 2 + row / 2);
    }
  }
  el.scrollIntoView({block: 'center'});
  const r = el.getBoundingClientRect();
  if (!(r.width > 0 && r.height > 0)) return null;
  return {x: r.x, y: r.y, width: r.width, height: r.height, top: window === window.top};
""")

# Scroll the open custom list (marked ``data-xk-shot``) to the territory or its place,
# scrolling virtualised lists down until it is rendered; bounded by ``arg.budgetMs``.
FOCUS_LIST_JS = _script("arg", _FOCUS_HELPERS + r"""
  const marked = XK.qsa('[data-xk-shot]')[0];
  if (!marked) return null;
  const scroller = XK.scrollerOf(marked) || marked;
  const frame = () => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
  const t0 = performance.now();
  while (true) {
    const nodes = Array.from(scroller.querySelectorAll(XK.OPTION_SEL));
    const items = nodes.map((o) => XK.readOption(o));
    const {index, found} = pick(items);
    if (index >= 0) {
      const o = nodes[index].getBoundingClientRect();
      const s = scroller.getBoundingClientRect();
      scroller.scrollTop += o.top - s.top - s.height / 2 + o.height / 2;
      await frame();
      return {index, found, label: items[index].label};
    }
    const last = scroller.scrollTop;
    scroller.scrollTop = last + Math.max(40, scroller.clientHeight * 0.8);
    await frame();
    if (scroller.scrollTop === last || performance.now() - t0 > arg.budgetMs) {
      return {index: -1, found: false};
    }
  }
""", is_async=True)
