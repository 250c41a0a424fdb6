// Remove our markers again (only the probe and screenshot attributes we added).
// The first element a CSS selector matches in the document or an open shadow root, in one
// call (Playwright's own selector engine walked every element twice: 40-50 ms a page with a
// long country list); null when none, or when the selector is not plain CSS.
(sel) => {
  /*@XK_HELPERS*/
  try { return XK.qsa(sel)[0] || null; } catch (e) { return null; }
}
