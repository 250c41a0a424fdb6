// Remember which option-like elements a person can already see, so that after a click only
// rows that appeared (or were shown: a pre-drawn hidden list) count; and start noting when
// the document last changed, to tell a widget that is still drawing from one that is done.
() => {
  /*@XK_HELPERS*/
  window.__xkSeen = new WeakSet(XK.qsa(XK.OPTION_SEL).filter((o) => XK.visible(o)));
  window.__xkList = null;
  window.__xkScroller = null;
  window.__xkMut = performance.now();
  if (!window.__xkObserver) {
    window.__xkObserver = new MutationObserver(() => { window.__xkMut = performance.now(); });
    window.__xkObserver.observe(document, {subtree: true, childList: true, characterData: true,
                                           attributes: true});
  }
  return true;
}
