// jiti: a little script where it plainly helps; every page works without it.
"use strict";
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});
document.addEventListener("click", function (e) {
  if (e.target.hasAttribute("data-print")) window.print();
});
