// The portal's filter panel starts folded on phones (the events come first) and open on wider screens.
(function () {
  "use strict";
  if (!window.matchMedia("(min-width: 760px)").matches) return;
  document.querySelectorAll("details[data-open-wide]").forEach(function (panel) { panel.open = true; });
})();
