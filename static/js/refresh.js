// Parts of a page waiting on background work carry data-busy (and an id). Every few
// seconds this fetches the part again (its data-refresh address, or the page itself) and
// swaps it in, until it is no longer busy. Without JavaScript the page says to reload.
(function () {
  "use strict";
  var DELAY = 3000;

  function schedule(part) {
    window.setTimeout(function () { refresh(part); }, DELAY);
  }

  function refresh(part) {
    if (!document.body.contains(part)) return;
    // Never pull a form from under someone typing in it: try again later.
    if (part.contains(document.activeElement) && document.activeElement !== document.body) {
      schedule(part);
      return;
    }
    fetch(part.getAttribute("data-refresh") || window.location.href, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "refresh" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(part.id);
        if (!fresh) return;
        part.replaceWith(fresh);
        if (fresh.hasAttribute("data-busy")) schedule(fresh);
      })
      .catch(function () { schedule(part); });
  }

  document.querySelectorAll("[data-busy][id]").forEach(schedule);
})();
