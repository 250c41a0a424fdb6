// A form that shows its country only on a later step: the visible, empty, required boxes of
// the step a person is on (marked ``data-xk-fill``) and the one button that moves to the
// next step (marked ``data-xk-next``). A button is that only if it says next/continue in
// the page's words and nothing of submitting, paying, buying, registering, signing up or
// confirming; a submit button (or a form's button without a type) never is, nor a link.
(arg) => {
  /*@XK_HELPERS*/
  const NEXT = new RegExp('^[^\\p{L}]*(next|continue|proceed|go on|next step|weiter|fortfahren|suivant'
    + '|continuer|siguiente|continuar|seguir|avanti|continua|prossimo|próximo|proximo|volgende'
    + '|verder|doorgaan|dalej|další|další|pokračovat|tovább|vazhdo|tjetër|tjeter|dalje'
    + '|sledeće|sledece|следеће|даље|далее|продолжить|nästa|fortsätt|næste|neste|seuraava'
    + '|jatka|次へ|下一步|继续|繼續|다음|التالي|متابعة|הבא|İleri|ileri|devam)(?!\\p{L})', 'iu');
  const NEVER = new RegExp('submit|send|pay|buy|purchase|order|checkout|check out|register'
    + '|regist|sign ?up|signup|join|create|subscribe|confirm|finish|complete|done|book|reserve'
    + '|place|donate|apply|save|delete|remove|log ?in|sign ?in|accept|agree|upload|verify'
    + '|absenden|senden|kaufen|bestellen|zahlen|bezahlen|anmelden|registrieren|bestätigen'
    + '|envoyer|payer|acheter|commander|inscri|valider|confirmer|enviar|pagar|comprar'
    + '|registr|confirmar|invia|paga|acquista|conferma|dërgo|paguaj|blej|regjistroh|konfirmo'
    + '|pošalji|plati|kupi|potvrdi|пошаљи|плати|купи|потврди|регистр', 'i');
  for (const el of XK.qsa('[data-xk-fill], [data-xk-next]')) {
    el.removeAttribute('data-xk-fill');
    el.removeAttribute('data-xk-next');
  }
  const origin = location.origin;
  const buttons = XK.qsa('button, [role=button], input[type=button]').filter((b) => {
    if (!XK.seen(b) || b.disabled || b.getAttribute('aria-disabled') === 'true') return false;
    if (b.localName === 'button') {
      const type = (b.getAttribute('type') || '').toLowerCase();
      if (type === 'submit' || type === 'reset' || (!type && b.form)) return false;
    }
    const link = b.closest('a[href]');
    if (link) {
      const href = link.getAttribute('href') || '';
      if (!href.startsWith('#') && new URL(href, location.href).origin !== origin) return false;
      if (!href.startsWith('#')) return false;  // a link navigates: not a step of this form
    }
    if (b.getAttribute('formaction')) return false;
    const words = XK.clean((b.innerText || b.value || '') + ' ' + (b.getAttribute('aria-label') || ''));
    return words.length <= 40 && NEXT.test(words) && !NEVER.test(words);
  });
  if (buttons.length !== 1 && !(buttons.length > 1 && arg.first)) {
    return {next: null, fields: [], why: buttons.length ? 'several next buttons' : 'no next button'};
  }
  const next = buttons[0];
  next.setAttribute('data-xk-next', '1');
  const scope = next.closest('form, fieldset, [role=form], section, main') || document.body;
  const fields = [];
  const boxes = scope.querySelectorAll(
    'input:not([type]), input[type=text], input[type=email], input[type=tel], input[type=url],'
    + ' input[type=search], input[type=number], textarea');
  for (const el of boxes) {
    if (fields.length >= 12) break;
    if (!XK.seen(el) || el.disabled || el.readOnly || el.value) continue;
    if (!(el.required || el.getAttribute('aria-required') === 'true')) continue;
    const ac = (el.getAttribute('autocomplete') || '').toLowerCase();
    if (/cc-|password|one-time-code/.test(ac)) continue;
    const words = XK.describe(el).toLowerCase();
    if (/card|cvc|cvv|iban|password|passwort|ssn|tax/.test(words)) continue;
    const index = fields.length;
    el.setAttribute('data-xk-fill', String(index));
    fields.push({index, type: (el.getAttribute('type') || 'text').toLowerCase(), words,
                 name: el.getAttribute('name') || el.id || ''});
  }
  return {next: XK.clean(next.innerText || next.value || next.getAttribute('aria-label') || ''),
          fields};
}
