// A "print" button on report pages (inline handlers are not allowed by the CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
