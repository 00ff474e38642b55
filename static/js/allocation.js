// Allocation page: drag an exhibitor (a booth on the map, or a line of the "no booth yet" list) onto a free
// booth; the move goes through the same service as the form, and the page reloads to show the result.
// Its texts come from the page (data-text-*), in the interface language.
(function () {
  "use strict";
  const map = document.querySelector(".allocation-map");
  if (!map) return;
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const status = document.querySelector(".allocation-status");
  let dragged = null;

  function boothAt(event) {
    const target = document.elementFromPoint(event.clientX, event.clientY);
    return target ? target.closest(".fp-booth") : null;
  }

  function move(applicationId, booth) {
    status.textContent = map.dataset.textMoving;
    fetch(map.dataset.moveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ application_id: Number(applicationId), booth_ids: [Number(booth.dataset.boothId)] }),
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (answer.ok) {
        window.location.reload();
      } else {
        status.textContent = (answer.body.error && answer.body.error.message) || answer.body.message || map.dataset.textFailed;
      }
    }).catch(function () { status.textContent = map.dataset.textOffline; });
  }

  // Pointer drag on the SVG: press on an occupied booth, release on another booth.
  map.addEventListener("pointerdown", function (event) {
    const booth = event.target.closest(".fp-booth[data-application-id]");
    if (!booth) return;
    dragged = booth.dataset.applicationId;
    booth.classList.add("fp-booth--dragging");
    event.preventDefault();
  });
  document.addEventListener("pointerup", function (event) {
    if (!dragged) return;
    const from = map.querySelector(".fp-booth--dragging");
    if (from) from.classList.remove("fp-booth--dragging");
    const booth = boothAt(event);
    const applicationId = dragged;
    dragged = null;
    if (booth && booth.dataset.applicationId !== applicationId) move(applicationId, booth);
  });

  // HTML drag and drop from the list of exhibitors without a booth.
  document.querySelectorAll(".allocation-unplaced [draggable]").forEach(function (item) {
    item.addEventListener("dragstart", function (event) {
      event.dataTransfer.setData("text/plain", item.dataset.applicationId);
    });
  });
  map.addEventListener("dragover", function (event) { event.preventDefault(); });
  map.addEventListener("drop", function (event) {
    event.preventDefault();
    const booth = boothAt(event);
    const applicationId = event.dataTransfer.getData("text/plain");
    if (booth && applicationId) move(applicationId, booth);
  });
})();
