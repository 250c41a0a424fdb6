// Ant Design's Select: its drop-down list is virtual by default (rc-virtual-list).
import {createRoot} from 'react-dom/client';
import {Select} from 'antd';

const {list} = window.XKW;
const options = list.map(([code, name]) => ({value: code, label: name}));

function Form() {
  return (
    <form action="/account" method="post">
      <div className="field"><label htmlFor="name">Full name</label>
        <input type="text" id="name" name="name" /></div>
      <div className="field"><label htmlFor="country">Country</label>
        <Select id="country" showSearch optionFilterProp="label" options={options}
          placeholder="Select a country" style={{width: '100%'}} /></div>
      <button className="primary" type="submit">Save</button>
    </form>
  );
}

createRoot(document.getElementById('app')).render(<Form />);
