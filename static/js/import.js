// Runs a confirmed import in small steps with a progress bar, so a long list never times out.
// Without JavaScript the same form posts to the confirm route, which imports everything at once.
(() => {
  const form = document.querySelector("form[data-import-step]");
  if (!form || !window.fetch) {
    return;
  }
  const button = form.querySelector("button[type=submit]");
  const bar = form.querySelector("progress");
  const status = form.querySelector("[data-import-status]");
  const token = document.querySelector('meta[name="csrf-token"]').content;

  const step = async () => {
    const response = await fetch(form.dataset.importStep, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
    });
    const body = await response.json();
    if (!response.ok) {
      throw new Error(body.error ? body.error.message : response.statusText);
    }
    return body;
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    bar.hidden = false;
    try {
      for (;;) {
        const body = await step();
        bar.max = Math.max(body.total, 1);
        bar.value = body.total ? body.processed : 1;
        status.textContent = body.message;
        if (body.done) {
          window.location.assign(body.next);
          return;
        }
      }
    } catch (error) {
      status.textContent = error.message;
      button.disabled = false;
    }
  });
})();
