// react-phone-number-input with the library's own country list and English labels.
import {useState} from 'react';
import {createRoot} from 'react-dom/client';
import PhoneInput, {getCountries} from 'react-phone-number-input';
import en from 'react-phone-number-input/locale/en.json';
import flags from 'react-phone-number-input/flags';
import 'react-phone-number-input/style.css';

const {list, variant} = window.XKW;
let countries;
let labels = en;
if (variant === 'noxk') countries = getCountries().filter((c) => c !== 'XK');
if (variant === 'short') countries = list.map((r) => r[0]);
if (variant === 'xkrs') labels = {...en, XK: 'Kosovo (Serbia)'};

function Form() {
  const [value, setValue] = useState();
  return (
    <form action="/phone" method="post">
      <div className="field"><label htmlFor="phone">Phone number</label>
        <PhoneInput id="phone" name="phone" placeholder="Enter phone number"
          defaultCountry={variant === 'short' ? 'DE' : 'US'} countries={countries}
          labels={labels} flags={flags} value={value} onChange={setValue} /></div>
      <button className="primary" type="submit">Send code</button>
    </form>
  );
}

createRoot(document.getElementById('app')).render(<Form />);
