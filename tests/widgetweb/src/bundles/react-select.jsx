// React Select over the page's list (a dial-code picker for the xk381 variant).
import {createRoot} from 'react-dom/client';
import Select from 'react-select';

const {list, variant} = window.XKW;
const phone = variant === 'xk381';
const options = list.map(([code, name]) => ({value: code, label: name}));

function Form() {
  return (
    <form action="/register" method="post">
      <div className="field"><label htmlFor="email">Email</label>
        <input type="email" id="email" name="email" /></div>
      <div className="field"><label htmlFor="country-input">{phone ? 'Country code' : 'Country'}</label>
        <Select inputId="country-input" name="country" options={options}
          classNamePrefix="country" placeholder="Select…" /></div>
      {phone && <div className="field"><label htmlFor="phone">Phone</label>
        <input type="tel" id="phone" name="phone" /></div>}
      <button className="primary" type="submit">Continue</button>
    </form>
  );
}

createRoot(document.getElementById('app')).render(<Form />);
