// Mark up to ``max`` custom dropdown triggers with ``data-xk-probe`` and describe them.
// Country-looking ones come first; triggers whose options are already in the DOM (a
// select2 over a native select, an aria-controls list that is already filled) are skipped.
// When there is one to open, the page's forms stop submitting first: a probing click on a
// "button" inside a form would submit it.
(arg) => {
  /*@XK_HELPERS*/
  const scopes = XK.roots();
  const cands = new Set(XK.qsa(XK.TRIGGER_SEL, scopes));
  for (const b of XK.qsa('button, [role=button]', scopes)) {
    if (b.matches('[type=submit]')) continue;
    // A web component's inner button (<ion-button>) shows the host's words through a slot.
    const host = b.getRootNode().host;
    const words = XK.describe(b) + ' ' + (b.getAttribute('aria-label') || '')
      + (host ? ' ' + XK.describe(host) : '');
    const label = XK.text(b) || (host ? XK.text(host) : '');
    if (!XK.COUNTRY_RE.test(words + ' ' + label)) continue;
    if (XK.ACTION_RE.test(label)) continue;
    if (b.hasAttribute('aria-haspopup') || b.hasAttribute('aria-expanded') || label.length <= 40) {
      cands.add(b);
    }
  }
  // A web component whose options are its light-DOM children (<sl-option>, <ion-select-option>)
  // is read from those: its own trigger need not be opened.
  const OPTION_TAG = /^([a-z][a-z0-9]*-[a-z0-9-]*(option|item))$/;
  const hostWithOptions = (el) => {
    for (let n = el, depth = 0; n && depth < 8; depth++) {
      const host = n.getRootNode && n.getRootNode().host;
      if (host && Array.from(host.children).some((c) => OPTION_TAG.test(c.localName))) return true;
      if (n.localName && n.localName.includes('-')
          && Array.from(n.children).some((c) => OPTION_TAG.test(c.localName))) return true;
      n = n.parentElement || host || null;
    }
    return false;
  };
  const usable = [];
  for (const el of cands) {
    if (el.matches('select, option, input[list], [data-xk-probe]')) continue;
    if (hostWithOptions(el)) continue;
    if (el.closest('[role=listbox], [role=option]')) continue;
    if (el.matches('[aria-disabled=true], :disabled')) continue;
    if (!XK.visible(el) || (el.matches(XK.TRIGGER_SEL) && !XK.selectLike(el))) continue;
    usable.push(el);
  }
  // Keep the outermost of nested triggers (a react-select control holds an input[role=combobox]),
  // and one of two side by side (Headless UI's input and its button open the same list): the
  // one that opens on a click, a button.
  const nested = usable.filter((el) => !usable.some((o) => o !== el && o.contains(el)));
  const opener = (el) => el.matches('button, [role=button], [aria-haspopup]:not(input)');
  const outer = nested.filter((el) => !nested.some((o) => o !== el
    && o.parentElement === el.parentElement && opener(o) && !opener(el)));
  // A list drawn only in part (a virtual list: rows of a far taller box, or fewer rows than
  // they announce with aria-setsize) is not in the document yet, whatever rows it pre-drew.
  function partial(list, rows) {
    const size = Math.max(0, ...Array.from(rows, (r) => +r.getAttribute('aria-setsize') || 0));
    if (size > rows.length) return true;
    for (const box of list.querySelectorAll('[style*="height"]')) {
      if (parseFloat(box.style.height) > rows.length * 80) return true;
    }
    return false;
  }
  function staticOptions(el) {
    const ctl = el.getAttribute('aria-controls') || el.getAttribute('aria-owns');
    if (ctl) {
      const list = document.getElementById(ctl) || el.getRootNode().getElementById?.(ctl);
      const rows = list ? list.querySelectorAll(XK.OPTION_SEL) : [];
      if (rows.length > 1) return !partial(list, rows);
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
    const host = el.getRootNode().host;
    const hints = [XK.classes(el), el.parentElement ? XK.classes(el.parentElement) : '',
                   el.getAttribute('role') ? 'role=' + el.getAttribute('role') : '',
                   el.getAttribute('aria-haspopup')
                     ? 'aria-haspopup=' + el.getAttribute('aria-haspopup') : '',
                   el.closest('.iti') ? 'intl-tel-input' : ''];
    const combo = el.getAttribute('role') === 'combobox' || el.matches('input')
      || !!el.querySelector('input:not([type=hidden])');
    out.push({
      index, country, selector: XK.cssPath(el), widget: combo ? 'combobox' : 'listbox',
      label: XK.labelOf(el) || (host ? XK.labelOf(host) : '') || null, name: name || null,
      id: el.id || (inner ? inner.id : '') || (host ? host.id : '') || null,
      placeholder: XK.placeholderOf(el) || null,
      hints: XK.clean(hints.filter(Boolean).join(' ')),
    });
  }
  return out;
}
