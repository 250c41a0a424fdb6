// Shoelace's <sl-select>: the options are <sl-option> children in the light DOM, shown
// through a <slot> of the component's shadow root.
import '@shoelace-style/shoelace/dist/themes/light.css';
import '@shoelace-style/shoelace/dist/components/select/select.js';
import '@shoelace-style/shoelace/dist/components/option/option.js';
import '@shoelace-style/shoelace/dist/components/button/button.js';

const select = document.getElementById('country');
for (const [code, name] of window.XKW.list) {
  const option = document.createElement('sl-option');
  option.value = code;
  option.textContent = name;
  select.appendChild(option);
}
