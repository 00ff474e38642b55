// Check-in dashboard: fetch the numbers every few seconds and update the page in place (no reload).
(() => {
  const root = document.getElementById("checkin-dashboard");
  if (!root) {
    return;
  }
  const url = root.dataset.url;
  const interval = Math.max(5, Number(root.dataset.interval) || 10) * 1000;
  const SVG = "http://www.w3.org/2000/svg";

  function flatten(data) {
    const values = {
      generated_label: data.generated_label,
      "no_shows.count": data.no_shows.count,
      "refused.total": data.refused.total,
      "arrivals.max": data.arrivals.max,
    };
    for (const item of data.lists) {
      for (const key of ["checked_in", "admissible", "percent"]) {
        values[`lists.${item.id}.${key}`] = item[key];
      }
    }
    for (const item of data.categories) {
      for (const key of ["registered", "checked_in", "percent"]) {
        values[`categories.${item.id}.${key}`] = item[key];
      }
    }
    return values;
  }

  function svgElement(name, attributes, text) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) {
      element.setAttribute(key, String(value));
    }
    if (text !== undefined) {
      element.textContent = text;
    }
    return element;
  }

  function drawChart(arrivals) {
    const chart = document.getElementById("arrivals-chart");
    const group = chart && chart.querySelector("[data-chart-bars]");
    if (!group) {
      return;
    }
    const slots = arrivals.slots;
    const step = slots.length <= 12 ? 1 : 4;
    group.replaceChildren();
    slots.forEach((slot, index) => {
      const height = arrivals.max ? Math.round((1000 * slot.count) / arrivals.max) / 10 : 0;
      const bar = svgElement("rect", { x: index * 24 + 3, y: 115 - height, width: 18, height, fill: "#2f6f4e" });
      bar.appendChild(svgElement("title", {}, `${slot.label}: ${slot.count}`));
      group.appendChild(bar);
      if (index % step === 0) {
        group.appendChild(svgElement("text", { x: index * 24 + 12, y: 132, "font-size": 10, "text-anchor": "middle",
          fill: "#555" }, slot.label));
      }
    });
    chart.setAttribute("viewBox", `0 0 ${Math.max(slots.length, 1) * 24} 140`);
    const empty = document.querySelector("[data-chart-empty]");
    if (empty) {
      empty.hidden = slots.length > 0;
    }
  }

  function drawRefused(refused) {
    const body = root.querySelector("[data-refused]");
    if (!body) {
      return;
    }
    body.replaceChildren(...refused.by_result.map((item) => {
      const row = document.createElement("tr");
      for (const text of [item.label, item.count]) {
        const cell = document.createElement("td");
        cell.textContent = String(text);
        row.appendChild(cell);
      }
      return row;
    }));
  }

  function apply(data) {
    const values = flatten(data);
    for (const element of document.querySelectorAll("[data-stat]")) {
      const value = values[element.dataset.stat];
      if (value !== undefined && element.textContent !== String(value)) {
        element.textContent = String(value);
      }
    }
    drawChart(data.arrivals);
    drawRefused(data.refused);
  }

  async function refresh() {
    if (document.hidden) {
      return;
    }
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        apply(await response.json());
        root.classList.remove("stale");
      } else {
        root.classList.add("stale");
      }
    } catch (error) {
      root.classList.add("stale");  // offline for a moment: keep the last numbers, try again next time
    }
  }

  window.setInterval(refresh, interval);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) {
      refresh();
    }
  });
})();
