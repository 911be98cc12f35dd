// Optional enhancement: ask before submitting forms marked data-confirm.
// Everything works without this file.
document.addEventListener("submit", function (ev) {
  var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { ev.preventDefault(); }
});
// Move focus to an error summary so screen-reader users hear it first.
window.addEventListener("DOMContentLoaded", function () {
  var s = document.querySelector(".error-summary[tabindex]");
  if (s) { s.focus(); }
});
// A running import's page reloads itself every two seconds; without
// JavaScript the "Refresh" link does the same by hand.
window.addEventListener("DOMContentLoaded", function () {
  if (document.querySelector("[data-autorefresh]")) {
    setTimeout(function () { window.location.reload(); }, 2000);
  }
});
