// Read every option of the open list, scrolling it while new ones appear (virtualised
// lists only render what is visible). Bounded by ``arg.max`` options and ``arg.budgetMs``.
async (arg) => {
  /*@XK_HELPERS*/
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
}
