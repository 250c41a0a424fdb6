// Shared helpers, put at the top of every script (each script is a complete function
// expression, so a navigation cannot lose them). ``roots()`` includes every open shadow
// root: custom elements hide country selects there. COUNTRY_WORDS is filled in from
// crawler/fetch/browser/scripts.py.
const XK = (() => {
  // Words that name a country field, in the languages we meet most (label, name, id).
  const COUNTRY_RE = new RegExp(/*@COUNTRY_WORDS*/"", 'i');
  // Name/id words of selects that depend on a country and may stay empty legitimately.
  const DEPENDENT_RE = /state|province|region|county|city|district|prefecture|currency|lang/i;
  const ACTION_RE = new RegExp('submit|sign ?(up|in)|log ?in|continue|next|pay|buy|order|save'
    + '|send|delete|remove|cancel|close|search|menu|cart', 'i');
  // Rows of an open list; the radios of a popup (an Ionic alert, a dialog of choices) too.
  const OPTION_SEL = [
    '[role=option]', '[role=menuitemradio]', '[class*="__option"]:not([class*="__options"])',
    '.select2-results__option',
    '.choices__item--choice', '.iti__country', '[class*="MuiAutocomplete-option"]',
    '[class*="MuiMenuItem"]', '[role=listbox] li', '.ant-select-item-option',
    '[role=dialog] [role=radio]', '[role=alertdialog] [role=radio]',
  ].join(', ');
  // Rows that are a widget's message ("No results", "Searching…", "Type 1 more character").
  const MESSAGE_RE = /message|no-?results|no-?options|notice|loading|searching|empty|hint/i;
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
  // Visible as a person sees it: not clipped away, not a 1 px box, not transparent, not
  // hidden from assistive technology, not parked off-screen. Libraries hide the original
  // select they draw over in all these ways (select2, Tom Select, Bootstrap-select).
  function seen(el) {
    if (!visible(el)) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 2 || r.height <= 2) return false;
    const de = document.documentElement;
    const right = Math.max(de.scrollWidth, innerWidth), bottom = Math.max(de.scrollHeight, innerHeight);
    if (r.right + scrollX <= 0 || r.bottom + scrollY <= 0 || r.left + scrollX >= right
        || r.top + scrollY >= bottom) return false;
    for (let n = el, depth = 0; n && n.nodeType === 1 && depth < 12; depth++) {
      if (n.getAttribute('aria-hidden') === 'true') return false;
      const st = getComputedStyle(n);
      if (parseFloat(st.opacity) === 0) return false;
      if (/inset\(\s*50%|inset\(\s*100%/.test(st.clipPath)) return false;
      if (st.clip && /rect\(\s*0(px)?[ ,]+0(px)?[ ,]+0(px)?[ ,]+0(px)?\s*\)/.test(st.clip)) return false;
      n = n.parentElement || (n.getRootNode() && n.getRootNode().host) || null;
    }
    return true;
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
  // The dial code a row shows, as text beside the name. An attribute is not what a person
  // reads (react-phone-input-2 writes data-dial-code="1" on every row): never a dial code.
  // Only a node a person can see: a dial-code span hidden by CSS is text no one reads.
  function dialNode(el) {
    const nodes = el.querySelectorAll(
      '.iti__dial-code, [class*=dial-code i], [class*=dialcode i], [class*=dial_code i]');
    const rowShown = el.getClientRects().length > 0;
    for (const node of nodes) {
      if (rowShown ? visible(node) && !/^\s*$/.test(node.innerText) : true) return node;
    }
    return null;
  }
  // What a dial-code node shows: its rendered text (children hidden by CSS left out); the
  // text itself only when the whole row is out of layout (an accessibility row).
  function dialText(node) {
    return clean(node.getClientRects().length ? node.innerText : node.textContent);
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
    if (!el.getClientRects().length && el.getAttribute('aria-label')) {
      label = clean(el.getAttribute('aria-label'));  // an off-layout accessibility row
    }
    const node = dialNode(el);
    const shown = node ? dialText(node) : '';
    if (shown && /\d/.test(shown)) {
      // "Kosovo+383" (two spans, no space): keep the code a word of its own.
      const code = /\+|^\(/.test(shown) ? shown : '+' + shown;
      const at = label.lastIndexOf(shown);
      label = clean(at >= 0 ? label.slice(0, at) + ' ' + code + ' ' + label.slice(at + shown.length)
                            : label + ' ' + code);
    }
    const attrs = ['data-value', 'data-country-code', 'data-country', 'data-code', 'data-iso',
                   'data-iso2', 'data-dial-code', 'value'];
    let value = '';
    for (const a of attrs) { const v = el.getAttribute(a); if (v) { value = v; break; } }
    value = value || meaningfulId(el.id) || label;
    const disabled = el.getAttribute('aria-disabled') === 'true'
      || /(^|[-_\s])disabled/i.test(classes(el));
    const message = MESSAGE_RE.test(classes(el)) && el.getAttribute('role') !== 'option';
    return {value: clean(value), label, group: groupOf(el), disabled, message};
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
  // The element that scrolls a list: a scrollable ancestor, else one that clips a taller
  // list (rc-virtual-list in Ant Design scrolls an overflow:hidden holder by itself).
  function scrollerOf(el) {
    let node = el, clipped = null;
    for (let depth = 0; node && node.nodeType === 1 && depth < 6; depth++) {
      const oy = getComputedStyle(node).overflowY;
      if (node.scrollHeight > node.clientHeight + 2) {
        if (/auto|scroll|overlay/.test(oy)) return node;
        if (!clipped && oy === 'hidden' && node.clientHeight > 40) clipped = node;
      }
      node = node.parentElement;
    }
    return clipped;
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
          clean, text, labelOf, placeholderOf, classes, describe, visible, seen, cssPath,
          readOption, freshOptions, listOf, scrollerOf};
})();
