// React Select's AsyncSelect: options exist only once the visitor types.
import {createRoot} from 'react-dom/client';
import AsyncSelect from 'react-select/async';

const {variant} = window.XKW;

function load(query) {
  return fetch(`/api/countries?limit=50&list=${variant}&q=${encodeURIComponent(query)}`)
    .then((r) => r.json())
    .then((rows) => rows.map((r) => ({value: r.code, label: r.name})));
}

function Form() {
  return (
    <form action="/register" method="post">
      <div className="field"><label htmlFor="email">Email</label>
        <input type="email" id="email" name="email" /></div>
      <div className="field"><label htmlFor="country-input">Country</label>
        <AsyncSelect inputId="country-input" name="country" cacheOptions loadOptions={load}
          placeholder="Type your country…" /></div>
      <button className="primary" type="submit">Continue</button>
    </form>
  );
}

createRoot(document.getElementById('app')).render(<Form />);
