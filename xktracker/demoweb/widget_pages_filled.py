"""Widget pages whose list ends in a plain control: a select filled late by script or from an
XHR, a form in a shadow root or an iframe, a list that arrives after ten seconds."""

from __future__ import annotations

import html

from xktracker.demoweb.widget_kit import BASE_CSS, countries, page

FILL_SELECT_JS = """
function fillCountries(select, rows) {
  var frag = document.createDocumentFragment();
  rows.forEach(function (row) {
    var opt = document.createElement('option');
    opt.value = row[0];
    opt.textContent = row[1];
    frag.appendChild(opt);
  });
  select.options[0].textContent = 'Select your country';
  select.appendChild(frag);
  select.disabled = false;
}
"""


def js_injected_select() -> str:
    body = """<h1>Create your account</h1>
<p class="lead">It takes less than a minute. No credit card needed.</p>
<form id="signup" action="#" method="post" novalidate>
  <div class="row">
    <div class="field"><label for="first">First name</label>
      <input type="text" id="first" name="first_name" autocomplete="given-name"></div>
    <div class="field"><label for="last">Last name</label>
      <input type="text" id="last" name="last_name" autocomplete="family-name"></div>
  </div>
  <div class="field"><label for="email">Email</label>
    <input type="email" id="email" name="email" autocomplete="email"></div>
  <div class="field"><label for="password">Password</label>
    <input type="password" id="password" name="password" autocomplete="new-password"></div>
  <div class="field"><label for="country">Country</label>
    <select id="country" name="country" autocomplete="country" disabled>
      <option value="">Loading…</option>
    </select></div>
  <button class="primary" type="submit">Create account</button>
</form>"""
    scripts = "<script>" + FILL_SELECT_JS + """
window.addEventListener('load', function () {
  setTimeout(function () {
    fillCountries(document.getElementById('country'), window.XKDEMO.worldWithKosovo);
  }, 300);
});
</script>
"""
    return page(title="Sign up", expect="listed", needs_browser=True, body=body,
                 scripts=scripts)


def xhr_select() -> str:
    body = """<h1>Shipping address</h1>
<p class="lead">Step 2 of 3 · We ship to most countries.</p>
<form id="shipping" action="#" method="post" novalidate>
  <div class="field"><label for="shipping-name">Full name</label>
    <input type="text" id="shipping-name" name="shipping_name" autocomplete="shipping name"></div>
  <div class="field"><label for="shipping-line1">Address</label>
    <input type="text" id="shipping-line1" name="shipping_line1"
      autocomplete="shipping address-line1"></div>
  <div class="row">
    <div class="field"><label for="shipping-city">City</label>
      <input type="text" id="shipping-city" name="shipping_city"
        autocomplete="shipping address-level2"></div>
    <div class="field"><label for="shipping-zip">Postal code</label>
      <input type="text" id="shipping-zip" name="shipping_zip"
        autocomplete="shipping postal-code"></div>
  </div>
  <div class="field"><label for="shipping-country">Country</label>
    <select id="shipping-country" name="shipping_country" autocomplete="shipping country"
      disabled><option value="">Loading countries…</option></select></div>
  <button class="primary" type="submit">Continue to payment</button>
</form>"""
    scripts = "<script>" + FILL_SELECT_JS + """
fetch('xhr-countries.json', {headers: {'Accept': 'application/json'}})
  .then(function (r) { return r.json(); })
  .then(function (data) {
    var rows = data.countries.map(function (c) { return [c.code, c.name]; });
    fillCountries(document.getElementById('shipping-country'), rows);
  });
</script>
"""
    return page(title="Checkout", expect="missing", needs_browser=True, body=body,
                 scripts=scripts, data_script=False, brand="Parcelhub")


def shadow_dom() -> str:
    body = """<h1>Billing details</h1>
<p class="lead">Your invoice will be issued to this address.</p>
<form id="billing" action="#" method="post" novalidate>
  <div class="field"><label for="company">Company (optional)</label>
    <input type="text" id="company" name="company" autocomplete="organization"></div>
  <xk-address-form prefix="billing"></xk-address-form>
  <button class="primary" type="submit">Save billing details</button>
</form>"""
    scripts = """<script>
class AddressForm extends HTMLElement {
  connectedCallback() {
    var prefix = this.getAttribute('prefix') || 'address';
    var root = this.attachShadow({mode: 'open'});
    root.innerHTML = '<style>label{display:block;font-weight:600;margin:0 0 5px;font-size:14px}'
      + 'input,select{width:100%;padding:9px 11px;border:1px solid #c4cad6;border-radius:6px;'
      + 'font:inherit;margin-bottom:16px;background:#fff}</style>'
      + '<label for="line1">Street address</label>'
      + '<input id="line1" name="' + prefix + '_line1" autocomplete="address-line1">'
      + '<label for="city">City</label>'
      + '<input id="city" name="' + prefix + '_city" autocomplete="address-level2">'
      + '<label for="country">Country</label>'
      + '<select id="country" name="' + prefix + '_country" autocomplete="country">'
      + '<option value="">Choose a country</option></select>';
    var select = root.getElementById('country');
    window.XKDEMO.world.forEach(function (row) {
      var opt = document.createElement('option');
      opt.value = row[0];
      opt.textContent = row[1];
      select.appendChild(opt);
    });
  }
}
customElements.define('xk-address-form', AddressForm);
</script>
"""
    return page(title="Billing", expect="missing", needs_browser=True, body=body,
                 scripts=scripts, brand="Ledgerly")


def iframe_form() -> str:
    css = """
.summary{display:flex;justify-content:space-between;border-bottom:1px solid #e3e7ee;
  padding:8px 0;color:#3b4252}
iframe.billing{width:100%;height:330px;border:0;margin-top:18px}
"""
    body = """<h1>Checkout</h1>
<p class="lead">Secure payment · Order #NW-20417</p>
<div class="summary"><span>Annual plan</span><span>€96.00</span></div>
<div class="summary"><span>VAT</span><span>calculated at next step</span></div>
<iframe class="billing" src="iframe-inner.html" title="Billing address"></iframe>
<button class="primary" type="button">Pay now</button>"""
    return page(title="Checkout", expect="listed", needs_browser=True, body=body, css=css,
                 data_script=False)


def iframe_inner() -> str:
    options = "\n".join(
        f'      <option value="{code}">{html.escape(name, quote=False)}</option>'
        for code, name, _ in countries(with_kosovo=True)
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Billing address</title>
<meta name="xk-expect" content="listed">
<meta name="xk-needs-browser" content="0">
<style>{BASE_CSS}body{{background:#fff}}</style>
</head>
<body>
<form id="billing-address" action="#" method="post" novalidate>
  <div class="field"><label for="billing-name">Name on card</label>
    <input type="text" id="billing-name" name="billing_name" autocomplete="cc-name"></div>
  <div class="field"><label for="billing-line1">Billing address</label>
    <input type="text" id="billing-line1" name="billing_line1"
      autocomplete="billing address-line1"></div>
  <div class="field"><label for="billing-country">Country</label>
    <select id="billing-country" name="billing_country" autocomplete="billing country">
      <option value="">Select a country</option>
{options}
    </select></div>
</form>
</body>
</html>
"""


def late_dropdown() -> str:
    body = """<h1>Become a seller</h1>
<p class="lead">Tell us where your business is registered.</p>
<form id="seller" action="#" method="post" novalidate>
  <div class="field"><label for="business">Business name</label>
    <input type="text" id="business" name="business_name" autocomplete="organization"></div>
  <div class="field"><label for="seller-country">Country of registration</label>
    <select id="seller-country" name="country" autocomplete="country" disabled>
      <option value="">Loading…</option></select></div>
  <button class="primary" type="submit">Next</button>
</form>"""
    scripts = "<script>" + FILL_SELECT_JS + """
// A slow configuration service: the list arrives ten seconds after the page.
setTimeout(function () {
  fillCountries(document.getElementById('seller-country'), window.XKDEMO.worldWithKosovo);
}, 10000);
</script>
"""
    return page(title="Seller sign-up", expect="listed", needs_browser=True, body=body,
                 scripts=scripts, extra_meta='<meta name="xk-slow" content="1">\n',
                 brand="Bazaarly")
