// Show a native select as an open list box (size > 1) scrolled to the territory, since a
// headless screenshot cannot show a native popup, then bring it to the middle of the view and
// measure it: one call and one layout (three calls forced three layouts of a page with long
// lists). Returns the box in the frame's viewport (``top``: the frame is the page itself),
// or null for an element with no box. The page is closed after the screenshot, so the
// select is not put back.
(el, arg) => {
  /*@XK_HELPERS*/
  /*@FOCUS_HELPERS*/
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
}
