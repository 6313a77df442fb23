// handbook default theme: the shared sidebar of large sites. No dependencies.
// Search and role filters are in search.js.
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
