// MUI Autocomplete whose listbox is virtualised with react-window, as in MUI's documentation:
// only the rows in view exist in the document.
import {Children, cloneElement, createContext, forwardRef, useContext} from 'react';
import {createRoot} from 'react-dom/client';
import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';
import {FixedSizeList} from 'react-window';

const {list} = window.XKW;
const ROW = 36;
const Outer = createContext({});
// The listbox props MUI hands over carry their own scroll handler: both must hear the scroll.
const OuterElement = forwardRef(function OuterElement(props, ref) {
  const outer = useContext(Outer);
  const onScroll = (e) => { props.onScroll?.(e); outer.onScroll?.(e); };
  return <div ref={ref} {...props} {...outer} onScroll={onScroll} />;
});

const Listbox = forwardRef(function Listbox({children, ...other}, ref) {
  const items = Children.toArray(children);
  return (
    <div ref={ref}>
      <Outer.Provider value={other}>
        <FixedSizeList itemData={items} itemCount={items.length} itemSize={ROW}
          height={Math.min(8, items.length) * ROW + 16} width="100%" overscanCount={4}
          outerElementType={OuterElement} innerElementType="ul">
          {({data, index, style}) => cloneElement(data[index], {style: {...style, top: style.top + 8}})}
        </FixedSizeList>
      </Outer.Provider>
    </div>
  );
});

function Form() {
  return (
    <form action="/address" method="post">
      <div className="field"><TextField fullWidth id="city" name="city" label="City" /></div>
      <div className="field">
        <Autocomplete id="country" disableListWrap options={list} getOptionLabel={(r) => r[1]}
          getOptionKey={(r) => r[0]} slots={{listbox: Listbox}}
          renderInput={(params) => <TextField {...params} label="Country" name="country" />} />
      </div>
      <button className="primary" type="submit">Save address</button>
    </form>
  );
}

createRoot(document.getElementById('app')).render(<Form />);
