// Comments: inline replies, posting and voting without reloads, and the
// reader's own state (pending comments, votes, edit links) on cached pages.
//
// The page's HTML is the same for everyone. What belongs to this reader comes
// from /session.json (see site.js): the CSRF token and form timestamp are
// added to the forms, the reader's pending comments are inserted where they
// belong, and their votes are marked. Without JavaScript every link and form
// still works through plain pages.
(function () {
  "use strict";

  var region = document.querySelector("[data-comments]");
  if (!region || !window.Newsroom) { return; }

  var state = { csrf: "", comments: null };
  var form = region.querySelector("[data-comment-form]");
  var formHome = form ? form.parentNode : null;
  var formNext = form ? form.nextSibling : null;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function setHidden(target, name, value) {
    var input = target.querySelector("input[name='" + name + "']");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      target.appendChild(input);
    }
    input.value = value;
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  function repliesList(li) {
    var list = null;
    for (var i = 0; i < li.children.length; i++) {
      if (li.children[i].matches("ol.replies")) { list = li.children[i]; }
    }
    if (!list) {
      list = document.createElement("ol");
      list.className = "replies";
      li.appendChild(list);
    }
    return list;
  }

  function insertComment(html, parentId, atTop) {
    var nodes = fragment(html);
    var li = nodes.querySelector("li.comment");
    var existing = li ? document.getElementById(li.id) : null;
    if (existing) {
      // The reader's own held comment that already has replies is listed for
      // everyone as a placeholder: show them their own words in its place.
      var card = li.querySelector(".comment-card"), shown = existing.querySelector(".comment-card");
      if (card && shown && existing.classList.contains("comment-pending")) {
        shown.parentNode.replaceChild(card, shown);
        decorate(existing);
      }
      return existing;
    }
    if (!li) { return null; }
    var parent = parentId ? document.getElementById("comment-" + parentId) : null;
    var list = parent ? repliesList(parent) : $("[data-comment-list]", region);
    if (!list) { return null; }
    if (atTop && list.firstChild) { list.insertBefore(nodes, list.firstChild); } else { list.appendChild(nodes); }
    var empty = $("[data-no-comments]", region);
    if (empty) { empty.hidden = true; }
    decorate(li);
    return li;
  }

  // --- The reader's own state ------------------------------------------------

  function decorate(root) {
    var mine = state.comments;
    if (!mine) { return; }
    $$(".vote-form", root).forEach(function (voteForm) {
      if (state.csrf) { setHidden(voteForm, "csrfmiddlewaretoken", state.csrf); }
      var li = voteForm.closest("li.comment");
      var value = mine.votes[li.getAttribute("data-comment-id")];
      markVote(voteForm, value || 0);
    });
    (mine.editable || []).forEach(function (entry) { addOwnLink(root, entry.id, "edit", "Edit"); });
    (mine.deletable || []).forEach(function (id) { addOwnLink(root, id, "delete", "Delete"); });
    (mine.reported || []).forEach(function (id) { markReported(root, id); });
  }

  function markReported(root, id) {
    var li = root.id === "comment-" + id ? root : $("#comment-" + id, root);
    var link = li && $("[data-report]", li);
    if (!link || link.closest("li.comment") !== li) { return; }
    var done = document.createElement("span");
    done.className = "report-link is-reported";
    done.textContent = "Reported";
    link.replaceWith(done);
  }

  function addOwnLink(root, id, action, label) {
    var li = root.id === "comment-" + id ? root : $("#comment-" + id, root);
    if (!li) { return; }
    var card = $(".comment-card", li);
    var footer = $(".comment-actions", card) || $(".comment-own-actions", card);
    if (!footer) {
      footer = document.createElement("footer");
      footer.className = "comment-own-actions";
      card.appendChild(footer);
    }
    if ($("a[data-own='" + action + "']", footer)) { return; }
    var link = document.createElement("a");
    link.href = "/comments/" + id + "/" + action + "/";
    link.className = "own-link";
    link.setAttribute("data-own", action);
    link.textContent = label;
    footer.appendChild(link);
  }

  function markVote(voteForm, value) {
    var up = $(".vote-up", voteForm);
    var down = $(".vote-down", voteForm);
    if (up) { up.setAttribute("aria-pressed", value === 1 ? "true" : "false"); }
    if (down) { down.setAttribute("aria-pressed", value === -1 ? "true" : "false"); }
  }

  function applySession(session) {
    state.csrf = session.csrf || "";
    state.comments = session.comments || null;
    // "Follow this discussion" is a plain form post: it only needs the token.
    $$("[data-subscribe-form]", region).forEach(function (subscribe) {
      if (state.csrf) { setHidden(subscribe, "csrfmiddlewaretoken", state.csrf); }
    });
    if (form && state.comments) {
      setHidden(form, "csrfmiddlewaretoken", state.csrf);
      setHidden(form, "ts", state.comments.ts || "");
      var signedIn = !!(session.user || state.comments.name);
      var guest = $("[data-guest-fields]", form);
      var signIn = $("[data-sign-in-to-comment]", form);
      var placeholder = guest || signIn;
      if (guest && (signedIn || state.comments.guests_allowed === false)) {
        guest.hidden = true;
        $$("input", guest).forEach(function (input) { input.disabled = true; });
      }
      // The cached region shows "Sign in to comment" to everyone when guests
      // may not comment: not to a reader who is signed in, and a guest is
      // not left typing a comment that cannot be posted.
      if (signIn) { signIn.hidden = signedIn; }
      if (!signedIn && state.comments.guests_allowed === false) {
        $$("textarea, select, button[type=submit]", form).forEach(function (input) { input.disabled = true; });
      }
      if (placeholder && signedIn && state.comments.name) {
        var who = $(".commenting-as", form);
        if (!who) {
          who = document.createElement("p");
          who.className = "commenting-as";
          placeholder.parentNode.insertBefore(who, placeholder);
        }
        who.textContent = "Commenting as " + state.comments.name;
      }
    }
    if (state.comments) {
      (state.comments.pending || []).concat(state.comments.declined || []).forEach(function (item) {
        insertComment(item.html, item.parent, true);
      });
      if (form && state.comments.blocked) {
        status(state.comments.blocked, true);
        $("button[type=submit]", form).disabled = true;
      }
    }
    decorate(region);
  }

  window.Newsroom.session.then(applySession);

  // For inline-feedback.js: the same form, reader state and markup helpers.
  window.Newsroom.comments = {
    openForm: openForm,
    closeForm: function () { closeReply(true); },
    decorate: function (root) { decorate(root); },
    fragment: fragment,
    state: state
  };

  // --- Replying inline -----------------------------------------------------------

  function status(message, isError) {
    var box = form && $("[data-form-status]", form);
    if (!box) { return; }
    box.textContent = message;
    box.classList.toggle("is-error", !!isError);
  }

  var ANCHOR_FIELDS = ["anchor_exact", "anchor_prefix", "anchor_suffix", "anchor_start", "anchor_end", "question"];

  // Move the comment form to ``place`` (inserted after it, or appended to it
  // with ``inside``) for a reply or an inline feedback on a passage.
  function openForm(place, options) {
    if (!form) { return false; }
    closeReply(true);
    if (options.inside) { place.appendChild(form); } else { place.parentNode.insertBefore(form, place.nextSibling); }
    form.classList.add("is-reply");
    setHidden(form, "parent", options.parent || "");
    var anchor = options.anchor || {};
    ANCHOR_FIELDS.forEach(function (name) {
      var key = name.replace("anchor_", "");
      setHidden(form, name, anchor[key] === undefined || anchor[key] === null ? "" : String(anchor[key]));
    });
    if (options.question) { setHidden(form, "question", String(options.question)); }
    var replying = $("[data-replying-to]", form);
    replying.textContent = options.label || "";
    replying.hidden = !options.label;
    var on = $("[data-commenting-on]", form);
    if (on) {
      on.textContent = options.quote || "";
      on.hidden = !options.quote;
    }
    var cancel = $("[data-cancel-reply]", form);
    cancel.textContent = options.cancelLabel || "Cancel reply";
    cancel.hidden = false;
    $("textarea", form).focus();
    return true;
  }

  function openReply(link) {
    var li = document.getElementById("comment-" + link.getAttribute("data-reply-to"));
    return openForm($(".comment-card", li), {
      parent: link.getAttribute("data-reply-to"),
      label: "Replying to " + link.getAttribute("data-reply-name")
    });
  }

  function closeReply(quiet) {
    if (!form || !form.classList.contains("is-reply")) { return; }
    form.classList.remove("is-reply");
    setHidden(form, "parent", "");
    ANCHOR_FIELDS.forEach(function (name) { setHidden(form, name, ""); });
    $("[data-replying-to]", form).hidden = true;
    var on = $("[data-commenting-on]", form);
    if (on) { on.hidden = true; }
    $("[data-cancel-reply]", form).hidden = true;
    formHome.insertBefore(form, formNext);
    if (!quiet) { document.dispatchEvent(new CustomEvent("newsroom:form-closed")); }
  }

  // Comments also show beside the article's passages (inline-feedback.js):
  // actions work the same there.
  function inDiscussion(target) {
    return target.closest && target.closest("[data-comments], [data-feedback-panel]");
  }

  document.addEventListener("click", function (event) {
    if (!inDiscussion(event.target)) { return; }
    var reply = event.target.closest("[data-reply-to]");
    if (reply && openReply(reply)) { event.preventDefault(); return; }
    if (event.target.closest("[data-cancel-reply]")) { closeReply(false); return; }
    var more = event.target.closest("[data-thread]");
    if (more) { event.preventDefault(); showThread(more); return; }
    var load = event.target.closest(".load-more");
    if (load) { event.preventDefault(); loadMore(load); return; }
    var report = event.target.closest("[data-report]");
    if (report && openReport(report)) { event.preventDefault(); return; }
    var cancel = event.target.closest("[data-report-cancel]");
    if (cancel) { cancel.closest("form").remove(); }
  });

  // --- Reporting a comment ------------------------------------------------------
  // The form comes from a <template> in the (cached) region; without it, or
  // without JavaScript, the link leads to the plain report page.

  function openReport(link) {
    var template = $("template[data-report-template]", region);
    var card = link.closest(".comment-card");
    if (!template || !card) { return false; }
    var open = $(".report-inline", card);
    if (!open) {
      card.appendChild(template.content.cloneNode(true));
      open = $(".report-inline", card);
      open.action = link.href;
      open.addEventListener("submit", function (event) { sendReport(event, open, link); });
    }
    $("input[name=reason]", open).focus();
    return true;
  }

  function sendReport(event, reportForm, link) {
    event.preventDefault();
    var box = $(".form-status", reportForm);
    window.Newsroom.session.then(function () {
      fetch(reportForm.action, {
        method: "POST",
        body: new FormData(reportForm),
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": state.csrf }
      }).then(function (response) { return response.json(); }).then(function (data) {
        if (!data.ok) {
          box.textContent = data.error || "Your report could not be sent.";
          box.classList.add("is-error");
          return;
        }
        var thanks = document.createElement("p");
        thanks.className = "form-status";
        thanks.setAttribute("role", "status");
        thanks.textContent = data.message;
        reportForm.replaceWith(thanks);
        markReported(link.closest("li.comment"), data.id);
      }).catch(function () {
        box.textContent = "We could not reach the site. Try again in a moment.";
        box.classList.add("is-error");
      });
    });
  }

  // --- Posting ---------------------------------------------------------------------

  function showErrors(errors) {
    $$(".errorlist.js-error", form).forEach(function (node) { node.remove(); });
    var general = [];
    Object.keys(errors || {}).forEach(function (field) {
      var input = form.querySelector("[name='" + field + "']");
      var list = document.createElement("ul");
      list.className = "errorlist js-error";
      errors[field].forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        list.appendChild(item);
      });
      if (input && input.type !== "hidden") {
        input.parentNode.insertBefore(list, input);
      } else {
        general = general.concat(errors[field]);
      }
    });
    status(general.join(" ") || "Please correct the errors above.", true);
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.Newsroom.session.then(function () {
        var button = $("button[type=submit]", form);
        button.disabled = true;
        status("Posting…", false);
        fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { "Accept": "application/json", "X-CSRFToken": state.csrf }
        }).then(function (response) {
          return response.json().then(function (data) { return { status: response.status, data: data }; });
        }).then(function (result) {
          button.disabled = false;
          var data = result.data;
          if (data.ts) { setHidden(form, "ts", data.ts); }
          if (!data.ok) { showErrors(data.errors); return; }
          $$(".errorlist.js-error", form).forEach(function (node) { node.remove(); });
          var sort = region.getAttribute("data-sort");
          var parent = data.parent;
          if (form.classList.contains("is-reply")) { closeReply(true); }
          var li = insertComment(data.html, parent, !parent && sort === "newest");
          if (state.comments) { state.comments.deletable.push(data.id); }
          if (li) { addOwnLink(li, data.id, "edit", "Edit"); addOwnLink(li, data.id, "delete", "Delete"); }
          $("textarea", form).value = "";
          var said = data.status === "approved" ? "Your comment is published." :
            data.status === "rejected" ? "Your comment was not published" + (data.reason ? ": " + data.reason + "." : ".") :
            "Thank you. Your comment is awaiting moderation; only you can see it for now.";
          status(said + (data.notify ? " " + data.notify : ""), data.status === "rejected");
          if (li) { li.classList.add("is-new"); }
          var posted = new CustomEvent("newsroom:comment-posted", { detail: data, cancelable: true });
          if (document.dispatchEvent(posted) && li) { li.scrollIntoView({ block: "center" }); }
        }).catch(function () {
          button.disabled = false;
          status("We could not reach the site. Your text is still here; try again in a moment.", true);
        });
      });
    });
  }

  // --- Voting -------------------------------------------------------------------------

  document.addEventListener("submit", function (event) {
    if (!inDiscussion(event.target)) { return; }
    var voteForm = event.target.closest(".vote-form");
    if (!voteForm) { return; }
    event.preventDefault();
    var button = event.submitter || $(".vote-up", voteForm);
    var value = parseInt(button.value, 10);
    if (button.getAttribute("aria-pressed") === "true") { value = 0; }
    var body = new FormData();
    body.append("value", String(value));
    window.Newsroom.session.then(function () {
      fetch(voteForm.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": state.csrf }
      }).then(function (response) { return response.json(); }).then(function (data) {
        if (!data.ok) { window.alert(data.error || "Your vote could not be counted."); return; }
        $(".vote-up .vote-count", voteForm).textContent = data.up;
        $(".vote-down .vote-count", voteForm).textContent = data.down;
        markVote(voteForm, data.mine);
        if (state.comments) { state.comments.votes[data.id] = data.mine; }
      }).catch(function () {});
    });
  });

  // --- More threads and replies ---------------------------------------------------------

  function loadMore(link) {
    var item = link.closest("li");
    link.textContent = "Loading…";
    fetch(link.getAttribute("data-fragment"), { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var nodes = fragment(html);
        var added = $$(":scope > li.comment", nodes);
        item.replaceWith(nodes);
        added.forEach(decorate);
      })
      .catch(function () { link.textContent = "Load more comments"; });
  }

  function showThread(link) {
    var threadId = link.getAttribute("data-thread");
    var root = document.getElementById("comment-" + threadId);
    fetch("/comments/thread/" + threadId + "/?fragment=1", { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var nodes = fragment(html);
        var fresh = $("li.comment", nodes);
        root.replaceWith(nodes);
        if (fresh) { decorate(fresh); }
      });
  }
})();
