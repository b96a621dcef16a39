// The review page's behaviour: evidence highlighting, the lines form, keyboard shortcuts.
// Plain JS, no libraries. Note text is only ever touched through classes and textContent, never innerHTML.
"use strict";

(function () {
  const form = document.getElementById("decision-form");

  function spansFor(ref) {
    if (!ref) return [];
    return Array.from(document.querySelectorAll(".note-text .ev")).filter(
      (el) => el.dataset.refs.split(" ").includes(ref));
  }

  function light(ref, on) {
    spansFor(ref).forEach((el) => el.classList.toggle("lit", on));
  }

  function showWhy(row) {
    const why = document.getElementById("why");
    if (!why) return;
    why.replaceChildren();
    const title = document.createElement("strong");
    const code = row.querySelector(".cpt");
    title.textContent = (code ? code.value : "") + (row.dataset.suggested ? " (suggested " + row.dataset.suggested + ")" : "");
    const text = document.createElement("p");
    text.textContent = row.dataset.rationale || "";
    why.append(title, text);
  }

  // hover or focus a line, a warning or an unbilled intervention: its evidence lights up
  document.querySelectorAll("[data-ref]").forEach(bindItem);

  function bindItem(item) {
    const on = () => {
      light(item.dataset.ref, true);
      item.classList.add("active");
      if (item.classList.contains("line")) showWhy(item);
      const first = spansFor(item.dataset.ref)[0];
      if (first && item.matches(":focus-within")) first.scrollIntoView({ block: "nearest" });
    };
    // after the event, so that leaving by mouse while the focus stays (or the reverse) keeps the highlight
    const off = () => setTimeout(() => {
      if (item.matches(":hover, :focus-within")) return;
      light(item.dataset.ref, false);
      item.classList.remove("active");
    }, 0);
    item.addEventListener("mouseenter", on);
    item.addEventListener("mouseleave", off);
    item.addEventListener("focusin", on);
    item.addEventListener("focusout", off);
  }

  // hover a highlighted piece of text: the lines and warnings it supports light up
  document.querySelectorAll(".note-text .ev").forEach((el) => {
    const items = () => el.dataset.refs.split(" ").flatMap(
      (ref) => Array.from(document.querySelectorAll('[data-ref="' + ref + '"]')));
    el.addEventListener("mouseenter", () => items().forEach((i) => i.classList.add("active")));
    el.addEventListener("mouseleave", () => items().forEach((i) => i.classList.remove("active")));
  });

  if (form) {
    const rows = document.getElementById("line-rows");
    const template = document.getElementById("new-line");
    document.getElementById("add-line").addEventListener("click", () => {
      const used = Array.from(rows.querySelectorAll("input[name$='-cpt']"), (i) => Number(i.name.split("-")[1]));
      const next = Math.max(-1, ...used) + 1;  // a row number no other row has
      const row = template.content.firstElementChild.cloneNode(true);
      row.querySelectorAll("[name]").forEach((input) => {
        input.name = input.name.replace("__N__", String(next));
      });
      rows.append(row);
      bindItem(row);
      row.querySelector(".cpt").focus();
    });

    // mark what the coder changed, so the form shows at a glance what differs from the suggestion
    form.addEventListener("input", (event) => {
      const row = event.target.closest("tr.line");
      if (row) row.classList.add("changed");
    });
    form.addEventListener("change", (event) => {
      const target = event.target;
      if (target.name && target.name.endsWith("-remove")) {
        target.closest("tr").classList.toggle("removed", target.checked);
      }
      if (target.name && target.name.endsWith("-dismiss")) {
        const item = target.closest("li");
        item.classList.toggle("dismissed", target.checked);
        const reason = item.querySelector(".reason");
        reason.required = target.checked;
        if (target.checked) reason.focus();
      }
    });
  }

  // keyboard: j/k next/previous, n next to review, a accept, e edit, ? help
  const help = document.getElementById("help");
  document.querySelectorAll("[data-help]").forEach((b) => b.addEventListener("click", () => { help.hidden = !help.hidden; }));
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, textarea, select");
    if (event.key === "Escape") {
      if (typing) event.target.blur();
      if (help) help.hidden = true;
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const link = document.querySelector('[data-key="' + event.key + '"]');
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    } else if (event.key === "a" && form) {
      event.preventDefault();
      form.requestSubmit(document.getElementById("accept"));
    } else if (event.key === "e" && form) {
      event.preventDefault();
      const first = form.querySelector(".cpt");
      if (first) { first.focus(); first.select(); }
    } else if (event.key === "?" && help) {
      event.preventDefault();
      help.hidden = !help.hidden;
    }
  });
})();
