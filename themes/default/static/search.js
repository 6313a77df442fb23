// handbook default theme: search and role filters. No dependencies.
//
// The index is a set of small files under search/ (src/output/search/):
// manifest.json (chunk boundaries, facet values), t/<chunk>.json (stems
// with postings), p/<n>.json (result cards: one per file, or on big sites
// `cards_per_file` per file) and roles.json (role
// facets). Nothing is fetched until the visitor focuses the search box;
// then the manifest, the chunks holding the query's stems and the cards of
// the results shown. Words are folded, split, filtered and stemmed exactly
// as the indexer does (src/output/search/text.rs).
(function () {
  "use strict";

  // ---- Words: the same rules as src/output/search/text.rs ----
  var STOP = {};
  ("a an and are as at be by for from in is it of on or that the this to was with")
    .split(" ").forEach(function (w) { STOP[w] = true; });

  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function words(s) { return fold(s).match(/[\p{Alphabetic}\p{N}]+/gu) || []; }

  // Snowball English (Porter2) stemmer, written from the algorithm's
  // published description; a browser test compares it with the Rust one.
  var EXC1 = { skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl",
    gently: "gentl", ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky",
    news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes" };
  var EXC2 = { inning: 1, outing: 1, canning: 1, herring: 1, earring: 1, proceed: 1, exceed: 1, succeed: 1 };
  var STEP2 = { tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize",
    ization: "ize", ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al", alli: "al",
    fulness: "ful", ousli: "ous", ousness: "ous", iveness: "ive", iviti: "ive", biliti: "ble",
    bli: "ble", ogi: "og", fulli: "ful", lessli: "less", li: "" };
  var STEP3 = { tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic",
    ful: "", ness: "", ative: "" };
  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
    "ism", "ate", "iti", "ous", "ive", "ize", "ion"];

  function vowel(c) { return "aeiouy".indexOf(c) >= 0; }
  function regionAfter(w, from) {
    for (var i = from + 1; i < w.length; i++) if (vowel(w[i - 1]) && !vowel(w[i])) return i + 1;
    return w.length;
  }
  function shortSyllable(w) {
    var n = w.length;
    if (n === 2) return vowel(w[0]) && !vowel(w[1]);
    return n > 2 && !vowel(w[n - 1]) && "wxY".indexOf(w[n - 1]) < 0 && vowel(w[n - 2]) && !vowel(w[n - 3]);
  }
  function longest(w, list) {
    var best = "";
    for (var i = 0; i < list.length; i++) {
      var s = list[i];
      if (s.length > best.length && w.length >= s.length && w.slice(-s.length) === s) best = s;
    }
    return best;
  }
  var STEP2_KEYS = Object.keys(STEP2), STEP3_KEYS = Object.keys(STEP3);

  function step1(w, r1) {
    if (/sses$/.test(w)) w = w.slice(0, -2);
    else if (/ie[ds]$/.test(w)) w = w.slice(0, -3) + (w.length > 4 ? "i" : "ie");
    else if (/(us|ss)$/.test(w)) { /* kept */ }
    else if (/s$/.test(w) && /[aeiouy]/.test(w.slice(0, -2))) w = w.slice(0, -1);
    if (EXC2[w]) return { w: w, done: true };
    var m = /(eedly|eed|ingly|edly|ing|ed)$/.exec(w);
    if (m && m[1].indexOf("eed") === 0) {
      if (m.index >= r1) w = w.slice(0, m.index) + "ee";
    } else if (m && /[aeiouy]/.test(w.slice(0, m.index))) {
      w = w.slice(0, m.index);
      if (/(at|bl|iz)$/.test(w)) w += "e";
      else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
      else if (w.length === r1 && shortSyllable(w)) w += "e";
    }
    if (w.length > 2 && /[yY]$/.test(w) && !vowel(w[w.length - 2])) w = w.slice(0, -1) + "i";
    return { w: w, done: false };
  }

  function step2to5(w, r1, r2) {
    var s = longest(w, STEP2_KEYS), at = w.length - s.length;
    if (s && at >= r1) {
      if (s === "ogi") { if (w[at - 1] === "l") w = w.slice(0, at) + "og"; }
      else if (s === "li") { if ("cdeghkmnrt".indexOf(w[at - 1]) >= 0) w = w.slice(0, at); }
      else w = w.slice(0, at) + STEP2[s];
    }
    s = longest(w, STEP3_KEYS); at = w.length - s.length;
    if (s && at >= r1 && (s !== "ative" || at >= r2)) w = w.slice(0, at) + STEP3[s];
    s = longest(w, STEP4); at = w.length - s.length;
    if (s && at >= r2) {
      if (s !== "ion") w = w.slice(0, at);
      else if (w[at - 1] === "s" || w[at - 1] === "t") w = w.slice(0, at);
    }
    var n = w.length - 1;
    if (w[n] === "e" && (n >= r2 || (n >= r1 && !shortSyllable(w.slice(0, n))))) w = w.slice(0, n);
    else if (w[n] === "l" && n >= r2 && w[n - 1] === "l") w = w.slice(0, n);
    return w;
  }

  function stem(word) {
    if (word.length < 3 || !/^[a-z]+$/.test(word)) return word;
    if (EXC1.hasOwnProperty(word)) return EXC1[word];
    var w = word.replace(/^y/, "Y").replace(/([aeiouy])y/g, "$1Y");
    var prefix = /^(gener|commun|arsen)/.exec(w);
    var r1 = prefix ? prefix[0].length : regionAfter(w, 0), r2 = regionAfter(w, r1);
    var one = step1(w, r1);
    w = one.done ? one.w : step2to5(one.w, r1, r2);
    return w.replace(/Y/g, "y");
  }

  // Exposed for the browser test that compares this stemmer with Rust's.
  window.handbookSearch = { stem: stem, words: words };

  // ---- Index files ----
  // data-index="": search is off; the box stays a link to all pages.
  var box = document.querySelector('.search[data-index]:not([data-index=""])');
  if (!box) return;
  var manifestUrl = box.getAttribute("data-index");
  var base = manifestUrl.replace(/manifest\.json$/, "");
  var manifest = null, loading = null, files = {};

  function getJson(path) {
    if (!files[path]) {
      files[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + path);
        return r.json();
      });
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  }
  function load() {
    if (!loading) {
      loading = getJson("manifest.json").then(function (m) { manifest = m; return m; });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }
  // The last chunk whose first stem is at most `key`.
  function chunkFor(key) {
    var c = manifest.chunks, lo = 0, hi = c.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (c[mid][0] <= key) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  // ---- Queries ----
  function parse(q) {
    var ws = words(q).filter(function (w) { return !STOP[w]; }), typing = !/\s$/.test(q);
    return ws.map(function (w, i) {
      return { word: w, stem: stem(w), prefix: typing && i === ws.length - 1 && w.length >= 2 };
    });
  }

  // The chunks a term needs: its stem's, and for a prefix the chunks its
  // completions can be in (at most three).
  function chunksFor(term) {
    if (!manifest.chunks.length) return [];
    var want = [chunkFor(term.stem)];
    if (term.prefix) {
      var last = Math.min(chunkFor(term.word + "\uffff"), chunkFor(term.word) + 2);
      for (var i = chunkFor(term.word); i <= last; i++) if (want.indexOf(i) < 0) want.push(i);
    }
    return want.map(function (i) { return "t/" + manifest.chunks[i][1] + ".json"; });
  }

  function startsWith(s, p) { return s.slice(0, p.length) === p; }

  // Postings string -> [page delta, weight, section, ...] (files.rs push_postings).
  function decodePostings(s) {
    for (var out = [], v = 0, i = 0, c; i < s.length; i++) {
      c = s.charCodeAt(i);
      if (c > 92) v = v * 32 + c - 93; else { out.push(v * 32 + c - 48); v = 0; }
    }
    return out;
  }

  // Stems matching `term` in the fetched chunks, with how well they match.
  function matches(term, chunks) {
    var out = [], seen = {};
    chunks.forEach(function (chunk) {
      Object.keys(chunk).forEach(function (s) {
        if (seen[s]) return;
        var forms = chunk[s][0], factor = 0;
        if (s === term.stem || forms.indexOf(term.word) >= 0) factor = 1;
        else if (term.prefix && (startsWith(s, term.word) ||
          forms.some(function (f) { return startsWith(f, term.word); }))) factor = 0.7;
        if (factor) { seen[s] = true; out.push({ stem: s, forms: forms, postings: decodePostings(chunk[s][1]), factor: factor }); }
      });
    });
    return out;
  }

  // page → { s: score, sec: section } for one term (BM25: idf × weight).
  function scoreTerm(found) {
    var pages = {}, n = manifest.n;
    found.forEach(function (m) {
      var p = m.postings, count = p.length / 3;
      var idf = Math.log(1 + (n - count + 0.5) / (count + 0.5));
      for (var i = 0, page = 0; i < p.length; i += 3) {
        page += p[i];
        var v = m.factor * idf * p[i + 1] / 20, old = pages[page];
        if (!old || v > old.s) pages[page] = { s: v, sec: p[i + 2] };
      }
    });
    return pages;
  }

  // Every page matching all terms, best first: [{ page, score, sec }].
  function rank(terms, found) {
    var maps = found.map(scoreTerm), results = [];
    Object.keys(maps[0] || {}).forEach(function (key) {
      var total = 0, best = null;
      for (var t = 0; t < maps.length; t++) {
        var hit = maps[t][key];
        if (!hit) return;
        total += hit.s;
        if (!best || hit.s > best.s) best = hit;
      }
      results.push({ page: +key, score: total, sec: best.sec });
    });
    results.sort(function (a, b) { return b.score - a.score || a.page - b.page; });
    return results;
  }

  function search(q) {
    var terms = parse(q);
    if (!terms.length) return Promise.resolve(null);
    var paths = [];
    terms.forEach(function (t) { t.paths = chunksFor(t); paths = paths.concat(t.paths); });
    return Promise.all(paths.map(getJson)).then(function () {
      return Promise.all(terms.map(function (t) { return Promise.all(t.paths.map(getJson)); }));
    }).then(function (perTerm) {
      var found = terms.map(function (t, i) { return matches(t, perTerm[i]); });
      var marks = { stems: {}, forms: {}, prefixes: [] };
      found.forEach(function (list) {
        list.forEach(function (m) { marks.stems[m.stem] = true; m.forms.forEach(function (f) { marks.forms[f] = true; }); });
      });
      terms.forEach(function (t) { if (t.prefix) marks.prefixes.push(t.word); });
      return { results: rank(terms, found), marks: marks };
    });
  }

  // ---- Excerpts ----
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function marked(word, marks) {
    var f = fold(word);
    if (STOP[f]) return false;
    if (marks.forms[f] || marks.stems[stem(f)]) return true;
    return marks.prefixes.some(function (p) { return startsWith(f, p); });
  }
  // About 160 characters of `text` around its first matched word, every
  // matched word in <mark>, everything escaped; "" when nothing matches.
  function excerpt(text, marks) {
    var re = /[\p{Alphabetic}\p{N}]+/gu, m, hits = [];
    while ((m = re.exec(text))) if (marked(m[0], marks)) hits.push([m.index, m.index + m[0].length]);
    if (!hits.length) return "";
    var start = Math.max(0, hits[0][0] - 50), end = Math.min(text.length, start + 170);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    if (end < text.length) end = text.lastIndexOf(" ", end) > hits[0][1] ? text.lastIndexOf(" ", end) : end;
    var html = start > 0 ? "…" : "", at = start;
    hits.forEach(function (h) {
      if (h[0] < start || h[1] > end) return;
      html += esc(text.slice(at, h[0])) + "<mark>" + esc(text.slice(h[0], h[1])) + "</mark>";
      at = h[1];
    });
    return html + esc(text.slice(at, end)) + (end < text.length ? "…" : "");
  }
  // The best section's excerpt, else any section's, else the start of the page.
  function cardExcerpt(card, sec, marks) {
    var order = [sec].concat(card.s.map(function (_, i) { return i; }));
    for (var i = 0; i < order.length; i++) {
      var html = card.s[order[i]] ? excerpt(card.s[order[i]], marks) : "";
      if (html) return html;
    }
    var first = card.s.filter(Boolean)[0] || "";
    return esc(first.slice(0, 160)) + (first.length > 160 ? "…" : "");
  }

  // ---- Role filters (search panel and careers pages) ----
  var FACETS = [["track", "Track"], ["level", "Level"], ["workplace", "Workplace"], ["location", "Location"]];

  // <select>s for each facet with values, and open/closed.
  function filterHtml(idPrefix) {
    var html = "";
    FACETS.forEach(function (f) {
      var values = manifest.facets[f[0]] || [];
      if (!values.length) return;
      html += '<label for="' + idPrefix + f[0] + '">' + f[1] + '</label><select id="' + idPrefix + f[0] +
        '" data-facet="' + f[0] + '"><option value="">Any</option>' + values.map(function (v, i) {
          return '<option value="' + i + '">' + esc(v) + "</option>";
        }).join("") + "</select>";
    });
    return html + '<label for="' + idPrefix + 'open">Status</label><select id="' + idPrefix +
      'open" data-facet="open"><option value="">Any</option><option value="1">Open now</option>' +
      '<option value="0">Not open</option></select>';
  }
  function filterState(root) {
    var state = {}, any = false;
    root.querySelectorAll("select[data-facet]").forEach(function (s) {
      if (s.value !== "") { state[s.getAttribute("data-facet")] = +s.value; any = true; }
    });
    return any ? state : null;
  }
  // roles.json rows: [page, title, url, track, level, workplace, [locations], open]
  function roleMatches(row, f) {
    return (f.track === undefined || row[3] === f.track) && (f.level === undefined || row[4] === f.level) &&
      (f.workplace === undefined || row[5] === f.workplace) &&
      (f.location === undefined || row[6].indexOf(f.location) >= 0) && (f.open === undefined || row[7] === f.open);
  }
  function roleSummary(row) {
    var m = manifest.facets, parts = [m.level[row[4]], m.track[row[3]]];
    if (row[7]) parts.push("Open now");
    return parts.filter(Boolean).join(" · ");
  }

  // Careers pages: filter the listed roles in place.
  var careers = document.querySelector("article.careers ul.cards");
  if (careers) {
    load().then(function () { return manifest.roles ? getJson("roles.json") : null; }).then(function (roles) {
      if (!roles) return;
      var items = document.querySelectorAll("article.careers ul.cards > li");
      var byUrl = {};
      roles.forEach(function (r) { byUrl[r[2]] = r; });
      var form = document.createElement("form");
      form.className = "role-filters";
      form.setAttribute("aria-label", "Filter roles");
      form.innerHTML = filterHtml("role-filter-") + '<p class="role-filter-count" role="status" aria-live="polite"></p>';
      careers.parentNode.parentNode.insertBefore(form, careers.closest("section") || careers);
      var count = form.querySelector(".role-filter-count");
      form.addEventListener("submit", function (ev) { ev.preventDefault(); });
      form.addEventListener("change", function () {
        var f = filterState(form) || {}, shown = 0;
        items.forEach(function (li) {
          var a = li.querySelector("a[href]"), row = a && byUrl[a.getAttribute("href")];
          var show = !row || roleMatches(row, f);
          li.hidden = !show;
          if (show) shown++;
        });
        document.querySelectorAll("article.careers section").forEach(function (sec) {
          sec.hidden = !!sec.querySelector("ul.cards") && !sec.querySelector("ul.cards > li:not([hidden])");
        });
        count.textContent = shown + " of " + items.length + " roles";
      });
    }).catch(function () {});
  }

  // ---- The search box ----
  var LIMIT = 10;
  box.innerHTML = '<label for="search-input" class="visually-hidden">Search the handbook</label>' +
    '<input id="search-input" type="search" placeholder="Search…  (press /)" autocomplete="off" spellcheck="false"' +
    ' role="combobox" aria-expanded="false" aria-controls="search-results" aria-autocomplete="list">' +
    '<div id="search-panel" class="search-panel" hidden><div class="search-filters" role="group" aria-label="Filter roles" hidden></div>' +
    '<ul id="search-results" role="listbox" aria-label="Search results"></ul></div>' +
    '<p id="search-status" class="visually-hidden" role="status" aria-live="polite"></p>';
  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-panel");
  var filters = panel.querySelector(".search-filters");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var shown = [], selected = -1, seq = 0, timer = 0;

  function open(on) {
    panel.hidden = !on;
    input.setAttribute("aria-expanded", on && list.children.length ? "true" : "false");
  }
  function setStatus(text) { if (status.textContent !== text) status.textContent = text; }

  function prepare() {
    return load().then(function () {
      if (manifest.roles && !filters.innerHTML) {
        filters.innerHTML = filterHtml("search-filter-");
        filters.hidden = false;
      }
    });
  }

  // Runs the query and the filters, then shows the results.
  function update() {
    var q = input.value, f = filterState(filters), mine = ++seq;
    var roles = f ? getJson("roles.json") : Promise.resolve(null);
    Promise.all([prepare().then(function () { return search(q); }), roles]).then(function (got) {
      if (mine !== seq) return null;
      var found = got[0], rows = got[1];
      var allowed = null;
      if (rows) {
        allowed = {};
        rows.forEach(function (r) { if (roleMatches(r, f)) allowed[r[0]] = r; });
      }
      if (!found && !allowed) return show([], 0, null);
      if (!found) {
        var all = Object.keys(allowed).map(function (k) { return allowed[k]; });
        return show(all.slice(0, LIMIT).map(function (r) {
          return { url: r[2], title: r[1], where: "", text: esc(roleSummary(r)) };
        }), all.length, null);
      }
      var results = allowed ? found.results.filter(function (r) { return allowed[r.page]; }) : found.results;
      var top = results.slice(0, LIMIT);
      return Promise.all(top.map(function (r) { return card(r.page); })).then(function (cards) {
        if (mine !== seq) return;
        show(top.map(function (r, i) {
          var c = cards[i], h = r.sec > 0 ? c.h[r.sec - 1] : null;
          return { url: c.u + (h && h[0] ? "#" + encodeURIComponent(h[0]) : ""), title: c.t,
            where: h ? h[1] : "", text: cardExcerpt(c, r.sec, found.marks), role: c.r };
        }), results.length, q);
      });
    }).catch(function () {
      if (mine === seq) { list.innerHTML = '<li role="option" aria-disabled="true">Search is unavailable</li>'; open(true); }
    });
  }

  // A page's result card (big sites group them).
  function card(page) {
    var per = manifest.cards_per_file || 1;
    if (per === 1) return getJson("p/" + page + ".json");
    return getJson("p/" + Math.floor(page / per) + ".json").then(function (group) { return group[page % per]; });
  }

  function show(items, total, q) {
    shown = items;
    selected = -1;
    input.removeAttribute("aria-activedescendant");
    if (!items.length && !total && q === null && !filterState(filters)) {
      list.innerHTML = "";
      setStatus("");
      open(document.activeElement && box.contains(document.activeElement));
      return;
    }
    list.innerHTML = items.map(function (r, n) {
      // The link is the option (a link inside one: axe nested-interactive).
      return '<li role="none"><a role="option" id="search-result-' + n + '" aria-selected="false" href="' + esc(r.url) + '">' +
        '<span class="search-title">' + esc(r.title) + "</span>" +
        (r.where ? '<span class="search-where"> › ' + esc(r.where) + "</span>" : "") +
        (r.role ? '<span class="search-role">' + esc(r.role) + "</span>" : "") +
        (r.text ? "<small>" + r.text + "</small>" : "") + "</a></li>";
    }).join("") || '<li role="option" aria-disabled="true">No results</li>';
    var text = total === 1 ? "1 result" : total + " results";
    if (total > items.length) text += ", showing the first " + items.length;
    setStatus(text);
    open(true);
  }

  function select(n) {
    var items = list.querySelectorAll('[role="option"][id]');
    if (!items.length) return;
    selected = (n + items.length) % items.length;
    for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", i === selected ? "true" : "false");
    input.setAttribute("aria-activedescendant", items[selected].id);
    items[selected].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("focus", function () { prepare().then(function () { open(true); }).catch(function () {}); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 10);
  });
  filters.addEventListener("change", update);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { ev.preventDefault(); select(selected + 1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); select(selected - 1); }
    else if (ev.key === "Enter") {
      var target = shown[selected >= 0 ? selected : 0];
      if (target) { ev.preventDefault(); window.location.href = target.url; }
    } else if (ev.key === "Escape") {
      if (input.value) { input.value = ""; update(); } else open(false);
    }
  });
  box.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && ev.target !== input) { open(false); input.focus(); }
  });
  document.addEventListener("keydown", function (ev) {
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (ev.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(tag) && !ev.ctrlKey && !ev.metaKey) {
      ev.preventDefault();
      input.focus();
    }
  });
  document.addEventListener("click", function (ev) { if (!box.contains(ev.target)) open(false); });
  box.addEventListener("focusout", function (ev) { if (ev.relatedTarget && !box.contains(ev.relatedTarget)) open(false); });
})();
