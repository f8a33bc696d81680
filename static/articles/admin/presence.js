// Admin article form: tell the editor when a colleague has the same article open.
(function () {
  "use strict";
  var match = window.location.pathname.match(/\/admin\/articles\/article\/(\d+)\/change\/$/);
  if (!match) { return; }
  var url = window.location.pathname.replace(/change\/$/, "presence/");
  var banner = null;

  function token() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function show(others) {
    if (!others.length) {
      if (banner) { banner.hidden = true; }
      return;
    }
    if (!banner) {
      banner = document.createElement("p");
      banner.className = "nr-presence-warning";
      banner.setAttribute("role", "status");
      var content = document.getElementById("content") || document.body;
      content.insertBefore(banner, content.firstChild);
    }
    banner.hidden = false;
    banner.textContent = others.join(", ") + " also has this article open. " +
      "The second save will be refused: coordinate before saving.";
  }

  function ping() {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token(), "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.ok ? response.json() : { others: [] };
    }).then(function (data) { show(data.others || []); }).catch(function () {});
  }

  window.setInterval(ping, 30000);
})();
