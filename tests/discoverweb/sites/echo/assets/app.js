// Draws the whole page after load, as single-page apps do.
window.addEventListener("DOMContentLoaded", function () {
  var app = document.getElementById("app");
  app.innerHTML =
    '<header><a href="/">Echo</a><nav>' +
    '<a href="/pricing">Pricing</a> <a href="/careers">Careers</a> ' +
    '<a href="/signup" class="cta">Sign up</a></nav></header>' +
    '<main><h1>Notes that follow you</h1></main>';
});
