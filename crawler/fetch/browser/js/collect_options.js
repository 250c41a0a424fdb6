// Read every row of the open list, scrolling it while new ones appear (virtualised lists
// draw only the rows in view). ``complete`` says the whole list was read: the end was reached
// (scrolled to the bottom, and the last step drew nothing new), each step's rows met the rows
// read before (no band as tall as a row was scrolled past unread), the rows read reach the
// end of the height it scrolls through, and every row it announces (``aria-setsize``,
// ``aria-rowcount``) was seen. A list with no box to scroll that shows a virtual list's signs
// (fewer rows than announced, rows placed absolutely, a spacer far taller than its rows) is
// never complete. Bounded by ``arg.max`` rows and ``arg.budgetMs``; at the end it waits
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
  for (let n = list, depth = 0; n && n.nodeType === 1 && depth < 4; depth++, n = n.parentElement) {
    announced = Math.max(announced, parseInt(n.getAttribute('aria-rowcount') || '0', 10) || 0);
  }
  // Where the rows drawn lie in the scrolled content: ``reach`` is how far down the rows
  // read so far go without a gap; ``gap`` says a step's rows began below it by a row or more.
  let reach = -1, gap = false;
  const heights = [];
  const rowHeight = () => {
    const h = heights.slice().sort((a, b) => a - b);
    return h.length ? h[Math.floor(h.length / 2)] : 0;
  };
  const readAll = () => {
    let added = 0, top = Infinity, low = -Infinity;
    const base = scroller ? scroller.getBoundingClientRect().top - scroller.scrollTop : 0;
    for (const o of scope.querySelectorAll(XK.OPTION_SEL)) {
      if (seen.size >= arg.max) break;
      const size = parseInt(o.getAttribute('aria-setsize') || '0', 10);
      if (size > announced) announced = size;
      const r = XK.readOption(o);
      if ((!r.label && !r.value) || r.message) continue;
      const box = o.getBoundingClientRect();
      if (box.height > 0) {
        top = Math.min(top, box.top - base);
        low = Math.max(low, box.bottom - base);
        if (heights.length < 400) heights.push(box.height);
      }
      const key = r.value + '\u0001' + r.label;
      if (!seen.has(key)) { seen.set(key, r); added++; }
    }
    if (low > -Infinity) {
      if (reach >= 0 && top > reach + Math.max(1, rowHeight() - 1)) gap = true;
      reach = Math.max(reach, low);
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
        if (!more) { bottom = atEnd(); break; }
        virtual = true;
        seen.clear();
        reach = -1;
        gap = false;
        await move(0);
        readAll();
        continue;
      }
      if (!added && (stuck || atEnd()) && arg.endWaitMs) {
        await sleep(arg.endWaitMs);
        added = readAll();
      }
      if (added) virtual = true;
      // The end: scrolled to the bottom and nothing new. A list that stops scrolling
      // before its bottom (stuck) was not read to its end.
      if (!added && atEnd()) { bottom = true; break; }
      if (!added && stuck) break;
    }
    scroller.scrollTop = 0;
  }
  // The rows read must reach the end of the height they scroll through: a list that did not
  // draw new rows when scrolled (it listens to wheel events only, or is broken) leaves most
  // of it unread. Without a box that scrolls, a virtual list's signs say it is drawn in part.
  let filled = true;
  const row = rowHeight();
  if (scroller) {
    const end = scroller.scrollHeight;
    filled = !row || reach >= end - Math.max(3 * row, 0.25 * scroller.clientHeight);
  } else {
    const rows = Array.from(list.querySelectorAll(XK.OPTION_SEL));
    const placed = rows.some((o) => {
      const st = getComputedStyle(o);
      return st.position === 'absolute' || /matrix|translate/.test(st.transform || '');
    });
    // A spacer: a box given a height of its own (virtual lists set it inline) far taller
    // than the rows drawn in it.
    const drawn = rows.reduce((sum, o) => sum + o.getBoundingClientRect().height, 0);
    const tall = [list, ...list.querySelectorAll('[style*="height"]')]
      .some((el) => el.style && parseFloat(el.style.height) > 3 * drawn + 200);
    filled = !(placed || tall);
  }
  const complete = bottom && !gap && filled && seen.size < arg.max
    && (!announced || seen.size >= announced);
  return {options: Array.from(seen.values()), virtual, complete, announced};
}
