// keyperson's page: progress while a plan is made, dropping a workbook on the page, the print button.
// Everything works without it too (reload to see progress; choose the file and press Open).
"use strict";

function watchProgress() {
  const box = document.getElementById("progress");
  if (!box) return;
  const text = document.getElementById("progress-text");
  const tick = async () => {
    try {
      const reply = await fetch("/progress?job=" + encodeURIComponent(box.dataset.job), {credentials: "same-origin"});
      const p = await reply.json();
      if (p.state === "done") { window.location.reload(); return; }
      if (p.state === "waiting") {
        text.textContent = "Waiting for " + p.ahead + " other plan" + (p.ahead === 1 ? "" : "s") +
          " to finish first: keyperson works on one at a time.";
      } else {
        text.textContent = p.seconds + " s so far. " +
          (p.best === null ? "No plan found yet." : "Best plan so far: " + p.best + " points.");
        if (!box.querySelector("form")) { window.location.reload(); return; }  // it started: show Stop
      }
    } catch (e) { /* the server is busy or stopping: try again */ }
    window.setTimeout(tick, 1000);
  };
  window.setTimeout(tick, 700);
}

function dropWorkbook() {
  const form = document.getElementById("open-form");
  if (!form) return;
  const input = form.querySelector("input[type=file]");
  ["dragenter", "dragover"].forEach(e => document.addEventListener(e, ev => {
    ev.preventDefault(); form.classList.add("dragging");
  }));
  document.addEventListener("dragleave", () => form.classList.remove("dragging"));
  document.addEventListener("drop", ev => {
    ev.preventDefault();
    form.classList.remove("dragging");
    if (ev.dataTransfer && ev.dataTransfer.files.length) {
      input.files = ev.dataTransfer.files;
      form.submit();
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  watchProgress();
  dropWorkbook();
  document.querySelectorAll(".print-button").forEach(b => b.addEventListener("click", () => window.print()));
});
