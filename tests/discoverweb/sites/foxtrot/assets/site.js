// The signup dialog's form and the account menu are drawn only when asked for.
document.getElementById("open-signup").addEventListener("click", function () {
  fetch("/fragments/signup.html").then(function (r) { return r.text(); }).then(function (html) {
    var dialog = document.getElementById("signup-dialog");
    dialog.innerHTML = html;
    dialog.showModal();
  });
});
document.getElementById("account-button").addEventListener("click", function () {
  var menu = document.getElementById("account-menu");
  menu.innerHTML = '<li role="none"><a role="menuitem" href="/verify-phone">Verify your phone number</a></li>' +
                   '<li role="none"><a role="menuitem" href="/logout">Log out</a></li>';
  menu.hidden = false;
  this.setAttribute("aria-expanded", "true");
});
