// The moderation queue: select-all and keyboard shortcuts.
//
// Every action is a real button in a real form, so the page works without
// this file; it only saves keystrokes. Shortcuts (listed on the page):
//   j / k      next / previous comment        x   tick the comment
//   a r s d    approve (restore), reject, spam, remove the current comment
//   i          dismiss the reports on the current comment
//   Shift+A/R/S/D  the same for every ticked comment
//   *          tick or untick every comment   /   search
(function () {
  "use strict";

  var queue = document.querySelector("[data-mod-queue]");
  if (!queue) { return; }

  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function items() { return $$("[data-mod-item]", queue); }
  function picks() { return $$("[data-pick]", queue); }

  // --- Select all ------------------------------------------------------------------
  var allBox = queue.querySelector("[data-select-all-box]");
  var allLabel = queue.querySelector("[data-select-all]");
  var allLink = queue.querySelector("[data-select-all-link]");
  if (allBox && allLabel) {
    allLabel.hidden = false;
    if (allLink) { allLink.hidden = true; }
  }

  function refresh() {
    var boxes = picks();
    var ticked = boxes.filter(function (box) { return box.checked; });
    boxes.forEach(function (box) { box.closest("[data-mod-item]").classList.toggle("is-picked", box.checked); });
    if (allBox) {
      allBox.checked = boxes.length > 0 && ticked.length === boxes.length;
      allBox.indeterminate = ticked.length > 0 && ticked.length < boxes.length;
    }
    $$("[data-bulk]", queue).forEach(function (button) {
      button.setAttribute("aria-disabled", ticked.length ? "false" : "true");
    });
  }

  function tickAll(value) {
    picks().forEach(function (box) { box.checked = value; });
    refresh();
  }

  if (allBox) { allBox.addEventListener("change", function () { tickAll(allBox.checked); }); }
  queue.addEventListener("change", function (event) {
    if (event.target.matches("[data-pick]")) { refresh(); }
  });
  queue.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.hasAttribute("data-bulk") && !picks().some(function (box) { return box.checked; })) {
      event.preventDefault();
      window.alert("Tick at least one comment first (x ticks the current one, * ticks them all).");
    }
  });
  refresh();

  // --- Keyboard --------------------------------------------------------------------------
  var current = null;

  function setCurrent(item) {
    if (!item) { return; }
    if (current) { current.classList.remove("is-current"); }
    current = item;
    item.classList.add("is-current");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  queue.addEventListener("focusin", function (event) {
    var item = event.target.closest("[data-mod-item]");
    if (item && item !== current) {
      if (current) { current.classList.remove("is-current"); }
      current = item;
      item.classList.add("is-current");
    }
  });

  function move(step) {
    var list = items();
    if (!list.length) { return; }
    var index = current ? list.indexOf(current) : -1;
    var next = index < 0 ? 0 : Math.min(Math.max(index + step, 0), list.length - 1);
    setCurrent(list[next]);
  }

  function press(item, key) {
    var button = item && item.querySelector("[data-key='" + key + "']");
    if (button) { button.click(); }
  }

  var BULK = { A: ["approve", "restore"], R: ["reject"], S: ["spam"], D: ["remove"] };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target.matches("input[type=text], input[type=search], input[type=date], input:not([type]), textarea, select")) {
      if (event.key === "Escape") { target.blur(); }
      return;
    }
    var key = event.key;
    if (key === "j") { move(1); }
    else if (key === "k") { move(-1); }
    else if (key === "x" && current) {
      var box = current.querySelector("[data-pick]");
      box.checked = !box.checked;
      refresh();
    }
    else if (key === "*") { tickAll(!picks().every(function (box) { return box.checked; })); }
    else if (key === "/") {
      var search = document.querySelector(".mod-filters input[name=q]");
      if (search) { search.focus(); }
    }
    else if (BULK[key]) {
      var button = null;
      BULK[key].forEach(function (action) {
        button = button || queue.querySelector("[data-bulk='" + action + "']");
      });
      if (button) { button.click(); }
    }
    else if (current && "arsdip".indexOf(key) >= 0) { press(current, key); }
    else { return; }
    event.preventDefault();
  });
})();
