// Live updates for the dashboard: follows /ui/events and fetches this page's fragment again when its application
// (or every application, "*") changed. Without JavaScript the pages are complete; they just do not follow changes.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.EventSource || !window.fetch) {
    return;
  }
  var application = live.getAttribute("data-application");
  var url = live.getAttribute("data-fragment");
  var timer = null;

  function typing() {
    var focused = document.activeElement;
    return focused && live.contains(focused) && /^(INPUT|TEXTAREA|SELECT)$/.test(focused.tagName)
      && focused.type !== "hidden" && focused.value !== "";
  }

  function refresh() {
    timer = null;
    if (typing()) { // never throw away what someone is typing: look again shortly
      timer = setTimeout(refresh, 1000);
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null) {
          live.innerHTML = html;
          live.setAttribute("data-updated", String(Date.now()));
        }
      })
      .catch(function () { /* the next change tries again */ });
  }

  function changed(name) {
    if (!name) {
      return; // keep-alive
    }
    if (application === "*" || name === "*" || name === application) {
      if (!timer) {
        timer = setTimeout(refresh, 100);
      }
    }
  }

  var events = new EventSource("/ui/events");
  events.onmessage = function (event) { changed(event.data); };
  // A reconnect may have missed changes: fetch once when the stream is open again.
  events.onopen = function () { if (live.getAttribute("data-connected")) { changed("*"); } live.setAttribute("data-connected", "true"); };
})();
