/* Small enhancements; every page works without them (CSP: script-src 'self'). */
(function () {
  "use strict";
  // A select marked data-autosubmit submits its form when changed; its button stays for
  // keyboard users who prefer it and for browsers without JavaScript.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    var button = select.form && select.form.querySelector("button[type=submit]");
    if (button) { button.hidden = true; }
    select.addEventListener("change", function () {
      if (select.form) { select.form.submit(); }
    });
  });
  // "Copy the citation": a button shown only when the clipboard can be used.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.getAttribute("data-copied") || label;
        button.setAttribute("aria-live", "polite");
        window.setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
  // Parts of a page marked data-live and data-active (scans being read) are fetched again
  // every few seconds, and replaced, until nothing in them is active any more.
  document.querySelectorAll("[data-live][data-active][id]").forEach(function (part) {
    var timer = window.setInterval(function () {
      fetch(window.location.href, {credentials: "same-origin"}).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html === null) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(part.id);
        if (!fresh) { return; }
        part.innerHTML = fresh.innerHTML;
        if (!fresh.hasAttribute("data-active")) { window.clearInterval(timer); }
      });
    }, 3000);
  });
}());
