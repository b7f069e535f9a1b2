// The side panel shows a passage when the reader asks for it, and only then.
//
// Why: Chainlit 2.12 opens the side panel by itself whenever new side elements
// arrive (after every answer, and when a conversation is reloaded). It then shows
// every cited passage of the whole conversation under the name of the last one,
// so "[2]" would head a passage that belongs to an earlier answer. A reader who
// clicks a marker ([n], "Passage n") gets exactly that passage; anything else
// that opens or refills the panel is undone at once (before the browser paints,
// because mutation observers run before rendering).
(() => {
  "use strict";
  const CLICK_WINDOW_MS = 1500;
  let lastMarkerClick = 0;
  let shown = "";

  document.addEventListener(
    "click",
    (event) => {
      if (event.target instanceof Element && event.target.closest(".element-link")) {
        lastMarkerClick = Date.now();
      }
    },
    true,
  );

  // What the panel shows now: its title and its passages, or "" when it is closed.
  const panelState = () => {
    const title = document.getElementById("side-view-title");
    const content = document.getElementById("side-view-content");
    if (!title || !content) return "";
    return `${title.textContent}\u0000${content.childElementCount}`;
  };

  const closePanel = () => {
    const title = document.getElementById("side-view-title");
    if (!title) return;
    // Wide screens: the back arrow in the title bar.
    const back = title.querySelector("button");
    if (back) {
      back.click();
      return;
    }
    // Narrow screens show the panel as a dialog sheet, which closes on Escape.
    const sheet = title.closest("[role=dialog]");
    if (sheet) sheet.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
  };

  const observer = new MutationObserver(() => {
    const state = panelState();
    if (state === shown) return;
    shown = state;
    if (state && Date.now() - lastMarkerClick > CLICK_WINDOW_MS) closePanel();
  });

  const start = () => observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
