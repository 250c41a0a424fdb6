// Close whatever a probe opened when Escape was not enough (an outside mousedown/click).
() => {
  /*@XK_HELPERS*/
  const still = XK.freshOptions().filter((o) => o.isConnected && XK.visible(o));
  if (!still.length) return 0;
  const target = document.body || document.documentElement;
  for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) {
    const Ev = type.startsWith('pointer') ? PointerEvent : MouseEvent;
    target.dispatchEvent(new Ev(type, {bubbles: true, cancelable: true, composed: true,
                                      clientX: 1, clientY: 1}));
  }
  return XK.freshOptions().filter((o) => o.isConnected && XK.visible(o)).length;
}
