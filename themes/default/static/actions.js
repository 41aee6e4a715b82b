// In-page filtering of the action item tables by status and owner.
// The pages work without it: every status and owner also has its own pages.
// It filters only the items listed on this page. When the page shows part of
// a longer list (the overview, or one page of many), the status line states
// that and links the pages that list every item of the chosen status or owner.
// The chosen filters go into the query string (?status=overdue&owner=sre-team)
// so a filtered view can be shared as a link.
(function () {
  "use strict";

  var STATUSES = [
    ["", "all statuses"], ["overdue", "overdue"], ["open", "open"],
    ["in-progress", "in progress"], ["done", "done"], ["wont-do", "won't do"],
    ["missing-details", "open without owner or due date"]
  ];

  function ownerNames(rows) {
    var names = {};
    rows.forEach(function (row) {
      var slug = row.getAttribute("data-owner");
      if (!(slug in names)) {
        var cell = row.cells[1];
        names[slug] = cell && cell.querySelector("a") ? cell.textContent.trim() : "no owner";
      }
    });
    return names;
  }

  function makeSelect(id, labelText, options, chosen) {
    var wrapper = document.createElement("label");
    wrapper.setAttribute("for", id);
    wrapper.textContent = labelText + " ";
    var select = document.createElement("select");
    select.id = id;
    options.forEach(function (option) {
      var element = document.createElement("option");
      element.value = option[0];
      element.textContent = option[1];
      if (option[0] === chosen) {
        element.selected = true;
      }
      select.appendChild(element);
    });
    wrapper.appendChild(select);
    return { label: wrapper, select: select };
  }

  function matchesStatus(row, status) {
    if (!status) {
      return true;
    }
    if (status === "missing-details") {
      return row.getAttribute("data-missing") === "yes";
    }
    if (status === "overdue") {
      return row.getAttribute("data-overdue") === "yes";
    }
    return row.getAttribute("data-status") === status;
  }

  function label(options, value) {
    for (var i = 0; i < options.length; i += 1) {
      if (options[i][0] === value) {
        return options[i][1];
      }
    }
    return value;
  }

  // Links to the pages that list every item of the chosen status and owner.
  function fullListLinks(holder, status, owner, ownerLabel) {
    var root = holder.getAttribute("data-root") || "";
    var links = [];
    if (status) {
      links.push(["actions/status/" + status + "/", "all " + label(STATUSES, status) + " items"]);
    }
    if (owner) {
      links.push(["actions/owner/" + owner + "/", "all items of " + ownerLabel]);
    }
    return links.map(function (link) {
      var anchor = document.createElement("a");
      anchor.href = root + link[0];
      anchor.textContent = link[1];
      return anchor;
    });
  }

  function start() {
    var holder = document.getElementById("action-filter");
    var status = document.getElementById("action-filter-status");
    var tables = document.querySelectorAll("table.action-table");
    if (!holder || !status || !tables.length) {
      return;
    }
    var rows = [];
    Array.prototype.forEach.call(tables, function (table) {
      rows = rows.concat(Array.prototype.slice.call(table.tBodies[0].rows));
    });
    var partial = holder.getAttribute("data-partial") === "yes";
    var params = new URLSearchParams(window.location.search);
    var names = ownerNames(rows);
    var owners = [["", "all owners"]];
    Object.keys(names).sort(function (a, b) {
      return names[a].localeCompare(names[b]);
    }).forEach(function (slug) {
      owners.push([slug, names[slug]]);
    });
    var statusSelect = makeSelect("filter-status", "Status", STATUSES, params.get("status") || "");
    var ownerSelect = makeSelect("filter-owner", "Owner", owners, params.get("owner") || "");
    holder.appendChild(statusSelect.label);
    holder.appendChild(ownerSelect.label);
    holder.hidden = false;

    function apply() {
      var chosenStatus = statusSelect.select.value;
      var chosenOwner = ownerSelect.select.value;
      var visibleCount = 0;
      rows.forEach(function (row) {
        var visible = matchesStatus(row, chosenStatus) &&
          (!chosenOwner || row.getAttribute("data-owner") === chosenOwner);
        row.hidden = !visible;
        if (visible) {
          visibleCount += 1;
        }
      });

      var where = partial ? " of the " + rows.length + " items on this page." : " of " + rows.length + " items.";
      status.textContent = visibleCount === rows.length
        ? (partial ? "Showing all " + rows.length + " items on this page." : "Showing all " + rows.length + " items.")
        : "Showing " + visibleCount + where;
      if (partial && (chosenStatus || chosenOwner)) {
        var links = fullListLinks(holder, chosenStatus, chosenOwner, label(owners, chosenOwner));
        status.appendChild(document.createTextNode(" Full lists: "));
        links.forEach(function (anchor, position) {
          if (position > 0) {
            status.appendChild(document.createTextNode(", "));
          }
          status.appendChild(anchor);
        });
        status.appendChild(document.createTextNode("."));
      }

      var query = new URLSearchParams();
      if (chosenStatus) {
        query.set("status", chosenStatus);
      }
      if (chosenOwner) {
        query.set("owner", chosenOwner);
      }
      var search = query.toString();
      window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
    }

    statusSelect.select.addEventListener("change", apply);
    ownerSelect.select.addEventListener("change", apply);
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
