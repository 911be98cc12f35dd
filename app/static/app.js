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
