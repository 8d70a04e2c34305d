// Progressive enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Confirm destructive actions marked with data-confirm.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // Filter boxes fold away on a phone only: where the list has a side column, keep them open.
  if (window.matchMedia("(min-width: 56rem)").matches) {
    document.querySelectorAll("details.filter-box").forEach((box) => { box.open = true; });
  }
});
