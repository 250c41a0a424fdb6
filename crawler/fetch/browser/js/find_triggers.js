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
}
