// Warns before leaving a page whose editor form holds text not yet saved (the authoring editor's
// forms, `form.editor-form`, and any form marked `data-warn-unsaved`). Loaded from base.html as a
// file of our own origin, so the strict content security policy needs no inline script.
//
// Typing or changing a field marks the page dirty; submitting one of these forms clears it (the
// text is on its way to the server). While dirty, leaving the page (a link, reload, closing the
// tab) asks the browser for its "leave site?" confirmation.
(function () {
  "use strict";

  var SELECTOR = "form.editor-form, form[data-warn-unsaved]";
  var dirty = false;

  function watched(element) {
    var form = element && element.form;
    return Boolean(form && form.matches(SELECTOR));
  }

  function markDirty(event) {
    if (watched(event.target)) {
      dirty = true;
    }
  }

  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);
  document.addEventListener("submit", function (event) {
    if (event.target instanceof HTMLFormElement && event.target.matches(SELECTOR)) {
      dirty = false;
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = ""; // older browsers show the dialog only when this is set
    }
  });
})();
