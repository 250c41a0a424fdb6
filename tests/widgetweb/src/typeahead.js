// A plain typeahead, as many sites hand-write one: nothing is listed until a letter is
// typed; each query (debounced) asks the JSON endpoint, which answers at most 20 rows.
(function () {
  var data = window.XKW;
  if (data.lang === 'sr') {
    document.documentElement.lang = 'sr';
    document.getElementById('heading').textContent = 'Направите налог';
    document.getElementById('lead').textContent = 'Унесите прва слова своје државе.';
    document.getElementById('email-label').textContent = 'Е-пошта';
    document.getElementById('country-label').textContent = 'Држава';
    document.getElementById('country').placeholder = 'Почните да куцате…';
    document.getElementById('go').textContent = 'Направи налог';
  }
  var input = document.getElementById('country');
  var list = document.getElementById('country-list');
  var hidden = document.querySelector('input[name=country]');
  var timer = null, asked = 0;
  function close() { list.hidden = true; input.setAttribute('aria-expanded', 'false'); }
  function show(rows) {
    list.textContent = '';
    rows.forEach(function (row, i) {
      var li = document.createElement('li');
      li.setAttribute('role', 'option');
      li.id = 'country-option-' + i;
      li.setAttribute('aria-selected', i === 0 ? 'true' : 'false');
      li.textContent = row.name;
      li.addEventListener('mousedown', function (e) {
        e.preventDefault(); input.value = row.name; hidden.value = row.code; close();
      });
      list.appendChild(li);
    });
    list.hidden = !rows.length;
    input.setAttribute('aria-expanded', rows.length ? 'true' : 'false');
  }
  input.addEventListener('input', function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { show([]); return; }
    timer = setTimeout(function () {
      var mine = ++asked;
      fetch('/api/countries?limit=20&list=' + data.variant + '&lang=' + data.lang
            + '&q=' + encodeURIComponent(q))
        .then(function (r) { return r.json(); })
        .then(function (rows) { if (mine === asked) show(rows); });
    }, 200);
  });
  input.addEventListener('keydown', function (e) { if (e.key === 'Enter') e.preventDefault(); });
  input.addEventListener('blur', close);
})();
