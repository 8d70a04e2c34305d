// Live Thai word counts for templates with limits (award write-up). The server counts, so the live
// number is the number enforced on save. Without this file the form still works.
document.addEventListener("DOMContentLoaded", () => {
  const body = document.querySelector("textarea[data-wordcount-url]");
  const panel = document.getElementById("wordcounts");
  if (!body || !panel || !body.dataset.wordcountUrl) return;
  const form = body.form;
  const template = form.querySelector("input[name=template]");
  const csrf = form.querySelector("input[name=csrf_token]");
  let timer = null;
  let inflight = null;

  function render(sections) {
    sections.forEach((s) => {
      const item = panel.querySelector(`[data-section="${CSS.escape(s.key)}"]`);
      if (!item) return;
      item.querySelector(".count").textContent = s.count.toLocaleString("en-US");
      item.classList.toggle("over", s.over);
    });
    panel.dataset.updated = String(Date.now());
  }

  function update() {
    if (inflight) inflight.abort();
    inflight = new AbortController();
    const headers = { "Content-Type": "application/json", "Accept": "application/json" };
    if (csrf) headers["X-CSRFToken"] = csrf.value;
    fetch(body.dataset.wordcountUrl, {
      method: "POST", headers, credentials: "same-origin", signal: inflight.signal,
      body: JSON.stringify({ template: template ? template.value : "", body: body.value }),
    })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => { if (data && data.sections) render(data.sections); })
      .catch(() => {});
  }

  body.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
});
