// MUI Autocomplete that asks the server as the visitor types (debounced), the "search as
// you type" pattern of MUI's documentation.
import {useEffect, useState} from 'react';
import {createRoot} from 'react-dom/client';
import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';

const {variant} = window.XKW;

function Country() {
  const [input, setInput] = useState('');
  const [options, setOptions] = useState([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (!input.trim()) { setOptions([]); return undefined; }
    let live = true;
    setLoading(true);
    const timer = setTimeout(() => {
      fetch(`/api/countries?limit=50&list=${variant}&q=${encodeURIComponent(input)}`)
        .then((r) => r.json())
        .then((rows) => { if (live) { setOptions(rows); setLoading(false); } });
    }, 300);
    return () => { live = false; clearTimeout(timer); };
  }, [input]);
  return (
    <Autocomplete id="country" options={options} filterOptions={(x) => x} loading={loading}
      getOptionLabel={(o) => o.name} isOptionEqualToValue={(a, b) => a.code === b.code}
      noOptionsText="Type to search" onInputChange={(_, value) => setInput(value)}
      renderInput={(params) => <TextField {...params} label="Country" name="country" />} />
  );
}

function Form() {
  return (
    <form action="/address" method="post">
      <div className="field"><TextField fullWidth id="city" name="city" label="City" /></div>
      <div className="field"><Country /></div>
      <button className="primary" type="submit">Save address</button>
    </form>
  );
}

createRoot(document.getElementById('app')).render(<Form />);
