// Remember which option-like elements exist, so that after a click only new ones count.
() => {
  /*@XK_HELPERS*/
  window.__xkSeen = new WeakSet(XK.qsa(XK.OPTION_SEL));
  window.__xkList = null;
  window.__xkScroller = null;
  return true;
}
