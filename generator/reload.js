// Live reload for pmkb serve: reload when the build changes this page, and
// show build problems in an overlay until they are fixed.
(function () {
  "use strict";
  var overlay = null;

  function showProblems(status) {
    var errors = status.problems.filter(function (p) { return p.level === "error"; });
    if (!errors.length) {
      if (overlay) { overlay.remove(); overlay = null; }
      return;
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "pmkb-problems";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;z-index:9999;" +
        "max-height:50vh;overflow:auto;padding:1rem 1.25rem;border-radius:8px;" +
        "background:#3b0d0d;color:#fff;font:14px/1.5 ui-monospace,monospace;box-shadow:0 4px 24px #0008";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "Build failed; showing the last good version. Fix and save to update:";
    overlay.appendChild(title);
    var list = document.createElement("ul");
    errors.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem.text;
      list.appendChild(item);
    });
    overlay.appendChild(list);
  }

  function shouldReload(paths) {
    if (paths === "all") { return true; }
    var here = window.location.pathname;
    return paths.some(function (path) { return path === here || path + "index.html" === here; });
  }

  if (!window.EventSource) { return; }
  var source = new EventSource("/_pmkb/events");
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-pmkb-live", "connected");
  });
  source.addEventListener("status", function (event) { showProblems(JSON.parse(event.data)); });
  source.addEventListener("reload", function (event) {
    if (shouldReload(JSON.parse(event.data).paths)) { window.location.reload(); }
  });
})();
