// Warning before the login session ends, with a button that extends it (WCAG 2.2.1).
// The markup is templates/components/session_timeout.html, on logged-in pages only; without
// JavaScript it stays hidden and nothing is lost, because every page saves its answers.
//
// Each page load starts the count again from what the server says is left. "Jatka istuntoa"
// (or Escape) POSTs to the extend URL; when the time runs out, the page is loaded again and
// the server asks the person to log in. Other tabs of the same site hear of a later end time
// through localStorage, so one busy tab keeps the others from warning or reloading.

const STORAGE_KEY = "tyokykyportti:session-ends-at";
const TICK_MS = 1000;
// Load the page only once the server has surely let the session go.
const EXPIRY_MARGIN_MS = 2000;
const FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type='hidden'])";

export function initSessionTimeout(root = document) {
  const wrapper = root.querySelector(".portal-session-timeout[data-session-seconds]");
  if (!wrapper) return;
  const dialog = wrapper.querySelector("[data-session-timeout-dialog]");
  const backdrop = wrapper.querySelector("[data-session-timeout-backdrop]");
  const timeText = wrapper.querySelector("[data-session-timeout-time]");
  const errorText = wrapper.querySelector("[data-session-timeout-error]");
  const extendButton = wrapper.querySelector("[data-session-timeout-extend]");
  const seconds = Number(wrapper.dataset.sessionSeconds);
  const warnSeconds = Number(wrapper.dataset.warnSeconds);
  if (!dialog || !extendButton || !timeText || !(seconds >= 0) || !(warnSeconds > 0)) return;

  let endsAt = Date.now() + seconds * 1000;
  let returnFocusTo = null;
  let extending = false;
  let timer = null;

  const isOpen = () => !dialog.hidden;

  const countdownText = (msLeft) => {
    if (msLeft < 60000) return wrapper.dataset.textSoon;
    const minutes = Math.ceil(msLeft / 60000);
    const template = minutes === 1 ? wrapper.dataset.textOne : wrapper.dataset.textOther;
    return template.replace("{num}", String(minutes));
  };

  // The live region changes only when its sentence does: at minute changes, not every second.
  const updateCountdown = () => {
    const text = countdownText(endsAt - Date.now());
    if (timeText.textContent.trim() !== text) timeText.textContent = text;
  };

  const open = () => {
    updateCountdown();
    if (errorText) errorText.hidden = true;
    const active = document.activeElement;
    returnFocusTo = active && active !== document.body ? active : null;
    if (backdrop) backdrop.hidden = false;
    dialog.hidden = false;
    extendButton.focus();
  };

  const close = () => {
    dialog.hidden = true;
    if (backdrop) backdrop.hidden = true;
    if (errorText) errorText.hidden = true;
    const target = returnFocusTo && returnFocusTo.isConnected ? returnFocusTo : null;
    returnFocusTo = null;
    if (target) target.focus();
  };

  const share = () => {
    try {
      window.localStorage.setItem(STORAGE_KEY, String(endsAt));
    } catch {
      // Storage may be off (private browsing, settings): each tab then counts on its own.
    }
  };

  const tick = () => {
    const msLeft = endsAt - Date.now();
    if (msLeft <= -EXPIRY_MARGIN_MS) {
      window.clearInterval(timer);
      // A plain GET of the same address: the server now asks to log in, and returns here after.
      window.location.assign(window.location.href);
      return;
    }
    if (msLeft <= warnSeconds * 1000) {
      if (isOpen()) updateCountdown();
      else open();
    } else if (isOpen()) {
      close(); // another tab extended the session
    }
  };

  const extend = async () => {
    if (extending) return;
    extending = true;
    try {
      const response = await fetch(wrapper.dataset.extendUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": wrapper.dataset.csrfToken, Accept: "application/json" },
      });
      if (response.status === 401 || response.status === 400) {
        // The session has already ended (or lost its CSRF token): let the server take over.
        window.location.assign(window.location.href);
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = await response.json();
      endsAt = Date.now() + Number(body.expires_in) * 1000;
      share();
      close();
    } catch {
      if (errorText) errorText.hidden = false;
    } finally {
      extending = false;
    }
  };

  // Keep Tab and Shift+Tab inside the open dialog; Escape extends, as the safe choice.
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      extend();
      return;
    }
    if (event.key !== "Tab") return;
    const items = Array.from(dialog.querySelectorAll(FOCUSABLE)).filter(
      (el) => el.getClientRects().length > 0,
    );
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    const inside = dialog.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });

  // Focus that leaves the dialog some other way (a click behind it, assistive technology) is
  // brought back.
  document.addEventListener("focusin", (event) => {
    if (isOpen() && !dialog.contains(event.target)) extendButton.focus();
  });

  extendButton.addEventListener("click", extend);

  window.addEventListener("storage", (event) => {
    if (event.key !== STORAGE_KEY || !event.newValue) return;
    const shared = Number(event.newValue);
    if (shared > endsAt) {
      endsAt = shared;
      tick();
    }
  });

  // Timers sleep with the computer and in background tabs; look again on coming back.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") tick();
  });

  share();
  timer = window.setInterval(tick, TICK_MS);
  tick();
}
