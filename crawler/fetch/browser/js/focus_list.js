// Scroll the open custom list (marked ``data-xk-shot``) to the territory or its place,
// scrolling virtualised lists down until it is rendered; bounded by ``arg.budgetMs``.
async (arg) => {
  /*@XK_HELPERS*/
  /*@FOCUS_HELPERS*/
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
}
