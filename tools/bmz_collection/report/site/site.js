/* The partner pages of the catalogue, from window.BMZ_FEED (collection.js, written by
 * `bmz build` / `bmz preview`). Every partner-provided value is inserted as text
 * (textContent) or through attribute setters after URL filtering; the page's
 * Content-Security-Policy forbids inline script, so injected markup cannot run.
 * Filters are read as the website takes them: ?partner=ID or #/?partner=ID, tags=a,b,
 * type=T, id=RESOURCE. The grid is paged: only one page of cards is ever in the DOM. */
(function () {
  "use strict";

  var PAGE_SIZE = 48;
  var TYPE_ORDER = ["model", "application", "dataset", "notebook"];
  var feed = window.BMZ_FEED || {};
  var config = feed.config && typeof feed.config === "object" ? feed.config : {};
  var items = Array.isArray(feed.collection) ? feed.collection : [];
  var partners = Array.isArray(config.partners) ? config.partners : [];
  var findings = Array.isArray(window.BMZ_FINDINGS) ? window.BMZ_FINDINGS : null;
  var itemById = new Map();
  var partnerById = new Map();
  var foldedTags = null; /* lower-cased tags per item, computed when a filter needs them */

  items.forEach(function (item) {
    if (item && typeof item.id === "string") itemById.set(item.id, item);
  });
  partners.forEach(function (p) {
    if (p && typeof p.id === "string") partnerById.set(p.id, p);
  });

  function $(id) { return document.getElementById(id); }

  function text(value) { return typeof value === "string" ? value : ""; }

  function strings(value) {
    return Array.isArray(value) ? value.filter(function (v) { return typeof v === "string"; }) : [];
  }

  /* http(s), relative, and file: on a file:// page; never javascript:, data: or others.
   * Control characters and spaces are removed first, as browsers do before parsing. */
  function safeUrl(value) {
    if (typeof value !== "string") return null;
    var url = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
    if (!url) return null;
    var scheme = /^([a-zA-Z][a-zA-Z0-9+.\-]*):/.exec(url);
    if (!scheme) return /^[\\/]{2}/.test(url) ? null : url;
    var name = scheme[1].toLowerCase();
    if (name === "http" || name === "https") return url;
    if (name === "file" && location.protocol === "file:") return url;
    return null;
  }

  /* A URL inside a CSS url("..."): characters that could end the string are escaped. */
  function cssUrl(url) {
    return url.replace(/["'()\\\s]/g, function (c) {
      return "%" + ("0" + c.charCodeAt(0).toString(16).toUpperCase()).slice(-2);
    });
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = content;
    return node;
  }

  function link(href, content, className) {
    var a = el("a", className, content);
    var url = safeUrl(href);
    if (url) a.setAttribute("href", url);
    return a;
  }

  /* An image that degrades to a text (the partner's name) when it is missing or fails. */
  function image(url, fallback, className) {
    var box = el("span", className);
    var safe = safeUrl(url);
    var label = el("span", "fallback", fallback);
    if (!safe) {
      box.appendChild(label);
      return box;
    }
    box.setAttribute("data-src", safe);
    var img = document.createElement("img");
    img.alt = fallback;
    img.addEventListener("error", function () {
      if (img.parentNode === box) box.replaceChild(label, img);
    });
    img.src = safe;
    box.appendChild(img);
    return box;
  }

  /* Query parameters from ?a=b and from #/?a=b (the hash wins). */
  function params() {
    var out = {};
    function read(query) {
      query.split("&").forEach(function (pair) {
        if (!pair) return;
        var i = pair.indexOf("=");
        var key = i < 0 ? pair : pair.slice(0, i);
        var value = i < 0 ? "" : pair.slice(i + 1);
        try {
          out[decodeURIComponent(key.replace(/\+/g, " "))] = decodeURIComponent(value.replace(/\+/g, " "));
        } catch (e) { /* a malformed escape: ignore that parameter */ }
      });
    }
    read(location.search.replace(/^\?/, ""));
    var hash = location.hash.replace(/^#/, "");
    var q = hash.indexOf("?");
    if (q >= 0) read(hash.slice(q + 1));
    return out;
  }

  function href(state) {
    var parts = [];
    ["partner", "tags", "type", "id", "page"].forEach(function (key) {
      if (state[key]) parts.push(key + "=" + encodeURIComponent(String(state[key])));
    });
    return "#/?" + parts.join("&");
  }

  function splitTags(value) {
    return (value || "").split(",").map(function (t) { return t.trim().toLowerCase(); })
      .filter(function (t) { return t; });
  }

  function folded(index) {
    if (!foldedTags) {
      foldedTags = items.map(function (item) {
        return strings(item && item.tags).map(function (t) { return t.trim().toLowerCase(); });
      });
    }
    return foldedTags[index];
  }

  /* A partner page: its own resources and any other carrying one of its tags. */
  function matches(partner, tags) {
    var prefix = partner ? partner.id + "/" : null;
    var wanted = partner ? strings(partner.tags).map(function (t) { return t.trim().toLowerCase(); })
      .filter(function (t) { return t; }) : [];
    var out = [];
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (!item || typeof item.id !== "string") continue;
      if (prefix && item.id.indexOf(prefix) !== 0) {
        if (!wanted.length) continue;
        var own = folded(i);
        var hit = false;
        for (var w = 0; w < wanted.length && !hit; w++) hit = own.indexOf(wanted[w]) >= 0;
        if (!hit) continue;
      }
      if (tags.length) {
        var have = folded(i);
        var all = true;
        for (var t = 0; t < tags.length && all; t++) all = have.indexOf(tags[t]) >= 0;
        if (!all) continue;
      }
      out.push(item);
    }
    return out;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function showMessage(message) {
    var box = $("message");
    box.textContent = message;
    box.hidden = false;
  }

  function renderStrip(current) {
    var nav = $("partners");
    clear(nav);
    nav.appendChild(link(href({}), "All", "all"));
    partners.forEach(function (p) {
      var a = link(href({ partner: p.id }), null, "partner");
      a.setAttribute("data-partner-id", p.id);
      a.setAttribute("title", text(p.name) || p.id);
      var logo = image(p.logo || p.icon, "", "logo");
      logo.setAttribute("aria-hidden", "true");
      a.appendChild(logo);
      a.appendChild(el("span", "name", text(p.name) || p.id));
      if (current && current.id === p.id) a.setAttribute("aria-current", "page");
      nav.appendChild(a);
    });
  }

  function renderSplash(partner) {
    var splash = $("splash");
    if (!partner) {
      splash.hidden = true;
      splash.removeAttribute("data-partner");
      return;
    }
    var name = text(partner.name) || partner.id;
    splash.hidden = false;
    splash.setAttribute("data-partner", partner.id);
    var bg = safeUrl(partner.background_image);
    splash.style.backgroundImage = bg ? "url(\"" + cssUrl(bg) + "\")" : "";
    var logo = $("splash-logo");
    clear(logo);
    logo.appendChild(image(partner.logo || partner.icon, name));
    $("splash-title").textContent = text(partner.splash_title) || name;
    $("splash-subtitle").textContent = text(partner.splash_subtitle);
    var list = $("splash-features");
    clear(list);
    strings(partner.splash_feature_list).forEach(function (f) { list.appendChild(el("li", null, f)); });
    $("explore").textContent = text(partner.explore_button_text) || "Start Exploring";
    var about = $("about");
    var aboutUrl = safeUrl(partner.about_url) || safeUrl(partner.docs);
    if (aboutUrl) {
      about.setAttribute("href", aboutUrl);
      about.hidden = false;
    } else {
      about.removeAttribute("href");
      about.hidden = true;
    }
    document.title = name + " · partner page";
  }

  function card(item, state) {
    var box = el("article", "card");
    box.setAttribute("data-resource-id", item.id);
    var name = text(item.name) || item.id;
    var covers = strings(item.covers);
    var cover = el("div", "cover");
    var picture = covers[0] || item.icon;
    cover.appendChild(image(picture, text(item.type) || "resource"));
    box.appendChild(cover);
    var body = el("div", "body");
    body.appendChild(el("span", "type", text(item.type)));
    var h = el("h3");
    h.appendChild(link(href({ partner: state.partner, id: item.id }), name));
    body.appendChild(h);
    body.appendChild(el("p", null, text(item.description)));
    var tags = el("ul", "tags");
    strings(item.tags).slice(0, 8).forEach(function (t) {
      var li = el("li");
      li.appendChild(link(href({ partner: state.partner, tags: t }), t));
      tags.appendChild(li);
    });
    body.appendChild(tags);
    box.appendChild(body);
    return box;
  }

  function typesFor(partner, matched) {
    var listed = partner ? strings(partner.resource_types) : [];
    if (listed.length) return listed;
    var seen = new Set();
    matched.forEach(function (item) { if (typeof item.type === "string") seen.add(item.type); });
    return Array.from(seen).sort(function (a, b) {
      var ia = TYPE_ORDER.indexOf(a), ib = TYPE_ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : a > b ? 1 : 0);
    });
  }

  function renderGrid(partner, state) {
    var tags = splitTags(state.tags);
    var matched = matches(partner, tags);
    var count = $("count");
    count.setAttribute("data-count", String(matched.length));
    count.textContent = matched.length + (matched.length === 1 ? " resource" : " resources") +
      (partner ? " on this page" : "");
    var active = $("active-tags");
    active.hidden = !tags.length;
    active.textContent = tags.length ? "tagged: " + tags.join(", ") : "";

    var types = typesFor(partner, matched);
    var byType = {};
    matched.forEach(function (item) {
      var t = String(item.type);
      byType[t] = (byType[t] || 0) + 1;
    });
    var selected = state.type && types.indexOf(state.type) >= 0 ? state.type
      : partner && types.indexOf(partner.default_type) >= 0 ? partner.default_type
      : types[0];
    var tabs = $("tabs");
    clear(tabs);
    types.forEach(function (t) {
      var b = el("button", null, t + " (" + (byType[t] || 0) + ")");
      b.type = "button";
      b.setAttribute("role", "tab");
      b.setAttribute("data-type", t);
      b.setAttribute("data-count", String(byType[t] || 0));
      b.setAttribute("aria-selected", t === selected ? "true" : "false");
      b.addEventListener("click", function () {
        location.hash = href({ partner: state.partner, tags: state.tags, type: t });
      });
      tabs.appendChild(b);
    });

    var shown = selected === undefined ? matched : matched.filter(function (i) { return i.type === selected; });
    var pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    var page = Math.min(pages, Math.max(1, parseInt(state.page, 10) || 1));
    var grid = $("grid");
    clear(grid);
    grid.setAttribute("data-type", selected || "");
    grid.setAttribute("data-shown", String(shown.length));
    var frag = document.createDocumentFragment();
    shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).forEach(function (item) {
      frag.appendChild(card(item, state));
    });
    grid.appendChild(frag);
    if (!shown.length) grid.appendChild(el("p", "empty", "Nothing to show here."));

    var pager = $("pager");
    pager.hidden = pages < 2;
    pager.setAttribute("data-page", String(page));
    pager.setAttribute("data-pages", String(pages));
    $("page-label").textContent = "page " + page + " of " + pages;
    var base = { partner: state.partner, tags: state.tags, type: selected };
    $("prev").disabled = page <= 1;
    $("next").disabled = page >= pages;
    $("prev").onclick = function () { location.hash = href(Object.assign({}, base, { page: page - 1 })); };
    $("next").onclick = function () { location.hash = href(Object.assign({}, base, { page: page + 1 })); };
  }

  function renderDetail(item) {
    var box = $("detail");
    clear(box);
    box.hidden = false;
    box.setAttribute("data-resource-id", item.id);
    box.appendChild(el("span", "type", text(item.type)));
    box.appendChild(el("h2", null, text(item.name) || item.id));
    box.appendChild(el("p", null, text(item.description)));
    var dl = el("dl");
    function row(label, node) {
      dl.appendChild(el("dt", null, label));
      var dd = el("dd");
      dd.appendChild(node);
      dl.appendChild(dd);
    }
    row("id", document.createTextNode(item.id));
    var authors = Array.isArray(item.authors) ? item.authors.map(function (a) {
      return a && typeof a === "object" ? text(a.name) : text(a);
    }).filter(function (a) { return a; }) : [];
    if (authors.length) row("authors", document.createTextNode(authors.join(", ")));
    if (strings(item.tags).length) row("tags", document.createTextNode(strings(item.tags).join(", ")));
    if (text(item.license)) row("license", document.createTextNode(item.license));
    ["source", "download_url", "documentation", "rdf_source"].forEach(function (key) {
      if (text(item[key])) row(key.replace("_", " "), link(item[key], item[key]));
    });
    strings(item.links).forEach(function (other) {
      row("related", link(href({ id: other }), other));
    });
    (Array.isArray(item.badges) ? item.badges : []).forEach(function (badge) {
      if (badge && typeof badge === "object") row("badge", link(badge.url, text(badge.label) || text(badge.url)));
    });
    var covers = el("div", "covers");
    strings(item.covers).forEach(function (c) { covers.appendChild(image(c, "cover")); });
    box.appendChild(dl);
    box.appendChild(covers);
    document.title = (text(item.name) || item.id) + " · resource";
  }

  /* The grid's data holds cards only; a resource's page loads its partner's full items
   * (items/<partner>.js, a script: file:// pages cannot fetch). */
  var loading = {};
  function withFullItem(item, done) {
    var pid = item.id.split("/")[0];
    var find = function () {
      var list = window.BMZ_ITEMS && window.BMZ_ITEMS[pid];
      if (!Array.isArray(list)) return;
      for (var i = 0; i < list.length; i++) {
        if (list[i] && list[i].id === item.id) { done(list[i]); return; }
      }
    };
    if (window.BMZ_ITEMS && window.BMZ_ITEMS[pid]) { find(); return; }
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(pid)) return;
    if (!loading[pid]) {
      loading[pid] = [];
      var script = document.createElement("script");
      script.src = "items/" + pid + ".js";
      script.addEventListener("load", function () { loading[pid].forEach(function (f) { f(); }); });
      document.body.appendChild(script);
    }
    loading[pid].push(find);
  }

  function renderFindings() {
    var box = $("findings");
    if (!findings) return;
    var list = $("finding-list");
    clear(list);
    box.hidden = false;
    box.setAttribute("data-count", String(findings.length));
    if (!findings.length) list.appendChild(el("li", null, "No findings: the collection is valid."));
    findings.forEach(function (line) {
      list.appendChild(el("li", line.indexOf(": error: ") >= 0 ? "error" : "warning", line));
    });
  }

  function render() {
    var state = params();
    $("message").hidden = true;
    $("detail").hidden = true;
    $("resources").hidden = false;
    var partner = null;
    if (state.partner) {
      partner = partnerById.get(state.partner) || null;
      if (!partner) {
        renderStrip(null);
        renderSplash(null);
        $("resources").hidden = true;
        $("count").setAttribute("data-count", "0");
        showMessage("Unknown partner \u201c" + state.partner + "\u201d: this catalogue has no such partner.");
        $("message").setAttribute("data-error", "unknown-partner");
        return;
      }
    }
    renderStrip(partner);
    renderSplash(partner);
    if (state.id) {
      $("resources").hidden = true;
      var item = itemById.get(state.id);
      if (!item) {
        $("count").setAttribute("data-count", "0");
        showMessage("Unknown resource \u201c" + state.id + "\u201d: this catalogue has no resource with that id.");
        $("message").setAttribute("data-error", "unknown-id");
        return;
      }
      $("count").setAttribute("data-count", "1");
      renderDetail(item);
      withFullItem(item, function (full) {
        if (params().id === item.id) renderDetail(full);
      });
      return;
    }
    if (!partner) document.title = text(feed.name) || "Partner pages";
    renderGrid(partner, state);
  }

  $("explore").addEventListener("click", function () { $("resources").scrollIntoView(); });
  window.addEventListener("hashchange", render);
  renderFindings();
  render();
  document.documentElement.setAttribute("data-render-ms", String(Math.round(performance.now())));
  document.documentElement.setAttribute("data-ready", "");
})();
