// The masthead's account links for signed-in readers.
//
// Reader pages are identical for everyone (shared caches serve them), so the
// static HTML says "Sign in · Register". Once /session.json has answered
// (site.js), a signed-in reader sees their name, "Your account" and "Sign out"
// instead; staff also see the staff areas they may use ("Moderation" with the
// number of comments waiting, "Admin"). On their own public page (/readers/<id>/) they also get links to
// edit it. Nothing here is needed to use the site: every link works without it.
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function signOutForm(account, csrf) {
    var form = el("form", { "class": "account-nav-signout", method: "post", action: account.logout_url });
    form.appendChild(el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: csrf || "" }));
    form.appendChild(el("button", { type: "submit", "class": "link-button" }, "Sign out"));
    return form;
  }

  function renderNav(nav, account, csrf) {
    if (nav.querySelector("[data-rendered='server']")) { return; }
    var who = el("span", { "class": "account-nav-who" });
    if (account.avatar_url) {
      who.appendChild(el("img", { "class": "avatar avatar-small", src: account.avatar_url, alt: "", width: "24", height: "24" }));
    }
    who.appendChild(account.public_url ? el("a", { href: account.public_url }, account.name) : document.createTextNode(account.name));
    var items = [who];
    (account.staff_links || []).forEach(function (link) {
      var anchor = el("a", { href: link.url, "data-staff-link": link.name }, link.label);
      if (link.count_text) {
        anchor.appendChild(document.createTextNode(" "));
        anchor.appendChild(el("span", { "class": "account-nav-count" }, link.count_text));
        anchor.appendChild(el("span", { "class": "visually-hidden" }, " waiting"));
      }
      items.push(anchor);
    });
    if (account.admin_url) { items.push(el("a", { href: account.admin_url }, "Admin")); }
    items.push(el("a", { href: account.account_url }, "Your account"));
    items.push(signOutForm(account, csrf));
    nav.replaceChildren.apply(nav, items);
  }

  function renderOwnerTools(account) {
    var tools = document.querySelector("[data-reader-owner]");
    if (!tools || !account.public_id || tools.getAttribute("data-reader-owner") !== account.public_id) { return; }
    var list = el("ul", { "class": "reader-owner-links" });
    var links = [{ label: "Edit your profile", url: account.profile_url }, { label: "Your account", url: account.account_url }]
      .concat(account.links || []);
    links.forEach(function (link) {
      var item = el("li");
      item.appendChild(el("a", { href: link.url }, link.label));
      list.appendChild(item);
    });
    tools.replaceChildren(el("p", {}, "This is your public page."), list);
    tools.hidden = false;
  }

  function render(state) {
    var account = state && state.account;
    if (!account) { return; }
    var nav = document.getElementById("account-nav");
    if (nav) { renderNav(nav, account, state.csrf); }
    renderOwnerTools(account);
  }

  if (window.Newsroom && window.Newsroom.session) {
    window.Newsroom.session.then(render);
  } else {
    document.addEventListener("newsroom:session", function (event) { render(event.detail); });
  }
})();
