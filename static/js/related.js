// Related articles: report, anonymously, that the block was seen and which
// teaser was followed (see articles/clicks.py for what is and is not stored).
// The links are plain links; without this file they work and nothing is counted.
(function () {
  "use strict";

  var block = document.querySelector("[data-related-from]");
  if (!block || !window.Newsroom || !window.fetch) { return; }
  var article = block.getAttribute("data-related-from");
  var endpoint = "/api/related/event/";
  var csrf = null;

  function report(fields) {
    if (!csrf) { return; }
    var body = new URLSearchParams(fields);
    body.set("article", article);
    // keepalive: the report survives the navigation the click starts.
    fetch(endpoint, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: true,
      headers: { "X-CSRFToken": csrf }
    }).catch(function () { /* counting is best effort */ });
  }

  window.Newsroom.session.then(function (state) {
    csrf = state && state.csrf;
    if (!csrf) { return; }
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          report({ kind: "impression" });
        }
      }, { threshold: 0.5 });
      observer.observe(block);
    }
  });

  function followed(event) {
    if (event.type === "auxclick" && event.button !== 1) { return; }
    var link = event.target.closest("a[data-related-to]");
    if (link) { report({ kind: "click", target: link.getAttribute("data-related-to") }); }
  }
  block.addEventListener("click", followed);
  block.addEventListener("auxclick", followed);  // middle click: opened in a new tab
})();
