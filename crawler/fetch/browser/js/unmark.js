() => {
  /*@XK_HELPERS*/
  for (const el of XK.qsa('[data-xk-probe], [data-xk-shot], [data-xk-type]')) {
    el.removeAttribute('data-xk-probe');
    el.removeAttribute('data-xk-shot');
    el.removeAttribute('data-xk-type');
  }
  return true;
}
