// The live document as HTML, with every open shadow root serialised in place as
// ``<template shadowrootmode="open">`` (Chromium >= 125); ``null`` means "use page.content()".
() => {
  /*@XK_HELPERS*/
  const de = document.documentElement;
  if (!de || typeof de.getHTML !== 'function') return null;
  const shadowRoots = XK.roots().slice(1);
  let doctype = '';
  const dt = document.doctype;
  if (dt) {
    doctype = '<!DOCTYPE ' + dt.name
      + (dt.publicId ? ' PUBLIC "' + dt.publicId + '"' : '')
      + (dt.systemId ? (dt.publicId ? '' : ' SYSTEM') + ' "' + dt.systemId + '"' : '') + '>\n';
  }
  const esc = (v) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  let attrs = '';
  for (const a of de.attributes) attrs += ' ' + a.name + '="' + esc(a.value) + '"';
  const inner = de.getHTML({serializableShadowRoots: true, shadowRoots});
  return doctype + '<' + de.localName + attrs + '>' + inner + '</' + de.localName + '>';
}
