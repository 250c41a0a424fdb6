// Read every row of the open list, scrolling it while new ones appear (virtualised lists
// draw only the rows in view). ``complete`` says the end was reached: the list stopped
// scrolling and drew nothing more, the rows read fill its height, and every row a list
// announces (``aria-setsize``) was seen. Bounded by ``arg.max`` rows and ``arg.budgetMs``; at the end it waits
// ``arg.endWaitMs`` for rows that load when the end is reached.
async (arg) => {
  /*@XK_HELPERS*/
  let list = window.__xkList;
  if (!list || !list.isConnected) {
    list = XK.listOf(XK.freshOptions().filter((o) => XK.visible(o)));
  }
  if (!list) return {options: [], virtual: false, complete: false, announced: 0};
  const scroller = XK.scrollerOf(list);
  window.__xkScroller = scroller;
  const scope = scroller || list;
  const seen = new Map();
  let announced = 0;
  const readAll = () => {
    let added = 0;
    for (const o of scope.querySelectorAll(XK.OPTION_SEL)) {
      if (seen.size >= arg.max) break;
      const size = parseInt(o.getAttribute('aria-setsize') || '0', 10);
      if (size > announced) announced = size;
      const r = XK.readOption(o);
      if ((!r.label && !r.value) || r.message) continue;
      const key = r.value + '\u0001' + r.label;
      if (!seen.has(key)) { seen.set(key, r); added++; }
    }
    return added;
  };
  const frame = () => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
  readAll();
  let virtual = false, bottom = !scroller;
  const atEnd = () => scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1;
  const move = async (top) => {
    scroller.scrollTop = top;
    scroller.dispatchEvent(new Event('scroll'));
    await frame();
    await sleep(10);
  };
  if (scroller) {
    const t0 = performance.now();
    let tried = false;
    // A step brings the row after the lowest one drawn to the top of the view: a virtual
    // list draws some rows beyond the view, so no row is skipped and fewer steps are needed.
    const lowest = () => {
      const top = scroller.getBoundingClientRect().top;
      let low = 0;
      for (const o of scope.querySelectorAll(XK.OPTION_SEL)) {
        const r = o.getBoundingClientRect();
        if (r.height > 0) low = Math.max(low, r.bottom - top + scroller.scrollTop);
      }
      return low;
    };
    while (seen.size < arg.max && performance.now() - t0 < arg.budgetMs) {
      const before = scroller.scrollTop;
      const step = Math.max(40, scroller.clientHeight * 0.9);
      await move(before + Math.min(Math.max(step, lowest() - before - 2), 3 * step));
      let added = readAll();
      const stuck = scroller.scrollTop === before;
      if (!added && !stuck && !tried && !virtual) {
        // Every row was there from the start? Then the end shows nothing new: done. If it
        // does, the list draws rows as they come into view: go back and read every screen.
        tried = true;
        await move(scroller.scrollHeight);
        let more = readAll();
        if (!more && arg.endWaitMs) { await sleep(arg.endWaitMs); more = readAll(); }
        if (!more) { bottom = true; break; }
        virtual = true;
        seen.clear();
        await move(0);
        readAll();
        continue;
      }
      if (!added && (stuck || atEnd()) && arg.endWaitMs) {
        await sleep(arg.endWaitMs);
        added = readAll();
      }
      if (added) virtual = true;
      if (!added && (stuck || atEnd())) { bottom = true; break; }
    }
    scroller.scrollTop = 0;
  }
  // The rows read must fill the box they scroll in: a list that did not draw new rows when
  // scrolled (it listens to wheel events only, or is broken) leaves most of its height unread.
  let filled = true;
  if (scroller) {
    const heights = Array.from(scope.querySelectorAll(XK.OPTION_SEL))
      .map((o) => o.getBoundingClientRect().height).filter((h) => h > 0).sort((a, b) => a - b);
    const row = heights.length ? heights[Math.floor(heights.length / 2)] : 0;
    filled = !row || seen.size * row >= 0.6 * (scroller.scrollHeight - scroller.clientHeight);
  }
  const complete = bottom && filled && seen.size < arg.max
    && (!announced || seen.size >= announced);
  return {options: Array.from(seen.values()), virtual, complete, announced};
}
