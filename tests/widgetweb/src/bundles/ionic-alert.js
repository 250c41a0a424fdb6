// A country chosen in an Ionic alert of radio buttons (alertController), opened by an
// <ion-button>: no select, no listbox, only a popup of role=radio choices.
import '@ionic/core/css/core.css';
import '@ionic/core/css/structure.css';
import '@ionic/core/css/typography.css';
import {alertController, initialize} from '@ionic/core/components';
import {defineCustomElement as defineAlert} from '@ionic/core/components/ion-alert.js';
import {defineCustomElement as defineButton} from '@ionic/core/components/ion-button.js';

initialize({mode: 'md'});
defineAlert();
defineButton();

const button = document.getElementById('country-button');
const chosen = document.getElementById('country');
button.addEventListener('click', async () => {
  const alert = await alertController.create({
    header: 'Country',
    inputs: window.XKW.list.map(([code, name]) => ({type: 'radio', label: name, value: code})),
    buttons: ['Cancel', {text: 'OK', handler: (value) => { chosen.value = value || ''; }}],
  });
  await alert.present();
});
