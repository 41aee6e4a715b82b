/* pmkb: copy a link to a heading, timeline entry or action item.
 *
 * A click on a "#" link button copies the page URL with that anchor to the
 * clipboard and shows a short "Link copied" message. Browsers offer the
 * Clipboard API only to https and localhost pages. Without it, or when
 * copying fails, the link is followed as usual. Every page works without
 * this script.
 */
(function () {
  "use strict";

  var SELECTOR = "a.header-anchor, a.anchor-link";
  var toast = null;
  var toastTimer = 0;
  var flashTimer = 0;
  var flashedElement = null;

  function createToast() {
    var element = document.createElement("div");
    element.className = "toast";
    element.setAttribute("role", "status");
    element.setAttribute("aria-live", "polite");
    document.body.appendChild(element);
    return element;
  }

  function showToast(message) {
    // The live region exists from page load, so screen readers announce
    // changes. Emptying it first makes a second copy in a row announced too.
    window.clearTimeout(toastTimer);
    toast.textContent = "";
    toastTimer = window.setTimeout(function () {
      toast.textContent = message;
      toastTimer = window.setTimeout(function () {
        toast.textContent = "";
      }, 2000);
    }, 50);
  }

  function flash(element) {
    if (flashedElement) {
      flashedElement.classList.remove("link-copied");
    }
    window.clearTimeout(flashTimer);
    if (!element) {
      return;
    }
    flashedElement = element;
    element.classList.add("link-copied");
    flashTimer = window.setTimeout(function () {
      element.classList.remove("link-copied");
    }, 1500);
  }

  function onClick(event) {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    var link = event.target.closest ? event.target.closest(SELECTOR) : null;
    var hash = link ? link.getAttribute("href") : "";
    if (!hash || hash.charAt(0) !== "#" || hash.length < 2) {
      return;
    }
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }

    event.preventDefault();
    var url = location.href.split("#")[0] + hash;
    var id = decodeURIComponent(hash.slice(1));
    navigator.clipboard.writeText(url).then(
      function () {
        if (history.replaceState) {
          history.replaceState(null, "", hash);
        }
        flash(document.getElementById(id));
        showToast("Link copied");
      },
      function () {
        location.hash = hash;
      }
    );
  }

  function start() {
    if (!document.querySelector(SELECTOR)) {
      return;
    }
    toast = createToast();
    document.addEventListener("click", onClick);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
