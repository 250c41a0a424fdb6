// Vuetify's VAutocomplete in a small Vue app; its menu draws rows through VVirtualScroll.
import {createApp, h, ref} from 'vue';
import {createVuetify} from 'vuetify';
import {VApp, VAutocomplete, VBtn, VMain, VTextField} from 'vuetify/components';
import 'vuetify/styles';

const {list} = window.XKW;
const items = list.map(([code, name]) => ({code, name}));

const App = {
  setup() {
    const country = ref(null);
    return () => h(VApp, null, () => h(VMain, null, () => h('form',
      {action: '/profile', method: 'post', class: 'pa-2'}, [
        h(VTextField, {label: 'Full name', name: 'name'}),
        h(VAutocomplete, {label: 'Country', name: 'country', items, itemTitle: 'name',
                          itemValue: 'code', modelValue: country.value,
                          'onUpdate:modelValue': (v) => { country.value = v; }}),
        h(VBtn, {type: 'submit', color: 'primary', block: true}, () => 'Save profile'),
      ])));
  },
};

createApp(App).use(createVuetify({components: {VApp, VAutocomplete, VBtn, VMain, VTextField}}))
  .mount('#app');
