// The reset link's secret is in the URL fragment, which browsers never send: move it into the form, then out of
// the address bar (and so out of history).
const input = document.getElementById("reset-token");
if (input && !input.value && window.location.hash.length > 1) {
  input.value = window.location.hash.slice(1);
  history.replaceState(null, "", window.location.pathname);
}
