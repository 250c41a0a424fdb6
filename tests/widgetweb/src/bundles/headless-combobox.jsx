// Headless UI's Combobox (v2), styled by the page.
import {useState} from 'react';
import {createRoot} from 'react-dom/client';
import {Combobox, ComboboxButton, ComboboxInput, ComboboxOption, ComboboxOptions, Field, Label}
  from '@headlessui/react';

const {list} = window.XKW;

function Country() {
  const [selected, setSelected] = useState(null);
  const [query, setQuery] = useState('');
  const shown = query === '' ? list
    : list.filter((r) => r[1].toLowerCase().includes(query.toLowerCase()));
  return (
    <Field className="field">
      <Label className="label">Country</Label>
      <Combobox value={selected} onChange={setSelected} onClose={() => setQuery('')} name="country">
        <div className="hl-box">
          <ComboboxInput className="hl-input" displayValue={(r) => (r ? r[1] : '')}
            onChange={(e) => setQuery(e.target.value)} placeholder="Choose a country" />
          <ComboboxButton className="hl-button">▾</ComboboxButton>
        </div>
        <ComboboxOptions anchor="bottom start" className="hl-options">
          {shown.map((r) => (
            <ComboboxOption key={r[0]} value={r} className="hl-option">{r[1]}</ComboboxOption>
          ))}
        </ComboboxOptions>
      </Combobox>
    </Field>
  );
}

function Form() {
  return (
    <form action="/signup" method="post">
      <div className="field"><label htmlFor="email">Email</label>
        <input type="email" id="email" name="email" /></div>
      <Country />
      <button className="primary" type="submit">Sign up</button>
    </form>
  );
}

createRoot(document.getElementById('app')).render(<Form />);
