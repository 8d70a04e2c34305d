// Suggestions while writing: after a pause in typing, ask /api/v1/suggest for likely PMQA categories and
// activity codes (one click adds one) and, for questions, similar content to read first. Without this file
// the form works as before.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("suggestions");
  const similar = document.getElementById("similar");
  if (!panel) return;
  const form = panel.closest("form") || document.querySelector("form");
  const field = (name) => form.querySelector(`[name="${name}"]`);
  const title = field(panel.dataset.title);
  const texts = panel.dataset.text.split(",").filter(Boolean).map(field).filter(Boolean);
  const codes = field(panel.dataset.codes);
  const csrf = form.querySelector("input[name=csrf_token]");
  const names = JSON.parse(panel.dataset.names || "{}");
  const catList = panel.querySelector(".suggest-categories");
  const codeList = panel.querySelector(".suggest-codes");
  let timer = null;
  let inflight = null;
  let lastSent = "";

  function categoryBoxes(key) {
    return form.querySelectorAll(`input[type=checkbox][name="${panel.dataset.categories}"][value="${CSS.escape(key)}"]`);
  }

  function splitList(value) {
    return value.split(/[,;]/).map((v) => v.trim()).filter(Boolean);
  }

  function hasCategory(key) {
    const boxes = categoryBoxes(key);
    if (boxes.length) return Array.from(boxes).some((b) => b.checked);
    const text = field(panel.dataset.categories);
    return text ? splitList(text.value).includes(key) : false;
  }

  function addCategory(key) {
    const boxes = categoryBoxes(key);
    if (boxes.length) { boxes.forEach((b) => { b.checked = true; }); return; }
    const text = field(panel.dataset.categories);
    if (text && !hasCategory(key)) text.value = splitList(text.value).concat([key]).join(", ");
  }

  function hasCode(code) {
    return codes ? splitList(codes.value).map((c) => c.toUpperCase().replace(/[\s.-]/g, "")).includes(code) : false;
  }

  function addCode(code) {
    if (codes && !hasCode(code)) codes.value = splitList(codes.value).concat([code]).join(", ");
  }

  function item(label, why, added, add) {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.className = "suggest-label";
    name.textContent = label;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn secondary";
    const mark = (done) => {
      button.textContent = done ? panel.dataset.labelAdded : panel.dataset.labelAdd;
      button.disabled = done;
      button.setAttribute("aria-label", `${done ? panel.dataset.labelAdded : panel.dataset.labelAdd}: ${label}`);
    };
    mark(added);
    button.addEventListener("click", () => { add(); mark(true); });
    const reason = document.createElement("span");
    reason.className = "suggest-why";
    reason.textContent = `${panel.dataset.labelWhy} ${why.join(", ")}`;
    li.append(name, button, reason);
    return li;
  }

  function render(data) {
    catList.replaceChildren(...data.categories.map((c) =>
      item((names.categories || {})[c.key] || c.key, c.why, hasCategory(c.key), () => addCategory(c.key))));
    codeList.replaceChildren(...data.codes.map((c) =>
      item((names.codes || {})[c.code] || c.code, c.why, hasCode(c.code), () => addCode(c.code))));
    panel.querySelector(".suggest-categories-h").hidden = !data.categories.length;
    panel.querySelector(".suggest-codes-h").hidden = !data.codes.length;
    panel.hidden = !(data.categories.length || data.codes.length);
    if (similar) {
      const list = similar.querySelector(".similar-list");
      list.replaceChildren(...data.similar.map((s) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = s.url;
        a.textContent = s.title;
        li.append(a);
        return li;
      }));
      similar.hidden = !data.similar.length;
    }
    panel.dataset.updated = String(Date.now());
  }

  function update() {
    const body = { title: title ? title.value : "", text: texts.map((t) => t.value).join("\n\n") };
    const key = JSON.stringify(body);
    if (key === lastSent) return;
    lastSent = key;
    if (inflight) inflight.abort();
    inflight = new AbortController();
    const headers = { "Content-Type": "application/json", "Accept": "application/json" };
    if (csrf) headers["X-CSRFToken"] = csrf.value;
    fetch(panel.dataset.suggestUrl, {
      method: "POST", headers, credentials: "same-origin", signal: inflight.signal, body: key,
    })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => { if (data && data.categories) render(data); })
      .catch(() => {});
  }

  const schedule = () => { clearTimeout(timer); timer = setTimeout(update, 700); };
  [title, ...texts].filter(Boolean).forEach((el) => el.addEventListener("input", schedule));
  if ((title && title.value) || texts.some((t) => t.value)) schedule();
});
