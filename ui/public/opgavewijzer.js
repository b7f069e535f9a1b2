// Opgavewijzer's additions to the Chainlit page (Chainlit 2.12 ships its frontend prebuilt,
// so what it leaves out is added here, on the live page).
//
// 1. The side panel shows a passage when the reader asks for it, and only then.
//    Chainlit opens the side panel by itself whenever new side elements arrive (after
//    every answer, and when a conversation is reloaded). It then shows every cited
//    passage of the whole conversation under the name of the last one, so "[2]" would
//    head a passage that belongs to an earlier answer. A reader who clicks or presses
//    Enter on a marker ([n], "Passage n") gets exactly that passage; anything else that
//    opens or refills the panel is undone at once (before the browser paints, because
//    mutation observers run before rendering).
// 2. Accessibility (WCAG 2.1 AA): Dutch names for Chainlit's icon buttons, the page
//    language, a skip link, a level-one heading, landmarks, the side panel usable by
//    keyboard (focus moves into it, Escape closes it, focus returns to the marker),
//    answers announced to screen readers when they are complete, and English passages
//    marked as English. Every change is an attribute or an element outside React's tree
//    (one exception: the English lead-in of an answer, see markLeadIn), and it is applied
//    again whenever Chainlit redraws.
(() => {
  "use strict";

  // ---------------------------------------------------------------- language of the page
  // The HTML template says lang="en"; everything on the page is Dutch unless marked otherwise.
  document.documentElement.lang = "nl";

  // Mirrors detect_language in opgavewijzer/text.py, so the page marks a text as English
  // exactly when the assistant would answer it in English.
  const EN_WORDS = new Set(("the what how why which who does do did is are was were of and to according guide " +
    "report about should can could would you your my i we our their this that these those when where mean " +
    "means between with from for by its it").split(" "));
  const NL_WORDS = new Set(("de het een wat hoe waarom welke welk wie wanneer waar van en zijn volgens ik je jij " +
    "wij we ons onze mijn bij voor over niet ook dat die dit deze er naar met om kan kun moet wordt worden " +
    "heeft hebben zegt gaat eigenlijk nou").split(" "));
  const languageOf = (text) => {
    const tokens = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
    let english = 0;
    let dutch = 0;
    for (const t of tokens) {
      if (EN_WORDS.has(t)) english += 1;
      if (NL_WORDS.has(t)) dutch += 1;
    }
    return english >= 2 && english > dutch ? "en" : "nl";
  };

  // ---------------------------------------------------------------- small DOM helpers
  const setAttr = (el, name, value) => {
    if (value === null) {
      if (el.hasAttribute(name)) el.removeAttribute(name);
    } else if (el.getAttribute(name) !== value) {
      el.setAttribute(name, value);
    }
  };
  const each = (selector, fn) => document.querySelectorAll(selector).forEach(fn);
  const MARKER = "a.element-link";
  const PANEL_BOX = "#side-view-title"; // wide screens: inside the panel's card; narrow: the sheet's title

  // ---------------------------------------------------------------- names for unnamed controls
  // Chainlit shows these names only as tooltips (which are not accessible names) or not at all.
  const LABELS = [
    ["#new-chat-button", "Nieuwe chat"],
    ["#search-chats-button", "Zoeken in eerdere chats"],
    ["#sidebar-trigger-button", "Zijbalk met eerdere chats"],
    ["#chat-profiles", "Chatprofiel"],
    ["#chat-settings-open-modal", "Instellingen"],
    ["#chat-submit", "Vraag versturen"],
    ["#stop-button", "Antwoord stoppen"],
    ["#theme-toggle", "Kleurenschema"],
    ["#user-nav-button", "Gebruikersmenu"],
    ["#side-view-title > button", "Passage sluiten"],
    [".positive-feedback-on, .positive-feedback-off", "Nuttig"],
    [".negative-feedback-on, .negative-feedback-off", "Niet nuttig"],
    ["button:has(> svg.lucide-copy), button:has(> svg.lucide-check)", "Antwoord kopiëren"],
    ["button:has(> svg.lucide-message-circle)", "Feedback bewerken"],
    ["button[data-sidebar=rail]", "Zijbalk tonen of verbergen"],
    ["button:has(> svg.lucide-arrow-down)", "Naar het nieuwste bericht"],
  ];
  // English screen-reader texts inside Chainlit's own components.
  const ENGLISH_SR_TEXT = { Close: "Sluiten", "Toggle theme": "Kleurenschema", "Toggle Sidebar": "Zijbalk" };

  const nameControls = () => {
    for (const [selector, label] of LABELS) each(selector, (el) => setAttr(el, "aria-label", label));
    each(".positive-feedback-on, .negative-feedback-on", (el) => setAttr(el, "aria-pressed", "true"));
    each(".positive-feedback-off, .negative-feedback-off", (el) => setAttr(el, "aria-pressed", "false"));
    each("button > .sr-only", (span) => {
      const dutch = ENGLISH_SR_TEXT[span.textContent.trim()];
      if (!dutch) return;
      setAttr(span.parentElement, "aria-label", dutch);
      setAttr(span, "aria-hidden", "true");
    });
    each("section[aria-label^='Notifications']", (el) => setAttr(el, "aria-label", "Meldingen"));
    const sidebar = document.querySelector("[data-side][data-state]");
    const toggle = document.getElementById("sidebar-trigger-button");
    if (sidebar && toggle) setAttr(toggle, "aria-expanded", String(sidebar.dataset.state === "expanded"));
    // Login: the eye button beside the password.
    const password = document.getElementById("password");
    const eye = password && password.parentElement.querySelector("button[type=button]");
    if (eye) setAttr(eye, "aria-label", password.type === "password" ? "Wachtwoord tonen" : "Wachtwoord verbergen");
    // Settings: the buttons that remove a chosen document, and the slider.
    each("[role=dialog] .space-y-2 .rounded-full.border > button", (button) => {
      setAttr(button, "aria-label", `Niet zoeken in: ${button.parentElement.textContent.trim()}`);
    });
    each("[role=dialog] .space-y-2", (field) => {
      const label = field.querySelector(":scope > label[for]");
      if (!label) return;
      if (!label.id) label.id = `label-${label.htmlFor}`;
      field.querySelectorAll("[role=slider], [cmdk-input]").forEach((el) => setAttr(el, "aria-labelledby", label.id));
    });
    // Avatars are named "Avatar for X" in English; the name alone says who is speaking.
    each("img[alt^='Avatar for ']", (img) => setAttr(img, "alt", img.alt.slice("Avatar for ".length)));
    each("img.logo", (img) => setAttr(img, "alt", "Opgavewijzer"));
    each("img[alt=Image]", (img) => setAttr(img, "alt", ""));
    each(MARKER, (a) => {
      const n = a.textContent.trim().match(/^\[(\d+)\]$/);
      setAttr(a, "aria-label", n ? `Bron ${n[1]}` : null);
    });
  };

  // ---------------------------------------------------------------- ARIA that Chainlit gets wrong
  const repairAria = () => {
    // The document search of the settings says its list is open and names a list that is not there.
    each("[cmdk-input][aria-controls]", (input) => {
      if (!document.getElementById(input.getAttribute("aria-controls"))) {
        input.removeAttribute("aria-controls");
        setAttr(input, "aria-expanded", "false");
      }
    });
    // The panel divider points at a panel id that is not an element id.
    each("[data-resize-handle][aria-controls]", (handle) => {
      if (!document.getElementById(handle.getAttribute("aria-controls"))) handle.removeAttribute("aria-controls");
    });
    // The chat history wraps its lists in a list that holds no items of its own.
    each("ul[data-sidebar=menu]:has(> #thread-history)", (ul) => setAttr(ul, "role", "none"));
    // The "..." menu of a chat in the history sits inside the chat's link, where it cannot get
    // keyboard focus; it is opened with Shift+F10 on the link instead (see onKeydown).
    each("#thread-options", (el) => {
      setAttr(el, "aria-hidden", "true");
      const link = el.closest("a");
      if (link) setAttr(link, "aria-keyshortcuts", "Shift+F10");
      const button = el.closest("button");
      if (button && link) setAttr(button, "tabindex", "-1"); // one tab stop per chat: the link
    });
    // A step ("Zoeken in de bronnen") is headed h3 right under the page's h1; it is a level-two part.
    each("[data-step-type] h3[data-orientation]", (h) => setAttr(h, "aria-level", "2"));
    each("[data-sidebar=sidebar]", (el) => {
      setAttr(el, "role", "navigation");
      setAttr(el, "aria-label", "Eerdere chats");
    });
    // The login page has no main landmark.
    const form = document.querySelector("#root form");
    if (form && document.getElementById("password")) setAttr(form.closest("#root > div"), "role", "main");
  };

  // ---------------------------------------------------------------- English passages
  const BLOCKS = ".message-content [role=article], .message-content li, .message-content pre, " +
    ".message-content h1, .message-content h2, .message-content h3, .message-content td, .message-content th";
  // An answer to an English question may open with an English lead-in and go on with Dutch quotes
  // in one paragraph ("According to the essay …: “Op basis van …” [1]"). The lead-in then gets a span
  // of its own with lang="en". React keeps its text node (now holding only the quotes) in place, so
  // its updates still land; if it writes the full text again, the span is removed (healLeadIns).
  const LEAD = "data-ow-lead";
  const markLeadIn = (block) => {
    if (block.querySelector(`[${LEAD}]`)) return;
    const first = block.firstChild;
    if (!first || first.nodeType !== Node.TEXT_NODE) return;
    const cut = first.nodeValue.indexOf("\u201c");
    if (cut <= 0) return;
    const lead = first.nodeValue.slice(0, cut);
    if (languageOf(lead) !== "en" || languageOf(block.textContent) === "en") return;
    const span = document.createElement("span");
    span.lang = "en";
    span.setAttribute(LEAD, "");
    span.textContent = lead;
    first.nodeValue = first.nodeValue.slice(cut);
    block.insertBefore(span, first);
  };
  const healLeadIns = () => each(`[${LEAD}]`, (span) => {
    const next = span.nextSibling;
    if (!next || next.nodeType !== Node.TEXT_NODE || next.nodeValue.startsWith(span.textContent)) span.remove();
  });
  const markLanguages = () => {
    healLeadIns();
    const streaming = busy(); // never split text React is still writing
    each(BLOCKS, (el) => {
      setAttr(el, "lang", languageOf(el.textContent) === "en" ? "en" : null);
      if (!streaming && el.closest('[data-step-type="assistant_message"]')) markLeadIn(el);
    });
  };

  // ---------------------------------------------------------------- skip link, heading, live region
  const top = document.createElement("header");
  top.id = "ow-top";
  top.innerHTML =
    '<a class="ow-skip-link" href="#chat-input"></a>' +
    '<h1 class="ow-sr-only">Opgavewijzer: vragen over opgavegericht werken</h1>' +
    '<div id="ow-live" class="ow-sr-only" role="status" aria-live="polite" aria-atomic="true"></div>';
  const skip = top.querySelector("a");
  const heading = top.querySelector("h1");
  const live = top.querySelector("#ow-live");

  skip.addEventListener("click", (event) => {
    const target = document.querySelector(skip.getAttribute("href"));
    if (!target) return;
    event.preventDefault();
    target.focus();
  });

  const updateTop = () => {
    const onLogin = !!document.querySelector("#root form #password");
    setAttr(skip, "href", onLogin ? "#email" : "#chat-input");
    const text = onLogin ? "Naar het inlogformulier" : "Naar het invoerveld";
    if (skip.textContent !== text) skip.textContent = text;
    heading.hidden = onLogin; // the login form has a heading of its own
  };

  // Tell screen readers when an answer is being made and, once it is complete, what it says.
  // Chainlit is busy while its stop button shows or a blinking cursor does (a streaming message
  // ends in one; the stop button itself appears only after the chat's first exchange is stored).
  // A reply to a question or a button is announced once, when Chainlit is no longer busy.
  const busy = () => !!document.querySelector("#stop-button, .loading-cursor");
  const REPLIES = '[data-step-type="assistant_message"] .message-content';
  let running = false;
  let waitingSince = null; // the id of the last reply when the reader asked something, or null
  const lastReply = () => {
    const replies = document.querySelectorAll(REPLIES);
    return replies[replies.length - 1] || null;
  };
  const replyId = (reply) => (reply && reply.closest("[id^=step-]") ? reply.closest("[id^=step-]").id : "");
  let announcedId = ""; // the reply whose text was read last
  const announce = (text, id = null) => {
    setAttr(live, "lang", languageOf(text) === "en" ? "en" : null);
    live.textContent = text;
    if (id !== null) announcedId = id; // "werkt aan een antwoord" leaves it: nothing new was read
  };
  // Chainlit may show its stop button a moment after an answer was read (when it stores the chat's first
  // exchange). That busy spell brings no new reply and no question was asked since: the answer read
  // before is what the live region says again, instead of "werkt aan een antwoord" for good.
  const askedSince = (reply) => {
    const asked = document.querySelectorAll('[data-step-type="user_message"]');
    const question = asked[asked.length - 1];
    return !!(question && reply && (reply.compareDocumentPosition(question) & Node.DOCUMENT_POSITION_FOLLOWING));
  };
  const expectReply = () => {
    if (waitingSince === null) waitingSince = replyId(lastReply());
  };
  const followAnswers = () => {
    const now = busy();
    if (now !== running) {
      running = now;
      if (running) {
        expectReply();
        announce("Opgavewijzer werkt aan een antwoord…");
        return;
      }
    }
    if (running || waitingSince === null) return;
    const reply = lastReply();
    const text = reply ? reply.innerText.trim() : "";
    if (!text) return;
    if (replyId(reply) === waitingSince) {
      if (replyId(reply) === announcedId && !askedSince(reply)) {
        waitingSince = null;
        announce(text, replyId(reply));
      }
      return;
    }
    waitingSince = null;
    announce(text, replyId(reply));
  };
  // What counts as asking: Enter in the question box, the send button, a starter, a button of a message.
  document.addEventListener("keydown", (event) => {
    const box = event.target instanceof Element && event.target.closest("#chat-input");
    if (box && event.key === "Enter" && !event.shiftKey && box.value.trim()) expectReply();
  }, true);
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("#chat-submit, [id^=starter-], .ai-message button[id]")) {
      expectReply();
    }
  }, true);

  // ---------------------------------------------------------------- the side panel
  // A panel that appears this soon after a marker was activated was asked for; later ones Chainlit opened
  // itself and are closed. Generous, because a busy server can take seconds to show the passage.
  const CLICK_WINDOW_MS = 5000;
  let lastMarkerClick = 0;
  let opener = null; // the marker that opened the panel, to return to
  let openedByReader = false;
  let outsideFocus = null; // the last focused element outside the panel
  let shown = "";

  const inPanel = (el) => !!(el && el.closest && el.closest("aside, [role=dialog]:has(#side-view-title)"));

  document.addEventListener(
    "click",
    (event) => {
      const marker = event.target instanceof Element && event.target.closest(MARKER);
      if (marker) {
        lastMarkerClick = Date.now();
        const step = marker.closest("[id^=step-]");
        const same = step ? [...step.querySelectorAll(MARKER)].filter((m) => m.textContent === marker.textContent) : [];
        opener = { el: marker, step: step && step.id, text: marker.textContent, index: same.indexOf(marker) };
      }
    },
    true,
  );
  document.addEventListener("focusin", (event) => {
    if (!inPanel(event.target)) outsideFocus = event.target;
  });

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

  // Wide screens: the card that scrolls the passage gets a name and takes focus, so a keyboard
  // reader lands in the passage. (Narrow screens: the sheet is a dialog that takes focus itself.)
  const focusPanel = () => {
    const title = document.getElementById("side-view-title");
    if (!title || !title.querySelector("button")) return;
    const card = title.parentElement;
    const name = [...title.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join("").trim();
    setAttr(card, "role", "region");
    setAttr(card, "aria-label", `Bronpassage ${name}`);
    setAttr(card, "tabindex", "-1");
    card.focus({ preventScroll: true });
  };

  const markerToReturnTo = () => {
    if (!opener) return null;
    if (opener.el.isConnected) return opener.el;
    const step = opener.step && document.getElementById(opener.step);
    const same = step ? [...step.querySelectorAll(MARKER)].filter((m) => m.textContent === opener.text) : [];
    return same[opener.index] || same[0] || null;
  };

  // After the panel closed: focus goes back to where the reader was, unless they moved on.
  // ``target`` may be a function: the marker is looked up again at each try, because the
  // answer can be redrawn (its last update arriving) while the panel closes, and a redrawn
  // marker is a new element. A busy machine may need several frames before it is there.
  const RESTORE_TRIES = 40;
  const restoreFocus = (target) => {
    let tries = 0;
    const restore = () => {
      const active = document.activeElement;
      if (active && active !== document.body && !inPanel(active)) return; // the reader moved on
      const el = typeof target === "function" ? target() : target;
      if (el && el.isConnected) {
        el.focus({ preventScroll: false });
        if (document.activeElement === el) return;
      }
      if (++tries < RESTORE_TRIES) setTimeout(restore, 50);
    };
    requestAnimationFrame(() => setTimeout(restore, 0)); // after the dialog's own focus handling
  };

  const followPanel = () => {
    const state = panelState();
    if (state === shown) return;
    const wasOpen = shown !== "";
    shown = state;
    if (state && Date.now() - lastMarkerClick <= CLICK_WINDOW_MS) {
      openedByReader = true;
      focusPanel();
    } else if (state) {
      closePanel();
      restoreFocus(outsideFocus);
    } else if (wasOpen) {
      restoreFocus(openedByReader ? markerToReturnTo : outsideFocus);
      openedByReader = false;
    }
  };

  // ---------------------------------------------------------------- keyboard
  // The chat menu opened from the keyboard; when it closes, the focus goes back to the chat's link
  // (Chainlit's menu would return it to its trigger, which cannot take focus).
  let menu = null;
  const followMenu = () => {
    if (!menu) return;
    const open = !!document.querySelector("[role=menu]");
    if (open) menu.seen = true;
    else if (menu.seen) {
      restoreFocus(menu.link);
      menu = null;
    }
  };

  const onKeydown = (event) => {
    const active = document.activeElement;
    // Escape closes the wide-screen panel (the narrow sheet is a dialog and closes itself).
    if (event.key === "Escape" && shown && (inPanel(active) || active === document.body)) {
      const back = document.querySelector("#side-view-title > button");
      if (back) {
        event.preventDefault();
        back.click();
      }
      return;
    }
    // Shift+F10 or the context-menu key on a chat in the history opens its menu (rename, delete).
    if ((event.key === "F10" && event.shiftKey) || event.key === "ContextMenu") {
      const link = active && active.closest && active.closest("a");
      const trigger = link && link.querySelector("#thread-options");
      if (trigger) {
        event.preventDefault();
        menu = { link, seen: false };
        trigger.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
      }
    }
  };
  document.addEventListener("keydown", onKeydown, true);

  // ---------------------------------------------------------------- one observer for everything
  const refresh = () => {
    followPanel(); // first: an unrequested panel is closed before the browser paints
    nameControls();
    repairAria();
    markLanguages();
    updateTop();
    followAnswers();
    followMenu();
  };
  const observer = new MutationObserver(refresh);

  const start = () => {
    document.body.prepend(top);
    refresh();
    observer.observe(document.body, {
      childList: true, subtree: true, characterData: true,
      // States that Chainlit keeps in attributes: feedback given, password shown, sidebar open.
      attributes: true, attributeFilter: ["class", "type", "data-state", "disabled"],
    });
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
