"""What a person on a small screen would suffer from, measured in the browser: a page wider
than the screen, or a table cell narrower than its longest word (a word broken letter by
letter). A web address is not a word: it may wrap anywhere. Used by the end-to-end tests and by
scripts/screenshots.py."""

from __future__ import annotations

# Each word of each visible cell is measured in a hidden probe with the cell's own font and
# compared with the cell's content width; the page's width with the window's.
LAYOUT_PROBLEMS = r"""() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth)
    problems.push(`the page is ${root.scrollWidth}px wide on a ${window.innerWidth}px screen`);
  const probe = document.createElement('span');
  probe.style.position = 'absolute';
  probe.style.visibility = 'hidden';
  probe.style.whiteSpace = 'nowrap';
  document.body.appendChild(probe);
  for (const cell of document.querySelectorAll('td, th')) {
    const box = cell.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || cell.offsetParent === null) continue;
    const style = getComputedStyle(cell);
    const inner = cell.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight);
    // Each word in the font of the element that holds it; a line may break after a hyphen.
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let widest = 0, word = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const holder = node.parentElement;
      if (!holder || holder.offsetParent === null) continue;
      const font = getComputedStyle(holder);
      probe.style.font = font.font;
      probe.style.letterSpacing = font.letterSpacing;
      // A web address is not a word: on a phone it may wrap anywhere, as it does elsewhere.
      const words = node.textContent.split(/\s+|(?<=-)/).filter(w => w && !w.includes('://'));
      for (const w of words) {
        probe.textContent = w;
        if (probe.offsetWidth > widest) { widest = probe.offsetWidth; word = w; }
      }
    }
    if (word && inner + 0.5 < widest)
      problems.push(
        `"${word.slice(0, 40)}" needs ${widest}px, its cell has ${Math.round(inner)}px`);
  }
  probe.remove();
  return problems;
}"""
