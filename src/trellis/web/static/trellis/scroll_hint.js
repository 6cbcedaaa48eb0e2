// Shows the hint that a wide table scrolls sideways while it does: a region marked
// `data-scroll-hint="<id of the hint>"` reveals that element whenever its content is wider than the
// region itself (on load and on every resize), and hides it when everything fits. Loaded as a file of
// our own origin, so the strict content security policy needs no inline script.
(function () {
  "use strict";

  function update() {
    document.querySelectorAll("[data-scroll-hint]").forEach(function (region) {
      var hint = document.getElementById(region.getAttribute("data-scroll-hint"));
      if (hint) {
        hint.hidden = region.scrollWidth <= region.clientWidth;
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("resize", update);
})();
