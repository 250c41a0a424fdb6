"""Widget pages drawn as custom drop-downs, the way component libraries draw them: a
react-select-like combobox, an intl-tel-input-like phone picker, a virtualised list."""

from __future__ import annotations

from xktracker.demoweb.widget_kit import page

REACT_SELECT_CSS = """
.country-picker{position:relative}
.country-picker__control{display:flex;align-items:center;min-height:40px;border:1px solid #c4cad6;
  border-radius:6px;background:#fff;cursor:default;padding:0 6px 0 11px}
.country-picker__control--is-focused{border-color:#2f6fed;box-shadow:0 0 0 1px #2f6fed}
.country-picker__value-container{flex:1;position:relative;display:flex;align-items:center}
.country-picker__placeholder{color:#8a93a3;position:absolute}
.country-picker .country-picker__input{border:0;outline:0;font:inherit;width:100%;
  background:transparent;padding:0}
.country-picker__indicator-separator{width:1px;align-self:stretch;background:#d5dae3;margin:8px 6px}
.country-picker__dropdown-indicator{color:#8a93a3;padding:0 6px}
.country-picker__menu{position:absolute;top:100%;left:0;right:0;margin-top:6px;background:#fff;
  border-radius:6px;box-shadow:0 0 0 1px rgba(0,0,0,.1),0 4px 11px rgba(0,0,0,.1);z-index:10}
.country-picker__menu-list{max-height:280px;overflow-y:auto;padding:4px 0}
.country-picker__option{padding:8px 12px;cursor:default}
.country-picker__option--is-focused{background:#deebff}
.country-picker__option--is-selected{background:#2f6fed;color:#fff}
.country-picker__menu-notice{padding:8px 12px;color:#8a93a3;text-align:center}
"""


def react_select_like() -> str:
    body = """<h1>Open a free account</h1>
<p class="lead">Send money to friends and family in 40 currencies.</p>
<form id="register" action="#" method="post" novalidate>
  <div class="field"><label for="email">Email address</label>
    <input type="email" id="email" name="email" autocomplete="email"></div>
  <div class="field"><span class="label" id="residence-label">Country of residence</span>
    <div class="country-picker css-b62m3t-container" id="residence">
      <div class="country-picker__control css-13cymwt-control" role="combobox" tabindex="0"
        aria-haspopup="listbox" aria-expanded="false" aria-labelledby="residence-label">
        <div class="country-picker__value-container">
          <div class="country-picker__placeholder">Select…</div>
          <input class="country-picker__input" id="residence-input" type="text"
            autocomplete="off" autocapitalize="none" spellcheck="false" aria-autocomplete="list"
            aria-labelledby="residence-label" value="">
        </div>
        <span class="country-picker__indicator-separator"></span>
        <div class="country-picker__dropdown-indicator" aria-hidden="true">&#9662;</div>
      </div>
      <input type="hidden" name="country" value="">
    </div></div>
  <button class="primary" type="submit">Continue</button>
</form>"""
    scripts = """<script>
(function () {
  var root = document.getElementById('residence');
  var control = root.querySelector('.country-picker__control');
  var input = root.querySelector('.country-picker__input');
  var placeholder = root.querySelector('.country-picker__placeholder');
  var hidden = root.querySelector('input[type=hidden]');
  var menu = null, rows = window.XKDEMO.worldWithKosovo;

  function close() {
    if (menu) { menu.remove(); menu = null; }
    control.setAttribute('aria-expanded', 'false');
    control.classList.remove('country-picker__control--is-focused');
  }
  function choose(row) {
    hidden.value = row[0];
    placeholder.textContent = row[1];
    placeholder.style.color = '#1d2330';
    input.value = '';
    close();
  }
  function render() {
    var list = menu.querySelector('.country-picker__menu-list');
    list.textContent = '';
    var q = input.value.trim().toLowerCase();
    var shown = rows.filter(function (r) { return r[1].toLowerCase().indexOf(q) !== -1; });
    if (!shown.length) {
      var notice = document.createElement('div');
      notice.className = 'country-picker__menu-notice';
      notice.textContent = 'No options';
      list.appendChild(notice);
    }
    shown.forEach(function (row, i) {
      var opt = document.createElement('div');
      opt.className = 'country-picker__option'
        + (i === 0 ? ' country-picker__option--is-focused' : '')
        + (hidden.value === row[0] ? ' country-picker__option--is-selected' : '');
      opt.id = 'react-select-2-option-' + i;
      opt.setAttribute('role', 'option');
      opt.setAttribute('aria-selected', hidden.value === row[0] ? 'true' : 'false');
      opt.tabIndex = -1;
      opt.textContent = row[1];
      opt.addEventListener('mousedown', function (e) { e.preventDefault(); choose(row); });
      list.appendChild(opt);
    });
  }
  function open() {
    if (menu) return;
    menu = document.createElement('div');
    menu.className = 'country-picker__menu css-1nmdiq5-menu';
    var list = document.createElement('div');
    list.className = 'country-picker__menu-list';
    list.id = 'react-select-2-listbox';
    list.setAttribute('role', 'listbox');
    menu.appendChild(list);
    root.appendChild(menu);
    control.setAttribute('aria-expanded', 'true');
    control.setAttribute('aria-controls', list.id);
    control.classList.add('country-picker__control--is-focused');
    render();
  }
  control.addEventListener('mousedown', function (e) {
    if (e.target !== input) e.preventDefault();
    if (menu) close(); else { open(); input.focus(); }
  });
  input.addEventListener('input', function () { open(); render(); });
  control.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') close();
    if (e.key === 'ArrowDown' || e.key === 'Enter') open();
  });
  document.addEventListener('mousedown', function (e) {
    if (menu && !root.contains(e.target)) close();
  });
})();
</script>
"""
    return page(title="Register", expect="listed", needs_browser=True, body=body,
                 css=REACT_SELECT_CSS, scripts=scripts, brand="Remitly Demo")


ITI_CSS = """
.iti{position:relative;display:flex}
.iti__country-container{position:absolute;top:0;bottom:0;left:0;display:flex}
.iti__selected-country{display:flex;align-items:center;gap:6px;background:#f0f2f6;
  border:0;border-right:1px solid #c4cad6;border-radius:6px 0 0 6px;padding:0 10px;font:inherit;
  cursor:pointer}
.iti__flag{width:20px;height:14px;border-radius:2px;background:linear-gradient(#c8d3ea,#8fa3cc)}
.iti__arrow{border-left:4px solid transparent;border-right:4px solid transparent;
  border-top:5px solid #555}
.iti input[type=tel]{padding-left:112px}
.iti__dropdown-content{position:absolute;top:100%;left:0;z-index:5;background:#fff;
  border:1px solid #c4cad6;border-radius:6px;box-shadow:1px 1px 8px rgba(0,0,0,.2);
  margin-top:4px;width:320px}
.iti__country-list{list-style:none;margin:0;padding:0;max-height:240px;overflow-y:auto}
.iti__country{display:flex;align-items:center;gap:8px;padding:6px 10px;cursor:pointer}
.iti__country.iti__highlight{background:#eef3ff}
.iti__dial-code{color:#8a93a3}
.iti__divider{border-bottom:1px solid #ccc;margin:4px 0}
"""


def intl_tel_like() -> str:
    body = """<h1>Verify your phone number</h1>
<p class="lead">We will text you a 6-digit code to keep your account safe.</p>
<form id="verify-phone" action="#" method="post" novalidate>
  <div class="field"><label for="phone">Mobile number</label>
    <div class="iti iti--allow-dropdown iti--show-flags">
      <div class="iti__country-container">
        <button type="button" class="iti__selected-country" aria-expanded="false"
          aria-haspopup="listbox" aria-controls="iti-0__country-listbox"
          title="United States: +1" aria-label="Selected country: United States +1">
          <div class="iti__selected-country-primary">
            <div class="iti__flag iti__us"></div><div class="iti__arrow"></div></div>
          <div class="iti__selected-dial-code">+1</div>
        </button>
      </div>
      <input type="tel" id="phone" name="phone" autocomplete="tel" placeholder="201-555-0123"
        data-intl-tel-input-id="0">
    </div></div>
  <input type="hidden" name="phone_country" value="us">
  <button class="primary" type="submit">Send code</button>
</form>"""
    scripts = """<script>
(function () {
  var button = document.querySelector('.iti__selected-country');
  var container = document.querySelector('.iti__country-container');
  var dial = button.querySelector('.iti__selected-dial-code');
  var flag = button.querySelector('.iti__flag');
  var hidden = document.querySelector('input[name=phone_country]');
  var rows = window.XKDEMO.worldWithKosovo.filter(function (r) { return r[2]; });
  var preferred = ['US', 'GB'];
  var dropdown = null;

  function item(row, extra) {
    var li = document.createElement('li');
    li.className = 'iti__country' + (extra || '');
    li.setAttribute('role', 'option');
    li.tabIndex = -1;
    li.id = 'iti-0__item-' + row[0].toLowerCase() + (extra ? '-preferred' : '');
    li.setAttribute('data-country-code', row[0].toLowerCase());
    li.setAttribute('data-dial-code', String(row[2]));
    li.setAttribute('aria-selected', 'false');
    li.innerHTML = '<div class="iti__flag-box"><div class="iti__flag iti__' + row[0].toLowerCase()
      + '"></div></div><span class="iti__country-name"></span><span class="iti__dial-code"></span>';
    li.querySelector('.iti__country-name').textContent = row[1];
    li.querySelector('.iti__dial-code').textContent = '+' + row[2];
    li.addEventListener('click', function () {
      dial.textContent = '+' + row[2];
      flag.className = 'iti__flag iti__' + row[0].toLowerCase();
      hidden.value = row[0].toLowerCase();
      button.title = row[1] + ': +' + row[2];
      close();
    });
    return li;
  }
  function close() {
    if (dropdown) { dropdown.remove(); dropdown = null; }
    button.setAttribute('aria-expanded', 'false');
  }
  function open() {
    dropdown = document.createElement('div');
    dropdown.className = 'iti__dropdown-content';
    var ul = document.createElement('ul');
    ul.className = 'iti__country-list';
    ul.id = 'iti-0__country-listbox';
    ul.setAttribute('role', 'listbox');
    ul.setAttribute('aria-label', 'List of countries');
    rows.filter(function (r) { return preferred.indexOf(r[0]) !== -1; }).forEach(function (r) {
      ul.appendChild(item(r, ' iti__preferred'));
    });
    var divider = document.createElement('li');
    divider.className = 'iti__divider';
    divider.setAttribute('aria-hidden', 'true');
    ul.appendChild(divider);
    rows.forEach(function (r) { ul.appendChild(item(r, '')); });
    dropdown.appendChild(ul);
    container.appendChild(dropdown);
    button.setAttribute('aria-expanded', 'true');
  }
  button.addEventListener('click', function (e) {
    e.preventDefault();
    if (dropdown) close(); else open();
  });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') close(); });
  document.addEventListener('click', function (e) {
    if (dropdown && !container.contains(e.target)) close();
  });
})();
</script>
"""
    return page(title="Verify phone", expect="listed", needs_browser=True, body=body,
                 css=ITI_CSS, scripts=scripts, brand="Chatterly")


VIRTUAL_CSS = """
.vselect{position:relative}
.vselect input{cursor:pointer}
.vlist{position:absolute;top:100%;left:0;right:0;margin-top:4px;height:320px;overflow-y:auto;
  background:#fff;border:1px solid #c4cad6;border-radius:6px;box-shadow:0 4px 12px rgba(0,0,0,.12);
  z-index:5}
.vlist__spacer{position:relative}
.vlist__option{position:absolute;left:0;right:0;height:32px;line-height:32px;padding:0 12px;
  white-space:nowrap;overflow:hidden;text-overflow:ellipsis;cursor:pointer}
.vlist__option:hover{background:#eef3ff}
"""


def virtual_list() -> str:
    body = """<h1>Where should we ship?</h1>
<p class="lead">Shipping costs and delivery times depend on the destination.</p>
<form id="destination-form" action="#" method="post" novalidate>
  <div class="field"><label for="destination">Country / region</label>
    <div class="vselect" id="destination-picker">
      <input type="text" id="destination" readonly role="combobox" aria-autocomplete="none"
        aria-expanded="false" aria-controls="destination-listbox" placeholder="Choose a country">
      <input type="hidden" name="destination_country" value="">
    </div></div>
  <div class="field"><label for="zip">Postal code</label>
    <input type="text" id="zip" name="zip" autocomplete="postal-code"></div>
  <button class="primary" type="submit">Show shipping options</button>
</form>"""
    scripts = """<script>
(function () {
  var ROW = 32, HEIGHT = 320, OVERSCAN = 5;
  var rows = window.XKDEMO.world;
  var input = document.getElementById('destination');
  var picker = document.getElementById('destination-picker');
  var hidden = picker.querySelector('input[type=hidden]');
  var list = null, spacer = null, pending = false;

  function draw() {
    pending = false;
    if (!list) return;
    var first = Math.max(0, Math.floor(list.scrollTop / ROW) - OVERSCAN);
    var last = Math.min(rows.length, Math.ceil((list.scrollTop + HEIGHT) / ROW) + OVERSCAN);
    spacer.textContent = '';
    for (var i = first; i < last; i++) {
      var row = rows[i];
      var opt = document.createElement('div');
      opt.className = 'vlist__option';
      opt.setAttribute('role', 'option');
      opt.setAttribute('data-value', row[0]);
      opt.setAttribute('aria-setsize', String(rows.length));
      opt.setAttribute('aria-posinset', String(i + 1));
      opt.style.top = (i * ROW) + 'px';
      opt.textContent = row[1];
      opt.addEventListener('mousedown', (function (r) {
        return function (e) { e.preventDefault(); pick(r); };
      })(row));
      spacer.appendChild(opt);
    }
  }
  function pick(row) { input.value = row[1]; hidden.value = row[0]; close(); }
  function close() {
    if (list) { list.remove(); list = null; }
    input.setAttribute('aria-expanded', 'false');
  }
  function open() {
    list = document.createElement('div');
    list.className = 'vlist';
    list.id = 'destination-listbox';
    list.setAttribute('role', 'listbox');
    spacer = document.createElement('div');
    spacer.className = 'vlist__spacer';
    spacer.style.height = (rows.length * ROW) + 'px';
    list.appendChild(spacer);
    list.addEventListener('scroll', function () {
      if (!pending) { pending = true; requestAnimationFrame(draw); }
    });
    picker.appendChild(list);
    input.setAttribute('aria-expanded', 'true');
    draw();
  }
  input.addEventListener('mousedown', function (e) {
    e.preventDefault();
    if (list) close(); else open();
  });
  input.addEventListener('keydown', function (e) { if (e.key === 'Escape') close(); });
  document.addEventListener('mousedown', function (e) {
    if (list && !picker.contains(e.target)) close();
  });
})();
</script>
"""
    return page(title="Shipping destination", expect="missing", needs_browser=True, body=body,
                 css=VIRTUAL_CSS, scripts=scripts, brand="Parcelhub")
