// react-phone-input-2 with the library's own country list (it marks every row
// data-dial-code="1"; the code a person reads is the text beside the name).
import {useState} from 'react';
import {createRoot} from 'react-dom/client';
import PhoneInput from 'react-phone-input-2';
import 'react-phone-input-2/lib/style.css';

const {list, variant} = window.XKW;
const props = {country: 'us'};
if (variant === 'noxk') props.excludeCountries = ['xk'];
if (variant === 'short') {
  props.onlyCountries = list.map((r) => r[0].toLowerCase());
  props.country = 'de';
}
if (variant === 'xkrs') props.localization = {xk: 'Kosovo (Serbia)'};

function Form() {
  const [value, setValue] = useState('');
  return (
    <form action="/phone" method="post">
      <div className="field"><label htmlFor="phone">Phone number</label>
        <PhoneInput {...props} value={value} onChange={setValue}
          inputProps={{id: 'phone', name: 'phone'}} /></div>
      <button className="primary" type="submit">Send code</button>
    </form>
  );
}

createRoot(document.getElementById('app')).render(<Form />);
