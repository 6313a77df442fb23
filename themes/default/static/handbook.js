// handbook default theme: search box and keyboard support. No dependencies.
// The search index is fetched only when the visitor first uses search.
(function () {
  "use strict";
  // Large sites share one sidebar file per section instead of repeating it
  // in every page: load it and mark the current page.
  var navBox = document.querySelector("[data-nav-src]");
  if (navBox) {
    fetch(navBox.getAttribute("data-nav-src"))
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        navBox.innerHTML = html;
        var path = location.pathname, links = navBox.querySelectorAll("a[href]");
        var home = links.length ? links[0].getAttribute("href") : "";
        for (var i = 0; i < links.length; i++) {
          var href = links[i].getAttribute("href");
          // Open the sections on the way to this page (the home link only on the home page).
          if (path.indexOf(href) === 0 && (href !== home || path === home)) links[i].parentNode.classList.add("active");
          if (href === path) links[i].setAttribute("aria-current", "page");
        }
      })
      .catch(function () {});
  }
})();

(function () {
  "use strict";
  // The search box needs JavaScript, so JavaScript builds it.
  var box = document.querySelector(".search[data-index]");
  if (!box) return;
  box.innerHTML = '<label for="search-input" class="visually-hidden">Search the handbook</label>' +
    '<input id="search-input" type="search" placeholder="Search…  (press /)" autocomplete="off" spellcheck="false"' +
    ' role="combobox" aria-expanded="false" aria-controls="search-results" aria-autocomplete="list">' +
    '<ul id="search-results" role="listbox" aria-label="Search results" hidden></ul>' +
    '<p id="search-status" class="visually-hidden" role="status" aria-live="polite"></p>';
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  input.setAttribute("data-index", box.getAttribute("data-index"));
  var index = null, loading = null, results = [], selected = -1;

  function load() {
    if (!loading) {
      loading = fetch(input.getAttribute("data-index"))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          index = data.map(function (e) {
            return { e: e, t: e.t.toLowerCase(), h: (e.h || "").toLowerCase(), b: (e.b || "").toLowerCase(),
              r: e.r ? (e.r.track + " " + e.r.level + (e.r.open ? " open" : "")).toLowerCase() : "" };
          });
        })
        .catch(function () { index = []; });
    }
    return loading;
  }

  function score(doc, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i], s = 0;
      if (doc.t.indexOf(t) >= 0) s += doc.t.indexOf(t) === 0 ? 12 : 8;
      if (doc.h.indexOf(t) >= 0) s += 4;
      if (doc.r.indexOf(t) >= 0) s += 4;
      if (doc.b.indexOf(t) >= 0) s += 1;
      if (!s) return 0;
      total += s;
    }
    return total;
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function snippet(doc, term) {
    var i = doc.b.indexOf(term);
    if (i < 0) return doc.e.r ? doc.e.r.level + " · " + doc.e.r.track + (doc.e.r.open ? " · open" : "") : "";
    var start = Math.max(0, i - 40);
    return (start ? "…" : "") + doc.e.b.slice(start, i + 80) + "…";
  }

  function render() {
    var q = input.value.trim().toLowerCase();
    selected = -1;
    if (!q || !index) { list.hidden = true; list.innerHTML = ""; input.setAttribute("aria-expanded", "false"); return; }
    var terms = q.split(/\s+/);
    results = [];
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], terms);
      if (s) results.push({ s: s, d: index[i] });
    }
    results.sort(function (a, b) { return b.s - a.s; });
    results = results.slice(0, 10);
    list.innerHTML = results.map(function (r, n) {
      return '<li role="option" id="search-result-' + n + '" aria-selected="false"><a href="' + esc(r.d.e.u) + '">' +
        esc(r.d.e.t) + "<small>" + esc(snippet(r.d, terms[0])) + "</small></a></li>";
    }).join("") || '<li role="option" aria-disabled="true">No results</li>';
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    if (status) status.textContent = results.length + " result" + (results.length === 1 ? "" : "s");
  }

  function select(n) {
    var items = list.querySelectorAll('li[role="option"][id]');
    if (!items.length) return;
    selected = (n + items.length) % items.length;
    for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", i === selected ? "true" : "false");
    input.setAttribute("aria-activedescendant", items[selected].id);
    items[selected].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", function () { load().then(render); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { ev.preventDefault(); select(selected + 1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); select(selected - 1); }
    else if (ev.key === "Enter") {
      var target = results[selected >= 0 ? selected : 0];
      if (target) { ev.preventDefault(); window.location.href = target.d.e.u; }
    } else if (ev.key === "Escape") { input.value = ""; render(); }
  });
  document.addEventListener("keydown", function (ev) {
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (ev.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(tag) && !ev.ctrlKey && !ev.metaKey) {
      ev.preventDefault();
      input.focus();
    }
  });
  document.addEventListener("click", function (ev) {
    if (!list.contains(ev.target) && ev.target !== input) { list.hidden = true; input.setAttribute("aria-expanded", "false"); }
  });
})();

// GitHub-style fragments: heading ids are lower case, and GitHub's page
// script retries a fragment that matches nothing in lower case, so a link
// to #FAQ lands on `## FAQ` (id "faq"). The link checker accepts the same.
(function () {
  function land() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id || document.getElementById(id)) return;
    var target = document.getElementById(id.toLowerCase());
    if (target) target.scrollIntoView();
  }
  window.addEventListener("hashchange", land);
  land();
})();
