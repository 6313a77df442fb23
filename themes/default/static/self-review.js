// Self-review on a framework level page (docs/framework.md): answers stay
// in localStorage, keyed by site, track, level and competency id; export as
// Markdown or CSV; print. Without JavaScript the page is a plain list.
(function () {
  "use strict";
  var page = document.querySelector("[data-review-key]");
  if (!page) return;
  var storageKey = "handbook:self-review:" + page.getAttribute("data-review-key");
  var items = Array.prototype.slice.call(page.querySelectorAll(".fw-expectation"));
  var status = page.querySelector(".fw-status");
  var labels = { "not-yet": "Not yet", sometimes: "Sometimes", consistently: "Consistently" };

  // Each expectation is `<div id="c-ID" data-text="…"><h3>Name</h3>…`
  // inside a section with `data-area`.
  function competency(item) {
    return item.id.replace(/^c-/, "");
  }

  function nameOf(item) {
    return item.querySelector("h3").textContent.trim();
  }

  function load() {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "{}") || {};
    } catch (e) {
      return {};
    }
  }

  function save(state) {
    try {
      localStorage.setItem(storageKey, JSON.stringify(state));
      say("Saved in this browser.");
    } catch (e) {
      say("Could not save: this browser does not allow local storage here.");
    }
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function answer(item) {
    var checked = item.querySelector(".fw-review input:checked");
    var note = item.querySelector(".fw-review textarea");
    return { rating: checked ? checked.value : "", note: note ? note.value : "" };
  }

  function collect() {
    var state = {};
    items.forEach(function (item) {
      var a = answer(item);
      if (a.rating || a.note) state[competency(item)] = a;
    });
    return state;
  }

  function restore(state) {
    items.forEach(function (item) {
      var a = state[competency(item)] || {};
      item.querySelectorAll(".fw-review input").forEach(function (input) {
        input.checked = input.value === a.rating;
      });
      var note = item.querySelector(".fw-review textarea");
      if (note) note.value = a.note || "";
    });
  }

  function rows() {
    return items.map(function (item) {
      var a = answer(item);
      return {
        area: item.closest("[data-area]").getAttribute("data-area"),
        id: competency(item),
        name: nameOf(item),
        text: item.getAttribute("data-text") || "",
        rating: labels[a.rating] || "",
        note: a.note
      };
    });
  }

  function markdown() {
    var out = ["# Self-review: " + page.getAttribute("data-review-title"), ""];
    var area = null;
    rows().forEach(function (r) {
      if (r.area !== area) {
        area = r.area;
        out.push("## " + area, "");
      }
      out.push("### " + r.name, "", r.text.trim(), "");
      out.push("- Rating: " + (r.rating || "not answered"));
      if (r.note.trim()) out.push("- Note: " + r.note.trim().replace(/\n+/g, " "));
      out.push("");
    });
    return out.join("\n");
  }

  // Quoted fields; a leading = + - @ is neutralised (no spreadsheet formulas).
  function csvField(value) {
    var v = String(value);
    if (/^[=+\-@\t\r]/.test(v)) v = "'" + v;
    return '"' + v.replace(/"/g, '""') + '"';
  }

  function csv() {
    var lines = [["area", "competency_id", "competency", "expectation", "rating", "note"].join(",")];
    rows().forEach(function (r) {
      lines.push([r.area, r.id, r.name, r.text.trim(), r.rating, r.note].map(csvField).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function exportAs(kind) {
    var text = kind === "csv" ? csv() : markdown();
    var box = page.querySelector(".fw-export");
    var area = page.querySelector("#fw-export-text");
    if (box && area) {
      box.hidden = false;
      area.value = text;
    }
    var type = kind === "csv" ? "text/csv" : "text/markdown";
    var name = page.getAttribute("data-review-file") + (kind === "csv" ? ".csv" : ".md");
    try {
      var url = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
      var a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    } catch (e) { /* the text stays in the box to copy */ }
    say("Exported " + name + ".");
  }

  // Controls are made here: without this script they could do nothing.
  function element(tag, props, children) {
    var el = document.createElement(tag);
    Object.keys(props).forEach(function (k) { el[k] = props[k]; });
    (children || []).forEach(function (c) { el.appendChild(c); });
    return el;
  }

  function addControls(item) {
    var id = competency(item);
    var name = nameOf(item);
    var ratings = element("span", { className: "fw-ratings" });
    Object.keys(labels).forEach(function (value) {
      var input = element("input", { type: "radio", name: "r-" + id, id: "r-" + id + "-" + value, value: value });
      ratings.appendChild(input);
      ratings.appendChild(element("label", { htmlFor: input.id, textContent: labels[value] }));
    });
    var note = element("label", { className: "fw-note-label", htmlFor: "n-" + id, textContent: "Note" }, [
      element("span", { className: "visually-hidden", textContent: " on " + name })
    ]);
    item.appendChild(element("fieldset", { className: "fw-review" }, [
      element("legend", { textContent: "Your review: " + name }),
      ratings,
      note,
      element("textarea", { id: "n-" + id, rows: 2 })
    ]));
  }

  items.forEach(addControls);
  page.querySelector(".fw-review-tools").hidden = false;
  restore(load());
  page.addEventListener("change", function (e) {
    if (e.target.closest(".fw-review")) save(collect());
  });
  page.addEventListener("input", function (e) {
    if (e.target.matches(".fw-review textarea")) save(collect());
  });
  page.addEventListener("click", function (e) {
    var button = e.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-review-export")) exportAs(button.getAttribute("data-review-export"));
    if (button.hasAttribute("data-review-print")) window.print();
    if (button.hasAttribute("data-review-clear") && window.confirm("Clear every answer on this page?")) {
      restore({});
      try { localStorage.removeItem(storageKey); } catch (err) { /* nothing stored */ }
      say("Answers cleared.");
    }
  });
})();
