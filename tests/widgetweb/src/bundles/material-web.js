// Material Web's <md-outlined-select> with <md-select-option> children (Lit components).
import '@material/web/select/outlined-select.js';
import '@material/web/select/select-option.js';
import '@material/web/button/filled-button.js';

const select = document.getElementById('country');
for (const [code, name] of window.XKW.list) {
  const option = document.createElement('md-select-option');
  option.value = code;
  const headline = document.createElement('div');
  headline.slot = 'headline';
  headline.textContent = name;
  option.appendChild(headline);
  select.appendChild(option);
}
