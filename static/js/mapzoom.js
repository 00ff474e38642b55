// Pan and zoom for a published booth map: the SVG fits the screen's width, and its viewBox moves with the
// buttons, a drag, a two-finger pinch or ctrl + wheel (a trackpad's pinch). At full view the page still scrolls
// over the map; once zoomed in, a drag pans the map instead.
(function () {
  "use strict";
  document.querySelectorAll("[data-map-zoom]").forEach(function (box) {
    const svg = box.querySelector("svg");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) return;
    const b = svg.viewBox.baseVal;
    const full = { x: b.x, y: b.y, w: b.width, h: b.height };
    const view = { x: full.x, y: full.y, w: full.w, h: full.h };
    const MAX_ZOOM = 8;

    function apply() {
      view.w = Math.min(full.w, Math.max(full.w / MAX_ZOOM, view.w));
      view.h = view.w * full.h / full.w;
      view.x = Math.min(Math.max(view.x, full.x), full.x + full.w - view.w);
      view.y = Math.min(Math.max(view.y, full.y), full.y + full.h - view.h);
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (n) { return n.toFixed(2); }).join(" "));
      const zoomed = view.w < full.w - 0.5;
      svg.style.touchAction = zoomed ? "none" : "pan-y";
      box.classList.toggle("is-zoomed", zoomed);
    }

    function unitsPerPixel() { return view.w / (svg.getBoundingClientRect().width || 1); }

    function toMap(clientX, clientY) {
      const r = svg.getBoundingClientRect();
      return { x: view.x + (clientX - r.left) * unitsPerPixel(), y: view.y + (clientY - r.top) * unitsPerPixel() };
    }

    function zoom(factor, centre) {
      const c = centre || { x: view.x + view.w / 2, y: view.y + view.h / 2 };
      const w = Math.min(full.w, Math.max(full.w / MAX_ZOOM, view.w / factor));
      const ratio = w / view.w;
      view.x = c.x - (c.x - view.x) * ratio;
      view.y = c.y - (c.y - view.y) * ratio;
      view.w = w;
      apply();
    }

    box.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        const how = button.dataset.zoom;
        if (how === "in") zoom(1.6);
        else if (how === "out") zoom(1 / 1.6);
        else { view.x = full.x; view.y = full.y; view.w = full.w; apply(); }
      });
    });

    svg.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) return;  // a plain wheel scrolls the page
      event.preventDefault();
      zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, toMap(event.clientX, event.clientY));
    }, { passive: false });

    const pointers = new Map();
    let pinch = null;
    svg.addEventListener("pointerdown", function (event) {
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pointers.size === 2) {
        const [p, q] = Array.from(pointers.values());
        pinch = { distance: Math.hypot(p.x - q.x, p.y - q.y), width: view.w };
      }
    });
    svg.addEventListener("pointermove", function (event) {
      const last = pointers.get(event.pointerId);
      if (!last) return;
      const now = { x: event.clientX, y: event.clientY };
      if (pointers.size === 2 && pinch) {
        pointers.set(event.pointerId, now);
        const [p, q] = Array.from(pointers.values());
        const distance = Math.hypot(p.x - q.x, p.y - q.y);
        if (distance > 0) zoom(view.w / (pinch.width * pinch.distance / distance), toMap((p.x + q.x) / 2, (p.y + q.y) / 2));
        return;
      }
      if (view.w >= full.w - 0.5) { pointers.set(event.pointerId, now); return; }  // nothing to pan at full view
      const scale = unitsPerPixel();
      view.x -= (now.x - last.x) * scale;
      view.y -= (now.y - last.y) * scale;
      pointers.set(event.pointerId, now);
      apply();
      event.preventDefault();
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (type) {
      svg.addEventListener(type, function (event) {
        pointers.delete(event.pointerId);
        if (pointers.size < 2) pinch = null;
      });
    });
    // A search's booths are shown up close: the view fits them (with a margin), never beyond the whole plan.
    const found = svg.querySelectorAll(".fp-booth--found");
    if (found.length) {
      const boxes = Array.from(found).map(function (g) { return g.getBBox(); });
      const left = Math.min.apply(null, boxes.map(function (r) { return r.x; }));
      const top = Math.min.apply(null, boxes.map(function (r) { return r.y; }));
      const right = Math.max.apply(null, boxes.map(function (r) { return r.x + r.width; }));
      const bottom = Math.max.apply(null, boxes.map(function (r) { return r.y + r.height; }));
      const margin = 60;
      view.w = Math.max(right - left + 2 * margin, (bottom - top + 2 * margin) * full.w / full.h);
      view.x = (left + right) / 2 - view.w / 2;
      view.y = (top + bottom) / 2 - view.w * full.h / full.w / 2;
    }
    apply();
  });
})();
