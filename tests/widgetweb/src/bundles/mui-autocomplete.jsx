// MUI Autocomplete over the page's list.
import {createRoot} from 'react-dom/client';
import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';

const {list} = window.XKW;

function Form() {
  return (
    <form action="/address" method="post">
      <div className="field"><TextField fullWidth id="street" name="street" label="Street" /></div>
      <div className="field">
        <Autocomplete id="country" options={list} getOptionLabel={(r) => r[1]}
          getOptionKey={(r) => r[0]}
          renderInput={(params) => <TextField {...params} label="Country" name="country" />} />
      </div>
      <button className="primary" type="submit">Save address</button>
    </form>
  );
}

createRoot(document.getElementById('app')).render(<Form />);
