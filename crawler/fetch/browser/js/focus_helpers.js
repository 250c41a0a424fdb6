// For the screenshot: where the territory is in a list, or where it would be. ``arg`` has
// ``pattern`` (a regex of its names), ``codes`` (its option values) and ``sortName``.
  const re = new RegExp(arg.pattern, 'i');
  const codes = arg.codes.map((c) => c.toUpperCase());
  const isIt = (label, value) => re.test(label) || codes.includes((value || '').toUpperCase());
  const before = (label) => label.localeCompare(arg.sortName, 'en', {sensitivity: 'base'}) < 0;
  function pick(items) {
    let hit = items.findIndex((it) => isIt(it.label, it.value));
    if (hit >= 0) return {index: hit, found: true};
    hit = items.findIndex((it, i) => i > 0 && before(items[i - 1].label) && !before(it.label));
    return {index: hit, found: false};
  }
