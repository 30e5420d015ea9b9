// Khiên console: live waiting clocks on the queue, and the live chat kept fresh on a case page.
"use strict";

const loadedAt = Date.now();

// Each clock counts on from the seconds the server saw when it drew the page.
function tickClocks() {
  const elapsed = Math.floor((Date.now() - loadedAt) / 1000);
  for (const clock of document.querySelectorAll("[data-waiting]")) {
    clock.textContent = Math.floor((Number(clock.dataset.waiting) + elapsed) / 60);
  }
}

// The chat list is re-read every 3 s while a live chat is on; a lost session reloads the page.
let lastChat = null;

async function refreshChat(chat) {
  const response = await fetch(chat.dataset.chatSrc, { credentials: "same-origin", redirect: "follow" });
  if (response.redirected || !response.ok) {
    window.location.reload();
    return;
  }
  const html = await response.text();
  if (html !== lastChat) {
    chat.innerHTML = html;  // rendered and escaped by the server
    chat.scrollTop = chat.scrollHeight;
  }
  lastChat = html;
}

document.addEventListener("DOMContentLoaded", () => {
  tickClocks();
  setInterval(tickClocks, 1000);
  const chat = document.querySelector("[data-chat-src]");
  if (chat) {
    chat.scrollTop = chat.scrollHeight;
    setInterval(() => refreshChat(chat).catch(() => {}), 3000);
  }
});
