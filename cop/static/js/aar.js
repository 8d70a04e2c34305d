// AAR archive: a print button on the print layout (the page prints fine without it),
// and a confirmation before deleting a whole AAR.
(function () {
  "use strict";
  document.querySelectorAll("[data-aar-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("form.aar-delete").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var message = document.documentElement.lang === "th" ? "ลบ AAR นี้ทั้งหมดหรือไม่" : "Delete this whole AAR?";
      if (!window.confirm(message)) { event.preventDefault(); }
    });
  });
})();
