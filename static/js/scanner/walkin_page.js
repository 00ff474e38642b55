// The walk-in form's offline side on the scanner page: the CCCD pre-fill, the provisional ticket, the queue and what
// the server answered once it came back. The rules live in walkins.js; this file only touches the page.
import { createWalkInSync, parseCccd, pendingWalkIns, queueWalkIn, restoreWalkIns } from "./walkins.js";

export function setupOfflineWalkIns({ state, store, call, online, gate, t, $, doc = document }) {
  restoreWalkIns(state, store);

  function render() {
    const pending = pendingWalkIns(state);
    $("sc-walkin-pending").hidden = pending === 0;
    $("sc-walkin-pending").textContent = t("walkInPending", { count: pending });
    const lines = [
      ...state.walkIns.done.map((d) => t(d.merged ? "walkInMerged" : d.overflow ? "walkInOverflow" : "walkInRegistered",
        { name: d.full_name })),
      ...state.walkIns.problems.map((p) => t("walkInProblem", { name: p.full_name,
        message: (p.error && p.error.message) || "" })),
    ];
    $("sc-walkin-outcomes").replaceChildren(...lines.map((line) => {
      const item = doc.createElement("li");
      item.textContent = line;
      return item;
    }));
  }

  const sync = createWalkInSync({ state, store, call, online, onDone: render });

  // A QR scanner that types, or a paste: the fields are filled here and the raw text is cleared at once.
  $("sc-walkin-cccd").addEventListener("input", (event) => {
    const filled = parseCccd(event.target.value);
    if (!filled) {
      return;
    }
    event.target.value = "";
    $("sc-walkin-name").value = filled.full_name;
    $("sc-walkin-birth-year").value = filled.birth_year || "";
    $("sc-walkin-gender").value = filled.gender;
    $("sc-walkin-province").value = filled.province;
  });

  // Called by the walk-in form when the network is away: queued with a provisional ticket shown at once.
  function queueOffline(body) {
    const person = { ...body, gender: $("sc-walkin-gender").value, province: $("sc-walkin-province").value.trim() };
    const year = parseInt($("sc-walkin-birth-year").value, 10);
    if (year) {
      person.birth_year = year;
    }
    const item = queueWalkIn(state, store, person, { gate: gate() });
    $("sc-walkin-provisional").hidden = false;
    $("sc-walkin-provisional").textContent = t("walkInProvisional", { code: item.provisional, name: item.full_name });
    render();
    return item;
  }

  render();
  return { queueOffline, sync, render };
}
