// Self-booking: a click on a free booth of the map ticks or unticks its box in the pick form (the form works
// without this script too).
(() => {
  const form = document.querySelector("form[data-selfbooking]");
  const map = document.querySelector(".floorplan--pick");
  if (!form || !map) return;
  const boxes = new Map([...form.querySelectorAll('input[name="booth_ids"]')].map((box) => [box.value, box]));
  const mark = () => {
    map.querySelectorAll("[data-booth-id]").forEach((booth) => {
      const box = boxes.get(booth.dataset.boothId);
      booth.classList.toggle("fp-booth--pickable", Boolean(box));
      booth.classList.toggle("fp-booth--picked", Boolean(box && box.checked));
    });
  };
  map.addEventListener("click", (event) => {
    const booth = event.target.closest("[data-booth-id]");
    const box = booth && boxes.get(booth.dataset.boothId);
    if (!box) return;
    box.checked = !box.checked;
    mark();
  });
  form.addEventListener("change", mark);
  mark();
})();
