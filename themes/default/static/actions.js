// In-page filtering of the action item table by status and owner.
// The pages work without it: every status and owner also has its own page.
// The chosen filters go into the query string (?status=overdue&owner=sre-team)
// so a filtered view can be shared as a link.
(function () {
  "use strict";

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

  function start() {
    var table = document.getElementById("action-table");
    var holder = document.getElementById("action-filter");
    var status = document.getElementById("action-filter-status");
    if (!table || !holder || !status) {
      return;
    }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var params = new URLSearchParams(window.location.search);
    var names = ownerNames(rows);
    var owners = [["", "all owners"]];
    Object.keys(names).sort(function (a, b) {
      return names[a].localeCompare(names[b]);
    }).forEach(function (slug) {
      owners.push([slug, names[slug]]);
    });
    var statuses = [
      ["", "all statuses"], ["overdue", "overdue"], ["open", "open"],
      ["in-progress", "in progress"], ["done", "done"], ["wont-do", "won't do"],
      ["missing-details", "open without owner or due date"]
    ];
    var statusSelect = makeSelect("filter-status", "Status", statuses, params.get("status") || "");
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
      status.textContent = visibleCount === rows.length
        ? "Showing all " + rows.length + " items."
        : "Showing " + visibleCount + " of " + rows.length + " items.";
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
