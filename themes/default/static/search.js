// Search page: runs Pagefind's JS API on the index that `pmkb build` writes to
// pagefind/, with filters, and keeps the query, filters and order in the URL
// (?q=pool&severity=SEV1&service=mysql&sort=newest) so a search can be shared.
(function () {
  "use strict";

  var PAGE_SIZE = 10;
  var TYPING_DELAY_MS = 200;
  // Filters in the order they are shown. The keys match the
  // data-pagefind-filter attributes of the search documents.
  var FILTERS = [
    ["severity", "Severity"],
    ["category", "Root cause"],
    ["service", "Service"],
    ["year", "Year"],
    ["status", "Status"],
  ];

  var container = document.getElementById("search");
  if (!container) return;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-query");
  var sortSelect = document.getElementById("search-sort");
  var filterBox = document.getElementById("search-filters");
  var summary = document.getElementById("search-summary");
  var list = document.getElementById("search-results");
  var moreButton = document.getElementById("search-more");
  var filterPanel = document.getElementById("search-filter-panel");
  // Matches the width where search.css puts the filters beside the results.
  var wideScreen = window.matchMedia("(min-width: 48rem)");
  var severities = JSON.parse(document.getElementById("search-severities").textContent);
  var severityByKey = {};
  severities.forEach(function (level) { severityByKey[level.key] = level; });
  // Services are filtered by slug, which every spelling of a service shares.
  var serviceNames = JSON.parse(document.getElementById("search-service-names").textContent);

  // The site root as an absolute path, so the site works under any sub-path.
  var rootUrl = new URL(container.dataset.root || "./", window.location.href);

  var pagefind = null;
  var allFilterCounts = {};
  var searchNumber = 0;
  var shownResults = [];
  var shownCount = 0;
  var typingTimer = null;

  // Shows a message in place of the search form; text between backticks is
  // shown as code.
  function showNotice(text) {
    var paragraph = document.getElementById("search-notice-text");
    paragraph.replaceChildren();
    text.split("`").forEach(function (part, position) {
      if (position % 2 === 0) {
        paragraph.append(part);
      } else {
        var code = document.createElement("code");
        code.textContent = part;
        paragraph.appendChild(code);
      }
    });
    document.getElementById("search-notice").hidden = false;
  }

  // A link may name a service as it is written ("Search API"): its slug is
  // what the index holds.
  function serviceSlug(value) {
    if (Object.prototype.hasOwnProperty.call(serviceNames, value)) return value;
    var name = value.toLowerCase();
    var slug = Object.keys(serviceNames).find(function (key) { return serviceNames[key].toLowerCase() === name; });
    return slug || value;
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = { query: (params.get("q") || "").trim(), sort: params.get("sort") || "", filters: {} };
    FILTERS.forEach(function (filter) {
      var values = params.getAll(filter[0]).filter(Boolean);
      if (filter[0] === "service") values = values.map(serviceSlug);
      if (values.length) state.filters[filter[0]] = values;
    });
    return state;
  }

  function currentState() {
    var state = { query: input.value.trim(), sort: sortSelect.value, filters: {} };
    filterBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      (state.filters[box.name] = state.filters[box.name] || []).push(box.value);
    });
    return state;
  }

  function writeUrl(state) {
    var params = new URLSearchParams();
    if (state.query) params.set("q", state.query);
    FILTERS.forEach(function (filter) {
      (state.filters[filter[0]] || []).forEach(function (value) { params.append(filter[0], value); });
    });
    if (state.sort) params.set("sort", state.sort);
    var text = params.toString();
    history.replaceState(null, "", window.location.pathname + (text ? "?" + text : ""));
  }

  // A report matches a filter when it has any of the chosen values, and it
  // must match every filter that has a choice.
  function pagefindFilters(filters, skipKey) {
    var result = {};
    Object.keys(filters).forEach(function (key) {
      if (key !== skipKey && filters[key].length) result[key] = { any: filters[key] };
    });
    return result;
  }

  function pagefindSort(state) {
    if (state.sort === "newest" || (!state.query && state.sort !== "oldest")) return { date: "desc" };
    // Undated reports sort before every date, so oldest first uses a key
    // that puts them last instead.
    if (state.sort === "oldest") return { oldest: "asc" };
    return {};
  }

  // The count beside a value is how many results choosing it would give, so
  // the counts of a filter that has a choice come from a search without it.
  async function filterCounts(state, search) {
    var counts = Object.assign({}, search.filters);
    var term = state.query || null;
    for (var key of Object.keys(state.filters)) {
      var other = await pagefind.search(term, { filters: pagefindFilters(state.filters, key) });
      counts[key] = other.filters[key] || {};
    }
    return counts;
  }

  // Values that would give no results are left out, unless already chosen.
  function orderedValues(key, counts, selected) {
    var values = Object.keys(counts || {}).filter(function (value) { return counts[value] > 0; });
    selected.forEach(function (value) { if (values.indexOf(value) < 0) values.push(value); });
    if (key === "severity") {
      return values.sort(function (a, b) {
        return (severityByKey[a] ? severityByKey[a].rank : 999) - (severityByKey[b] ? severityByKey[b].rank : 999) || a.localeCompare(b);
      });
    }
    if (key === "year") return values.sort().reverse();
    return values.sort(function (a, b) { return (counts[b] || 0) - (counts[a] || 0) || a.localeCompare(b); });
  }

  function valueLabel(key, value) {
    if (key === "severity" && severityByKey[value]) return value + " · " + severityByKey[value].label;
    if (key === "service" && Object.prototype.hasOwnProperty.call(serviceNames, value)) return serviceNames[value];
    return value;
  }

  function renderFilters(allCounts, state) {
    filterBox.replaceChildren();
    FILTERS.forEach(function (filter) {
      var key = filter[0];
      var selected = state.filters[key] || [];
      var values = orderedValues(key, allCounts[key], selected);
      // A filter with a single value narrows nothing.
      if (values.length < 2 && !selected.length) return;
      var group = document.createElement("fieldset");
      group.className = "search-filter";
      var legend = document.createElement("legend");
      legend.textContent = filter[1];
      group.appendChild(legend);
      var options = document.createElement("div");
      options.className = "search-filter-options";
      values.forEach(function (value) {
        var count = (allCounts[key] || {})[value] || 0;
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = key;
        box.value = value;
        box.checked = selected.indexOf(value) >= 0;
        var text = document.createElement("span");
        text.textContent = valueLabel(key, value);
        var number = document.createElement("span");
        number.className = "search-count";
        number.textContent = count;
        number.setAttribute("aria-label", count + (count === 1 ? " report" : " reports"));
        label.append(box, text, number);
        if (!count) label.classList.add("search-filter-empty");
        options.appendChild(label);
      });
      group.appendChild(options);
      filterBox.appendChild(group);
    });
  }

  // Keeps only the text and the <mark> highlights of an excerpt. Pagefind
  // escapes the page text already, and this makes sure no other markup gets
  // through.
  function excerptNodes(html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body.firstChild;
    var nodes = [];
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        nodes.push(mark);
      } else {
        nodes.push(document.createTextNode(node.textContent));
      }
    });
    return nodes;
  }

  function severityBadge(key) {
    var level = severityByKey[key];
    var badge = document.createElement("span");
    badge.className = "severity severity-" + (level && level.rank < 5 ? level.rank : "other");
    badge.textContent = key;
    if (level) {
      badge.title = level.label;
      var label = document.createElement("span");
      label.className = "severity-label";
      label.textContent = " · " + level.label;
      badge.appendChild(label);
    }
    return badge;
  }

  function renderResult(data) {
    var item = document.createElement("li");
    item.className = "search-result";
    var title = document.createElement("h2");
    title.className = "search-result-title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    title.appendChild(link);
    var facts = document.createElement("p");
    facts.className = "search-result-facts";
    if (data.meta.severity) facts.append(severityBadge(data.meta.severity), " ");
    if (data.meta.date) {
      var time = document.createElement("time");
      time.dateTime = data.meta.date;
      time.textContent = data.meta.date;
      facts.appendChild(time);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "search-result-excerpt";
    excerpt.append.apply(excerpt, excerptNodes(data.excerpt || ""));
    item.append(title, facts, excerpt);
    return item;
  }

  async function showMore(number) {
    var slice = shownResults.slice(shownCount, shownCount + PAGE_SIZE);
    shownCount += slice.length;
    moreButton.disabled = true;
    var data = await Promise.all(slice.map(function (result) { return result.data(); }));
    if (number !== searchNumber) return;
    data.forEach(function (entry) { list.appendChild(renderResult(entry)); });
    moreButton.disabled = false;
    moreButton.hidden = shownCount >= shownResults.length;
  }

  function describe(count, state) {
    var chosen = Object.keys(state.filters).length;
    if (!state.query && !chosen) return "Type words to search the text of every report, or pick a filter.";
    var text = count === 1 ? "1 report matches" : count + " reports match";
    if (state.query) text += " “" + state.query + "”";
    if (chosen) text += " with the chosen filters";
    return text + ".";
  }

  async function run(state) {
    var number = ++searchNumber;
    writeUrl(state);
    var filters = pagefindFilters(state.filters);
    var search = null;
    if (state.query || Object.keys(filters).length) {
      search = await pagefind.search(state.query || null, { filters: filters, sort: pagefindSort(state) });
    }
    var counts = search ? await filterCounts(state, search) : allFilterCounts;
    // A newer search started while this one waited for Pagefind.
    if (number !== searchNumber) return;
    renderFilters(counts, state);
    list.replaceChildren();
    shownResults = search ? search.results : [];
    shownCount = 0;
    summary.textContent = describe(shownResults.length, state);
    await showMore(number);
  }

  function runCurrent() {
    run(currentState()).catch(function (error) {
      summary.textContent = "The search failed: " + error.message;
    });
  }

  async function start() {
    if (container.dataset.index === "off") {
      showNotice("This site was built with `pmkb build --no-search`, so it has no search index.");
      return;
    }
    if (container.dataset.index === "empty") {
      showNotice("There are no published reports to search yet.");
      return;
    }

    if (window.location.protocol === "file:") {
      showNotice(
        "Search cannot run on a page opened from a file: the browser blocks loading the search index from file:// addresses. " +
        "Open the site through a web server instead, for example run `python -m http.server` in the site folder and open `http://127.0.0.1:8000/search/`."
      );
      return;
    }

    try {
      pagefind = await import(new URL("pagefind/pagefind.js", rootUrl).href);
      await pagefind.options({ baseUrl: rootUrl.pathname });
      // Loads every filter's data. Until then a search returns no filter counts.
      allFilterCounts = await pagefind.filters();
    } catch (error) {
      showNotice("Loading the search index from pagefind/pagefind.js failed (" + error.message + "). Rebuild the site with `pmkb build` and open it through a web server.");
      return;
    }

    // The form stays hidden without JavaScript, where it could not work.
    form.hidden = false;
    var state = readState();
    // Narrow screens show the filters folded unless some are chosen.
    filterPanel.open = wideScreen.matches || Object.keys(state.filters).length > 0;
    input.value = state.query;
    sortSelect.value = state.sort;
    var headerInput = document.getElementById("site-search-input");
    if (headerInput) headerInput.value = state.query;
    await run(state);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(typingTimer);
    runCurrent();
  });
  input.addEventListener("input", function () {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(runCurrent, TYPING_DELAY_MS);
  });
  filterBox.addEventListener("change", runCurrent);
  sortSelect.addEventListener("change", runCurrent);
  wideScreen.addEventListener("change", function () {
    if (wideScreen.matches) filterPanel.open = true;
  });
  moreButton.addEventListener("click", function () {
    showMore(searchNumber);
  });

  start().catch(function (error) {
    showNotice("Search could not start: " + error.message);
  });
})();
