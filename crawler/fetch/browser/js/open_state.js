// After a click or a key: how many new rows a person sees, in which list, whether the page
// is still changing (``quietMs`` since the last change, ``loading``: it says it is searching)
// and a signature of what is shown.
() => {
  /*@XK_HELPERS*/
  const quietMs = performance.now() - (window.__xkMut || 0);
  const fresh = XK.freshOptions().filter((o) => XK.visible(o));
  const rows = fresh.filter((o) => !XK.readOption(o).message);
  // A widget saying it is still looking ("Searching…", a spinner row) has not answered yet.
  // So is a list or search box that says it is busy (aria-busy).
  const box = XK.qsa('[data-xk-type]')[0];
  const busy = [window.__xkList, box, box && box.closest('[role=combobox], [aria-busy]')]
    .some((el) => el && el.isConnected && el.getAttribute('aria-busy') === 'true');
  const loading = busy || fresh.some((o) => /loading|searching|spinner/i.test(XK.classes(o))
    || /^(searching|loading)\b|…$|\.\.\.$/i.test(XK.text(o)));
  if (!rows.length) return {count: 0, labelled: 0, quietMs, loading, sig: String(fresh.length)};
  const list = XK.listOf(rows);
  window.__xkList = list;
  const inList = rows.filter((o) => list.contains(o));
  const labels = inList.map((o) => XK.text(o));
  return {count: inList.length, labelled: labels.filter(Boolean).length, quietMs, loading,
          sig: inList.length + ':' + labels.slice(0, 3).join('|') + ':' + labels.slice(-1)};
}
