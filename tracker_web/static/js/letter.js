// The letter page: copy buttons, and an anonymous count when a send link is used.
// No inline script anywhere (the CSP forbids it): this file is all there is.
(function () {
  "use strict";
  var status = document.querySelector(".copy-status");
  var tallyForm = document.querySelector(".tally-form");

  function say(key) {
    if (status) { status.textContent = status.getAttribute(key) || ""; }
  }

  function count(channel) {
    if (!tallyForm) { return; }
    var data = new FormData(tallyForm);
    data.set("channel", channel);
    try {
      fetch(tallyForm.action, {
        method: "POST", body: data, keepalive: true, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).catch(function () {});
    } catch (e) { /* counting must never stop a letter */ }
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Older browsers and plain-http test servers: the selection route.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var body = document.getElementById(button.getAttribute("data-copy"));
      var subjectId = button.getAttribute("data-copy-subject");
      var subject = subjectId ? document.getElementById(subjectId) : null;
      var text = (subject ? subject.value + "\n\n" : "") + (body ? body.value : "");
      copyText(text).then(function () { say("data-copied"); },
                          function () { say("data-failed"); });
    });
  });

  document.querySelectorAll("[data-tally]").forEach(function (element) {
    element.addEventListener("click", function () {
      count(element.getAttribute("data-tally"));
    });
  });
})();
