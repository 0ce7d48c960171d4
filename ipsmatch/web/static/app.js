// ipsmatch workspace: the only script besides htmx (no inline script: the CSP forbids it).
// The pages work without it.
document.addEventListener("click", function (ev) {
  var el = ev.target.closest ? ev.target.closest("[data-print]") : null;
  if (el) { ev.preventDefault(); window.print(); }
});
