// Floor-plan editor: drag a booth to move it, drag its corner handle to resize it, snapping to 0.5 m.
// Each change is saved through the editor's JSON endpoint, which applies the same rules as the forms;
// a refused change (overlap, outside the hall) puts the booth back and shows the server's message.
(() => {
  const editor = document.getElementById("editor");
  const svg = editor && editor.querySelector("svg.floorplan");
  if (!svg) return;
  const NS = "http://www.w3.org/2000/svg";
  const scale = parseFloat(svg.dataset.scale);
  const margin = parseFloat(svg.dataset.margin);
  const snap = parseFloat(editor.dataset.snap) || 0.5;
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const messages = editor.querySelector(".floorplan-messages");

  const metres = (value) => Math.round(value / snap) * snap;
  const number = (value) => String(Math.round(value * 100) / 100);

  function say(text, kind) {
    messages.textContent = text;
    messages.className = `floorplan-messages flash flash-${kind}`;
  }

  function box(booth) {
    const d = booth.dataset;
    return { x: +d.x, y: +d.y, width: +d.width, depth: +d.depth };
  }

  // Redraw a booth's shapes and labels from a rectangle in metres.
  function draw(booth, r) {
    const x = margin + r.x * scale, y = margin + r.y * scale, w = r.width * scale, h = r.depth * scale;
    booth.querySelectorAll("rect").forEach((rect) => {
      if (rect.classList.contains("fp-handle")) {
        rect.setAttribute("x", x + w - 12);
        rect.setAttribute("y", y + h - 12);
        return;
      }
      rect.setAttribute("x", x);
      rect.setAttribute("y", y);
      rect.setAttribute("width", w);
      rect.setAttribute("height", h);
    });
    const code = booth.querySelector(".fp-booth__code");
    const name = booth.querySelector(".fp-booth__name");
    if (code) {
      code.setAttribute("x", x + w / 2);
      code.setAttribute("y", y + parseFloat(code.getAttribute("font-size")) + 3);
    }
    if (name) {
      const codeSize = code ? parseFloat(code.getAttribute("font-size")) : 0;
      name.setAttribute("y", y + codeSize + 6 + parseFloat(name.getAttribute("font-size")));
      [name, ...name.querySelectorAll("tspan")].forEach((part) => part.setAttribute("x", x + w / 2));
    }
  }

  function point(event) {
    const p = svg.createSVGPoint();
    p.x = event.clientX;
    p.y = event.clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }

  async function save(booth, r) {
    const url = editor.dataset.placeUrl.replace("/booths/0/", `/booths/${booth.dataset.boothId}/`);
    const body = { x_m: r.x, y_m: r.y, width_m: r.width, depth_m: r.depth };
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch (error) {
      return { ok: false, message: editor.dataset.offlineMessage };
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) return { ok: false, message: (data.error && data.error.message) || editor.dataset.errorMessage };
    return { ok: true, booth: data.booth };
  }

  function syncRow(saved) {
    const row = document.getElementById(`booth-${saved.id}`);
    if (!row) return;
    ["x_m", "y_m", "width_m", "depth_m"].forEach((name) => {
      const input = row.querySelector(`input[name="${name}"]`);
      if (input) input.value = number(saved[name]);
    });
  }

  svg.querySelectorAll(".fp-booth").forEach((booth) => {
    const handle = document.createElementNS(NS, "rect");
    handle.setAttribute("class", "fp-handle");
    handle.setAttribute("width", 12);
    handle.setAttribute("height", 12);
    booth.appendChild(handle);
    draw(booth, box(booth));
  });

  let drag = null;

  svg.addEventListener("pointerdown", (event) => {
    const booth = event.target.closest(".fp-booth");
    if (!booth || event.button !== 0) return;
    event.preventDefault();
    const start = point(event);
    drag = { booth, start, from: box(booth), to: box(booth), resize: event.target.classList.contains("fp-handle") };
    booth.classList.add("fp-booth--dragging");
    svg.setPointerCapture(event.pointerId);
  });

  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const p = point(event);
    const dx = (p.x - drag.start.x) / scale, dy = (p.y - drag.start.y) / scale;
    const f = drag.from;
    drag.to = drag.resize
      ? { x: f.x, y: f.y, width: Math.max(snap, metres(f.width + dx)), depth: Math.max(snap, metres(f.depth + dy)) }
      : { x: Math.max(0, metres(f.x + dx)), y: Math.max(0, metres(f.y + dy)), width: f.width, depth: f.depth };
    draw(drag.booth, drag.to);
  });

  async function finish() {
    if (!drag) return;
    const { booth, from, to } = drag;
    drag = null;
    booth.classList.remove("fp-booth--dragging");
    if (from.x === to.x && from.y === to.y && from.width === to.width && from.depth === to.depth) return;
    const result = await save(booth, to);
    if (!result.ok) {
      draw(booth, from);
      say(result.message, "error");
      return;
    }
    const saved = result.booth;
    Object.assign(booth.dataset, { x: number(saved.x_m), y: number(saved.y_m), width: number(saved.width_m),
      depth: number(saved.depth_m) });
    draw(booth, box(booth));
    syncRow(saved);
    say(editor.dataset.savedMessage.replace("{code}", saved.code), "success");
  }

  svg.addEventListener("pointerup", finish);
  svg.addEventListener("pointercancel", () => {
    if (drag) draw(drag.booth, drag.from);
    drag = null;
  });
})();
