// Mark the open list so Python can measure it for a screenshot of the open dropdown.
() => {
  /*@XK_HELPERS*/
  const list = window.__xkScroller || window.__xkList || XK.listOf(XK.freshOptions());
  if (!list || !list.isConnected) return false;
  const target = XK.scrollerOf(list) || list;
  target.setAttribute('data-xk-shot', '1');
  return true;
}
