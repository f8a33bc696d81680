// Inline feedback: comment on a passage of the article, see the passages
// others commented on, read and answer their threads beside the text.
//
// The passages come from a JSON data block in the (cached, public) comments
// region: block ids and offsets in each block's text, counted the way the
// server counts them (articles/anchoring.py): the block's text content with
// whitespace runs collapsed to one space and trimmed, in Unicode code points.
// The reader's own pending feedback comes from /session.json like their other
// pending comments. Highlights use the CSS Custom Highlight API (no change to
// the article's markup); each passage gets a focusable marker button with its
// count. Without this script the comments area still lists every inline
// feedback with its passage.
(function () {
  "use strict";

  var body = document.getElementById("article-body");
  var region = document.querySelector("[data-comments]");
  var dataNode = document.getElementById("inline-feedback-data");
  if (!body || !region || !dataNode || !window.Newsroom || !window.Newsroom.comments) { return; }

  var api = window.Newsroom.comments;
  var data = JSON.parse(dataNode.textContent);
  var passages = data.passages || [];
  var questions = data.questions || [];
  var own = [];  // this reader's pending feedback: {thread, html, block, start, endBlock, end, quote}
  var isOpen = !!document.getElementById("comment-form");
  var passageUrl = region.getAttribute("data-passage-url");
  var wide = window.matchMedia("(min-width: 75rem)");
  var hasHighlights = !!(window.CSS && CSS.highlights && window.Highlight);
  var CONTEXT = 32;
  // The same characters as Python's str.isspace(), which the server's \s uses.
  var SPACE = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    node.setAttribute("data-nr-ui", "");
    return node;
  }
  function shorten(text, length) {
    var chars = Array.from(text);
    return chars.length > length ? chars.slice(0, length - 1).join("") + "…" : text;
  }

  // --- The text of the body, as the server counts it ------------------------------

  function blocks() {
    return $$(":scope > [id]", body).filter(function (node) { return !node.hasAttribute("data-nr-ui"); });
  }

  // Each normalised character of a block and where it is in the DOM.
  function indexBlock(block) {
    var points = [];
    var chars = [];
    var space = null;
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement && node.parentElement.closest("[data-nr-ui]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    while (walker.nextNode()) {
      var node = walker.currentNode;
      var value = node.data;
      for (var i = 0; i < value.length;) {
        var ch = String.fromCodePoint(value.codePointAt(i));
        if (SPACE.test(ch)) {
          if (chars.length && !space) { space = { node: node, offset: i, size: ch.length }; }
        } else {
          if (space) { points.push(space); chars.push(" "); space = null; }
          points.push({ node: node, offset: i, size: ch.length });
          chars.push(ch);
        }
        i += ch.length;
      }
    }
    return { block: block, chars: chars, points: points };
  }

  function documentIndex() {
    var index = { blocks: {}, order: [], chars: [] };
    blocks().forEach(function (block, n) {
      if (n) { index.chars.push("\n"); }
      var entry = indexBlock(block);
      entry.base = index.chars.length;
      index.chars = index.chars.concat(entry.chars);
      index.blocks[block.id] = entry;
      index.order.push(entry);
    });
    return index;
  }

  function domRange(index, item) {
    var first = index.blocks[item.block];
    var last = index.blocks[item.endBlock || item.block];
    if (!first || !last || item.start >= first.points.length + 1 || item.end > last.points.length || item.end < 1) { return null; }
    var from = first.points[item.start];
    var to = last.points[item.end - 1];
    if (!from || !to) { return null; }
    var range = document.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset + to.size);
    return range;
  }

  // Normalised offset in ``entry`` of a DOM boundary point.
  function offsetIn(entry, container, offset) {
    var boundary = document.createRange();
    boundary.setStart(container, offset);
    for (var i = 0; i < entry.points.length; i++) {
      var point = entry.points[i];
      if (boundary.comparePoint(point.node, point.offset) >= 0) { return i; }
    }
    return entry.points.length;
  }

  function blockOf(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    while (element && element.parentElement !== body) { element = element.parentElement; }
    return element && element.id && !element.hasAttribute("data-nr-ui") ? element : null;
  }

  // Selectors (quote, context, position) for a DOM range inside the body.
  function describe(range) {
    var startBlock = blockOf(range.startContainer);
    var endBlock = blockOf(range.endContainer);
    if (!startBlock || !endBlock || !body.contains(range.commonAncestorContainer)) { return null; }
    var index = documentIndex();
    var first = index.blocks[startBlock.id];
    var last = index.blocks[endBlock.id];
    var start = first.base + offsetIn(first, range.startContainer, range.startOffset);
    var end = last.base + offsetIn(last, range.endContainer, range.endOffset);
    var chars = index.chars;
    while (start < end && SPACE.test(chars[start])) { start++; }
    while (end > start && SPACE.test(chars[end - 1])) { end--; }
    if (end <= start) { return null; }
    return {
      exact: chars.slice(start, end).join(""),
      prefix: chars.slice(Math.max(start - CONTEXT, 0), start).join(""),
      suffix: chars.slice(end, end + CONTEXT).join(""),
      start: start,
      end: end
    };
  }

  // --- Highlights and markers ------------------------------------------------------------

  var marks = [];  // {item, kind, range, marker}
  var active = null;

  function clearMarks() {
    marks.forEach(function (mark) { if (mark.marker) { mark.marker.remove(); } });
    marks = [];
    body.normalize();
  }

  function markerLabel(item, kind) {
    var quote = "“" + shorten(item.quote, 60) + "”";
    if (kind === "question") {
      return "Question from the editors on " + quote + ": " + item.question + " (" + item.count + " answer" + (item.count === 1 ? "" : "s") + ")";
    }
    if (kind === "own") { return "Your feedback on " + quote + ", awaiting moderation"; }
    return item.count + " comment" + (item.count === 1 ? "" : "s") + " on " + quote;
  }

  function render() {
    var wasActive = active;
    clearMarks();
    var index = documentIndex();
    var items = passages.map(function (item) { return { item: item, kind: "feedback" }; })
      .concat(questions.map(function (item) { return { item: item, kind: "question" }; }))
      .concat(own.map(function (item) { return { item: item, kind: "own" }; }));
    items.forEach(function (entry) {
      entry.range = domRange(index, entry.item);
      if (entry.range) { marks.push(entry); }
    });
    // Markers go in after every range exists: live ranges follow the text
    // nodes that inserting a marker splits.
    marks.forEach(function (mark) {
      var marker = el("button", "passage-marker passage-marker-" + mark.kind);
      marker.type = "button";
      marker.setAttribute("aria-expanded", "false");
      marker.setAttribute("aria-label", markerLabel(mark.item, mark.kind));
      var count = document.createElement("span");
      count.setAttribute("aria-hidden", "true");
      count.textContent = mark.kind === "question" ? "?" : (mark.kind === "own" ? "…" : String(mark.item.count));
      marker.appendChild(count);
      var end = mark.range.cloneRange();
      end.collapse(false);
      end.insertNode(marker);
      mark.marker = marker;
      marker.addEventListener("click", function () { toggle(mark); });
    });
    paint();
    if (wasActive) {
      var again = marks.filter(function (mark) { return sameItem(mark, wasActive); })[0];
      if (again) { active = again; again.marker.setAttribute("aria-expanded", "true"); }
    }
  }

  function sameItem(a, b) {
    return a.kind === b.kind && a.item.block === b.item.block && a.item.start === b.item.start &&
      a.item.endBlock === b.item.endBlock && a.item.end === b.item.end && a.item.id === b.item.id;
  }

  function paint() {
    if (!hasHighlights) { return; }
    var groups = { feedback: [], question: [], own: [], active: [] };
    marks.forEach(function (mark) {
      groups[mark === active ? "active" : mark.kind].push(mark.range);
    });
    if (draft && draft.range) { groups.active.push(draft.range); }
    Object.keys(groups).forEach(function (kind) {
      var name = "nr-" + kind;
      if (groups[kind].length) {
        var highlight = new Highlight();
        groups[kind].forEach(function (range) { highlight.add(range); });
        CSS.highlights.set(name, highlight);
      } else {
        CSS.highlights.delete(name);
      }
    });
  }

  // --- The panel beside the passage --------------------------------------------------------

  var panel = el("aside", "feedback-panel");
  panel.id = "feedback-panel";
  panel.hidden = true;
  panel.tabIndex = -1;
  panel.setAttribute("data-feedback-panel", "");
  panel.setAttribute("aria-labelledby", "feedback-panel-title");
  var panelHead = el("div", "feedback-panel-head");
  var panelTitle = el("p", "feedback-panel-title");
  panelTitle.id = "feedback-panel-title";
  var closeButton = el("button", "feedback-panel-close");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", "Close");
  closeButton.textContent = "×";
  panelHead.appendChild(panelTitle);
  panelHead.appendChild(closeButton);
  var panelQuote = el("blockquote", "feedback-panel-quote");
  var panelQuestion = el("p", "feedback-panel-question");
  var panelList = el("ol", "comment-list feedback-panel-list");
  var panelStatus = el("p", "feedback-panel-status");
  panelStatus.setAttribute("role", "status");
  var addButton = el("button", "button button-secondary feedback-panel-add");
  addButton.type = "button";
  [panelHead, panelQuote, panelQuestion, panelList, panelStatus, addButton].forEach(function (node) { panel.appendChild(node); });
  var moved = [];  // comments borrowed from the comments list: {li, placeholder}
  var draft = null;  // a new selection being commented on: {anchor, quote}

  function place(startBlock, endBlock) {
    // Wide screens: floated into the margin beside the passage's first
    // paragraph. Narrow screens: right below the passage.
    panel.classList.toggle("is-beside", wide.matches);
    if (wide.matches) { body.insertBefore(panel, startBlock); } else { body.insertBefore(panel, endBlock.nextSibling); }
  }

  function returnBorrowed() {
    moved.forEach(function (entry) { entry.placeholder.replaceWith(entry.li); });
    moved = [];
    panelList.textContent = "";
  }

  function close(focusBack) {
    api.closeForm();
    returnBorrowed();
    var was = active;
    if (active && active.marker) { active.marker.setAttribute("aria-expanded", "false"); }
    active = null;
    draft = null;
    panel.hidden = true;
    if (panel.parentNode) { panel.remove(); }
    paint();
    if (focusBack && was && was.marker) { was.marker.focus(); }
  }

  function threadsOf(mark) {
    if (mark.kind === "own") { return []; }
    if (mark.kind === "question") { return mark.item.threads || []; }
    return mark.item.threads;
  }

  function open(mark) {
    close(false);
    active = mark;
    mark.marker.setAttribute("aria-expanded", "true");
    paint();
    var item = mark.item;
    panelTitle.textContent = mark.kind === "question" ? "Question from the editors" :
      (mark.kind === "own" ? "Your feedback" : item.count + " comment" + (item.count === 1 ? "" : "s") + " on this passage");
    panelQuote.textContent = shorten(item.quote, 300);
    panelQuestion.textContent = mark.kind === "question" ? item.question : "";
    panelQuestion.hidden = mark.kind !== "question";
    addButton.textContent = mark.kind === "question" ? "Answer this question" : "Add your feedback on this passage";
    addButton.hidden = !isOpen;
    panelStatus.textContent = "";
    place(document.getElementById(item.block), document.getElementById(item.endBlock || item.block));
    panel.hidden = false;
    fill(mark);
    panel.focus();
  }

  function toggle(mark) {
    if (active && sameItem(active, mark)) { close(true); } else { open(mark); }
  }

  function borrow(li) {
    var placeholder = document.createElement("li");
    placeholder.hidden = true;
    li.replaceWith(placeholder);
    moved.push({ li: li, placeholder: placeholder });
    panelList.appendChild(li);
  }

  function fill(mark) {
    var ids = threadsOf(mark);
    if (mark.kind === "own") {
      var mine = document.getElementById("comment-" + mark.item.thread);
      if (mine) { borrow(mine); }
      return;
    }
    var missing = [];
    ids.forEach(function (id) {
      var li = document.getElementById("comment-" + id);
      if (li && li.closest("[data-comments]")) { borrow(li); } else { missing.push(id); }
    });
    if (!missing.length) {
      if (!ids.length) { panelStatus.textContent = mark.kind === "question" ? "No answers yet." : ""; }
      return;
    }
    panelStatus.textContent = "Loading…";
    var url = passageUrl + "?ids=" + missing.join(",") + "&n=" + (mark.item.count || 0);
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (active !== mark) { return; }
        panelStatus.textContent = "";
        var nodes = api.fragment(html);
        var added = $$(":scope > li.comment", nodes);
        panelList.appendChild(nodes);
        added.forEach(function (li) { api.decorate(li); });
      })
      .catch(function () { panelStatus.textContent = "The comments could not be loaded. Try again in a moment."; });
  }

  closeButton.addEventListener("click", function () { close(true); });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { close(true); }
  });
  addButton.addEventListener("click", function () {
    if (!active) { return; }
    var item = active.item;
    if (active.kind === "question") {
      api.openForm(addButton, { question: item.id, quote: item.quote, label: item.question, cancelLabel: "Cancel" });
    } else {
      var index = documentIndex();
      var first = index.blocks[item.block];
      var last = index.blocks[item.endBlock || item.block];
      if (!first || !last) { return; }
      var start = first.base + item.start;
      var end = last.base + item.end;
      api.openForm(addButton, {
        anchor: anchorFrom(index.chars, start, end),
        quote: item.quote,
        label: "Your feedback on this passage",
        cancelLabel: "Cancel"
      });
    }
    addButton.hidden = true;
  });

  function anchorFrom(chars, start, end) {
    return {
      exact: chars.slice(start, end).join(""),
      prefix: chars.slice(Math.max(start - CONTEXT, 0), start).join(""),
      suffix: chars.slice(end, end + CONTEXT).join(""),
      start: start,
      end: end
    };
  }

  document.addEventListener("newsroom:form-closed", function () {
    if (draft) { close(false); } else if (active) { addButton.hidden = !isOpen; }
  });

  wide.addEventListener("change", function () {
    if (active && !panel.hidden) { place(document.getElementById(active.item.block), document.getElementById(active.item.endBlock || active.item.block)); }
  });

  // Clicking highlighted words (not selecting them) opens their passage.
  body.addEventListener("click", function (event) {
    if (event.target.closest("[data-nr-ui], a, button")) { return; }
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed) { return; }
    var node = null;
    var offset = 0;
    if (document.caretPositionFromPoint) {
      var position = document.caretPositionFromPoint(event.clientX, event.clientY);
      if (position) { node = position.offsetNode; offset = position.offset; }
    } else if (document.caretRangeFromPoint) {
      var caret = document.caretRangeFromPoint(event.clientX, event.clientY);
      if (caret) { node = caret.startContainer; offset = caret.startOffset; }
    }
    if (!node) { return; }
    var hit = marks.filter(function (mark) {
      return mark.kind !== "own" && mark.range.isPointInRange(node, offset);
    }).sort(function (a, b) { return a.range.toString().length - b.range.toString().length; })[0];
    if (hit) { open(hit); }
  });

  // --- Commenting on a new selection --------------------------------------------------------

  var selectButton = el("button", "select-comment-button", "Comment on this passage");
  selectButton.type = "button";
  var pending = null;  // the selection the button would comment on

  function hideSelectButton() {
    pending = null;
    if (selectButton.parentNode) {
      var parent = selectButton.parentNode;
      selectButton.remove();
      parent.normalize();
    }
  }

  function onSelection() {
    if (!isOpen) { return; }
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) {
      if (document.activeElement !== selectButton) { hideSelectButton(); }
      return;
    }
    var range = selection.getRangeAt(0);
    var anchor = describe(range);
    if (!anchor) { hideSelectButton(); return; }
    pending = anchor;
    // Placed in the text right after the selection, so that Tab reaches it
    // next; CSS lifts it out of the flow (no layout shift).
    var end = range.cloneRange();
    end.collapse(false);
    if (selectButton.parentNode) {
      var parent = selectButton.parentNode;
      selectButton.remove();
      parent.normalize();
      if (!body.contains(end.startContainer)) { return; }
    }
    end.insertNode(selectButton);
    selectButton.setAttribute("aria-label", "Comment on this passage: “" + shorten(anchor.exact, 80) + "”");
  }

  var timer = null;
  document.addEventListener("selectionchange", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(onSelection, 250);
  });

  // Keyboard: with words selected, Tab goes to the button first (the page's
  // own focus order would start wherever the selection began).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || event.shiftKey || !pending || !selectButton.isConnected) { return; }
    var focused = document.activeElement;
    if (focused === selectButton || (focused && focused.closest("input, textarea, select, [contenteditable]"))) { return; }
    event.preventDefault();
    selectButton.focus();
  });

  selectButton.addEventListener("mousedown", function (event) { event.preventDefault(); });
  selectButton.addEventListener("click", function () {
    if (!pending) { return; }
    startFeedback(pending);
  });

  function startFeedback(anchor) {
    var index = documentIndex();
    var first = null;
    var last = null;
    index.order.forEach(function (entry) {
      if (!first && anchor.start < entry.base + entry.chars.length) { first = entry; }
      if (anchor.end > entry.base) { last = entry; }
    });
    var startBlock = first && first.block;
    var endBlock = last && last.block;
    hideSelectButton();
    close(false);
    draft = { anchor: anchor };
    if (first && last) {
      // The words being commented on stay marked while the reader writes.
      draft.range = domRange(index, {
        block: first.block.id, start: anchor.start - first.base,
        endBlock: last.block.id, end: anchor.end - last.base
      });
      paint();
    }
    panelTitle.textContent = "Your feedback on this passage";
    panelQuote.textContent = shorten(anchor.exact, 300);
    panelQuestion.hidden = true;
    addButton.hidden = true;
    panelStatus.textContent = "";
    place(startBlock || blocks()[0], endBlock || startBlock || blocks()[0]);
    panel.hidden = false;
    api.openForm(addButton, { anchor: anchor, label: "", quote: "", cancelLabel: "Cancel" });
    if (window.getSelection) { window.getSelection().removeAllRanges(); }
  }

  // --- Keyboard: a comment button after each paragraph, on request -----------------------------

  var paragraphMode = el("button", "paragraph-mode-toggle", "Comment on a paragraph");
  paragraphMode.type = "button";
  paragraphMode.setAttribute("aria-pressed", "false");
  if (isOpen) { body.parentNode.insertBefore(paragraphMode, body); }

  function paragraphButtons(on) {
    $$(".paragraph-comment", body).forEach(function (node) { node.remove(); });
    paragraphMode.setAttribute("aria-pressed", on ? "true" : "false");
    paragraphMode.textContent = on ? "Hide the paragraph comment buttons" : "Comment on a paragraph";
    if (!on) { return; }
    var index = documentIndex();
    var first = null;
    index.order.forEach(function (entry, n) {
      if (!entry.chars.length) { return; }
      var button = el("button", "paragraph-comment", "Comment on this paragraph");
      button.type = "button";
      button.setAttribute("aria-label", "Comment on paragraph " + (n + 1) + ": “" + shorten(entry.chars.join(""), 60) + "”");
      button.addEventListener("click", function () {
        var fresh = documentIndex();
        var own = fresh.blocks[entry.block.id];
        paragraphButtons(false);
        startFeedback(anchorFrom(fresh.chars, own.base, own.base + own.chars.length));
      });
      entry.block.appendChild(button);
      first = first || button;
    });
    if (first) { first.focus(); }
  }

  paragraphMode.addEventListener("click", function () {
    paragraphButtons(paragraphMode.getAttribute("aria-pressed") !== "true");
  });

  // --- After posting, and the reader's own pending feedback ------------------------------------

  document.addEventListener("newsroom:comment-posted", function (event) {
    var posted = event.detail;
    if (!posted.anchor && !draft) {
      // A reply inside the panel: count it on the open passage.
      if (active && active.kind !== "own" && panel.contains(document.getElementById("comment-" + posted.id)) && posted.status === "approved") {
        active.item.count += 1;
        active.marker.setAttribute("aria-label", markerLabel(active.item, active.kind));
        active.marker.firstChild.textContent = active.kind === "question" ? "?" : String(active.item.count);
        panelTitle.textContent = active.item.count + " comment" + (active.item.count === 1 ? "" : "s") + " on this passage";
        event.preventDefault();
      }
      return;
    }
    if (!posted.anchor) { return; }
    event.preventDefault();
    var anchor = posted.anchor;
    var question = posted.question ? questions.filter(function (q) { return q.id === posted.question; })[0] : null;
    if (posted.status === "approved") {
      var target = question;
      if (question) {
        question.count += 1;
        (question.threads = question.threads || []).push(anchor.thread);
      } else {
        target = passages.filter(function (p) {
          return p.block === anchor.block && p.start === anchor.start && p.endBlock === anchor.endBlock && p.end === anchor.end;
        })[0];
        if (target) {
          target.threads.push(anchor.thread);
          target.count += 1;
        } else {
          target = { block: anchor.block, start: anchor.start, endBlock: anchor.endBlock, end: anchor.end, quote: anchor.quote, threads: [anchor.thread], count: 1 };
          passages.push(target);
        }
      }
      bumpCount(1);
      close(false);
      render();
      var mark = marks.filter(function (m) { return m.item === target; })[0];
      if (mark) { open(mark); }
    } else {
      own.push({ block: anchor.block, start: anchor.start, endBlock: anchor.endBlock, end: anchor.end, quote: anchor.quote, thread: anchor.thread });
      close(false);
      render();
      var mine = marks.filter(function (m) { return m.kind === "own" && m.item.thread === anchor.thread; })[0];
      if (mine) {
        open(mine);
        panelStatus.textContent = "Thank you. Your feedback is awaiting moderation; only you can see it for now.";
      }
    }
  });

  function bumpCount(delta) {
    var counter = $("[data-feedback-count]", region);
    if (!counter) { return; }
    var value = parseInt(counter.textContent.replace(/\D/g, ""), 10) || 0;
    counter.textContent = "(" + (value + delta) + ")";
  }

  window.Newsroom.session.then(function (session) {
    var mine = (session.comments && session.comments.pending) || [];
    mine.forEach(function (item) {
      if (item.anchor) { own.push(item.anchor); }
    });
    if (own.length) { render(); }
  });

  // --- The comments area: "Inline feedback" / "View all comments" --------------------------------

  var views = $("[data-comment-views]", region);
  if (views) {
    views.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-view]");
      if (!link) { return; }
      event.preventDefault();
      showView(link.getAttribute("data-view"));
    });
  }

  function showView(view) {
    close(false);
    var list = $("[data-comment-list]", region);
    var sort = region.getAttribute("data-sort") || "newest";
    var url = "/comments/article/" + region.getAttribute("data-article") + "/?view=" + view + "&sort=" + sort;
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        list.textContent = "";
        var nodes = api.fragment(html);
        var added = $$(":scope > li.comment", nodes);
        list.appendChild(nodes);
        added.forEach(function (li) { api.decorate(li); });
        region.setAttribute("data-view", view);
        $$("a[data-view]", views).forEach(function (link) {
          if (link.getAttribute("data-view") === view) { link.setAttribute("aria-current", "true"); } else { link.removeAttribute("aria-current"); }
        });
        var intro = $("[data-inline-intro]", region);
        if (intro) { intro.hidden = view !== "inline"; }
        $$(".comment-sort a", region).forEach(function (link) {
          var target = new URL(link.getAttribute("href"), window.location.href);
          if (view === "inline") { target.searchParams.set("view", "inline"); } else { target.searchParams.delete("view"); }
          link.setAttribute("href", target.search + "#comments");
        });
        var empty = $("[data-no-comments]", region);
        if (empty) {
          empty.hidden = added.length > 0;
          empty.textContent = view === "inline" ? "No inline feedback yet." : "No comments yet. Be the first to comment.";
        }
        var address = new URL(window.location.href);
        if (view === "inline") { address.searchParams.set("view", "inline"); } else { address.searchParams.delete("view"); }
        address.searchParams.delete("page");
        window.history.replaceState(null, "", address.pathname + address.search + "#comments");
      });
  }

  // From the list to the text: a feedback's quoted passage opens its highlight.
  region.addEventListener("click", function (event) {
    var link = event.target.closest("[data-passage-link], [data-answer-question]");
    if (!link) { return; }
    var mark;
    if (link.hasAttribute("data-answer-question")) {
      var id = parseInt(link.getAttribute("data-answer-question"), 10);
      mark = marks.filter(function (m) { return m.kind === "question" && m.item.id === id; })[0];
    } else {
      var thread = parseInt(link.getAttribute("data-passage-link"), 10);
      mark = marks.filter(function (m) { return m.kind === "feedback" && m.item.threads.indexOf(thread) >= 0; })[0];
    }
    if (!mark) { return; }
    event.preventDefault();
    mark.marker.scrollIntoView({ block: "center" });
    open(mark);
    if (link.hasAttribute("data-answer-question")) { addButton.click(); }
  });

  $$("[data-js-only]", region).forEach(function (node) { node.hidden = false; });
  render();
})();
