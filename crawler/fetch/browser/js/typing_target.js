// After a widget was opened: the box a person would type into to search it (the focused text
// input, else a search box in the open list or in the widget), marked ``data-xk-type``; and
// what the page is written in, so typing can use its language and alphabet.
(arg) => {
  /*@XK_HELPERS*/
  const typable = (el) => el && el.matches && el.matches(
    'input:not([type]), input[type=text], input[type=search], input[type=tel], textarea, '
    + '[contenteditable=""], [contenteditable=true]')
    && !el.disabled && !el.readOnly && XK.visible(el);
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) {
    active = active.shadowRoot.activeElement;
  }
  let box = typable(active) ? active : null;
  if (!box) {
    const trigger = XK.qsa(`[data-xk-probe="${arg.index}"]`)[0];
    const scopes = [window.__xkList && window.__xkList.closest(
      '[role=dialog], [class*=dropdown i], [class*=popover i], [class*=menu i]'), trigger,
                    trigger && trigger.parentElement];
    for (const scope of scopes.filter(Boolean)) {
      box = Array.from(scope.querySelectorAll('input, textarea')).find(typable) || null;
      if (box) break;
    }
  }
  for (const old of XK.qsa('[data-xk-type]')) old.removeAttribute('data-xk-type');
  const sample = (document.body ? document.body.innerText : '').slice(0, 4000);
  const count = (re) => (sample.match(re) || []).length;
  const scripts = {latin: count(/[A-Za-z\u00c0-\u024f]/g), cyrillic: count(/[\u0400-\u04ff]/g),
                   greek: count(/[\u0370-\u03ff]/g)};
  const lang = (document.documentElement.lang || '').trim().toLowerCase();
  if (!box) return {box: false, lang, scripts};
  box.setAttribute('data-xk-type', '1');
  return {box: true, lang, scripts, value: box.value || ''};
}
