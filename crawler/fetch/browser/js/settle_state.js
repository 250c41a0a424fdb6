// Is the form there yet? ``ready`` when a country-looking control has options (or is a
// custom widget we can open, or a long select is there), ``waiting`` while a country-looking
// select a person can see is still empty (the caller waits for those, within its deadline;
// an original select a library hid under its own widget holds nothing up);
// ``sig`` changes whenever the document grows, so the caller can tell when it is stable.
() => {
  /*@XK_HELPERS*/
  const scopes = XK.roots();
  let ready = false, waiting = false, options = 0, elements = 0;
  for (const r of scopes) elements += r.querySelectorAll('*').length;
  for (const s of XK.qsa('select', scopes)) {
    const n = s.options.length;
    options += n;
    if (n > 100) ready = true;
    if (!XK.COUNTRY_RE.test(XK.describe(s))) continue;
    if (n > 1) ready = true;
    else if (XK.seen(s) && !XK.DEPENDENT_RE.test((s.name || '') + ' ' + s.id)) waiting = true;
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
}
