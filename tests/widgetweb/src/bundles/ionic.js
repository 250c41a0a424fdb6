// Ionic's <ion-select>: opening it shows an <ion-alert> whose choices are role=radio buttons.
import '@ionic/core/css/core.css';
import '@ionic/core/css/structure.css';
import '@ionic/core/css/typography.css';
import {initialize} from '@ionic/core/components';
import {defineCustomElement as defineApp} from '@ionic/core/components/ion-app.js';
import {defineCustomElement as defineSelect} from '@ionic/core/components/ion-select.js';
import {defineCustomElement as defineOption} from '@ionic/core/components/ion-select-option.js';
import {defineCustomElement as defineAlert} from '@ionic/core/components/ion-alert.js';

initialize({mode: 'md'});
defineApp();
defineSelect();
defineOption();
defineAlert();

const select = document.getElementById('country');
for (const [code, name] of window.XKW.list) {
  const option = document.createElement('ion-select-option');
  option.value = code;
  option.textContent = name;
  select.appendChild(option);
}
