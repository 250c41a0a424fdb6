// Downshift's useCombobox hook: the page renders the menu, downshift wires it up.
import {useState} from 'react';
import {createRoot} from 'react-dom/client';
import {useCombobox} from 'downshift';

const {list} = window.XKW;

function Country() {
  const [items, setItems] = useState(list);
  const {isOpen, getLabelProps, getInputProps, getToggleButtonProps, getMenuProps, getItemProps,
         highlightedIndex} = useCombobox({
    items,
    itemToString: (r) => (r ? r[1] : ''),
    onInputValueChange: ({inputValue}) => setItems(
      list.filter((r) => r[1].toLowerCase().startsWith((inputValue || '').toLowerCase()))),
  });
  return (
    <div className="field ds">
      <label {...getLabelProps()}>Country</label>
      <div className="ds-box">
        <input {...getInputProps({placeholder: 'Pick a country'})} />
        <button type="button" aria-label="toggle menu" {...getToggleButtonProps()}>▾</button>
      </div>
      <ul className="ds-menu" {...getMenuProps()} style={{display: isOpen ? 'block' : 'none'}}>
        {isOpen && items.map((r, index) => (
          <li key={r[0]} className={highlightedIndex === index ? 'ds-hi' : ''}
            {...getItemProps({item: r, index})}>{r[1]}</li>
        ))}
      </ul>
    </div>
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
