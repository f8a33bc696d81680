// Reader-site enhancements. Every page works without this file.
//
// Pages are the same for every reader (so shared caches can serve them); what
// is personal comes from /session.json, fetched once per page view. Other
// scripts listen for the "newsroom:session" event instead of fetching again:
//
//   document.addEventListener("newsroom:session", function (e) { e.detail.csrf … });
//   Newsroom.session.then(function (state) { … });
(function () {
  "use strict";

  var articleEl = document.querySelector("[data-article-id]");
  var url = "/session.json" + (articleEl ? "?article=" + encodeURIComponent(articleEl.getAttribute("data-article-id")) : "");

  var session = fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (response) { return response.ok ? response.json() : {}; })
    .catch(function () { return {}; })
    .then(function (state) {
      document.dispatchEvent(new CustomEvent("newsroom:session", { detail: state }));
      return state;
    });

  window.Newsroom = { session: session };
})();
