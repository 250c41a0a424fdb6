// After a click: how many new options are there, and in which list?
() => {
  /*@XK_HELPERS*/
  const fresh = XK.freshOptions();
  if (!fresh.length) return {count: 0, labelled: 0};
  const list = XK.listOf(fresh);
  window.__xkList = list;
  const inList = fresh.filter((o) => list.contains(o));
  return {count: inList.length, labelled: inList.filter((o) => XK.text(o)).length};
}
