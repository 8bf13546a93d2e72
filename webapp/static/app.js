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

// On a phone the filters come after the results; a button near the top opens them there
// instead ("Go to the filters" stays the way without JavaScript).
(function () {
  "use strict";
  document.querySelectorAll(".filters-button").forEach(function (button) {
    var layout = button.closest(".layout");
    if (!layout) { return; }
    layout.classList.add("js-filters");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = layout.classList.toggle("filters-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { var heading = document.getElementById("filters-heading"); if (heading) { heading.scrollIntoView(); } }
    });
  });
  // "Show all" values of a facet, with a search among them: the box filters them as one types.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("input[data-facet-filter]").forEach(function (input) {
    var label = input.closest("label");
    var section = input.closest("section.facet");
    if (!label || !section) { return; }
    label.hidden = false;
    var none = section.querySelector(".facet-none");
    input.addEventListener("input", function () {
      var wanted = fold(input.value.trim());
      var shown = 0;
      section.querySelectorAll("li").forEach(function (item) {
        var link = item.querySelector("a");
        var hit = !wanted || fold(link ? link.textContent : item.textContent).indexOf(wanted) >= 0;
        item.hidden = !hit;
        if (hit) { shown += 1; }
      });
      if (none) { none.hidden = shown > 0; }
    });
  });
}());

// A form that takes a while (an upload read and extracted) says that it is working, and
// is not sent twice.
(function () {
  "use strict";
  document.querySelectorAll("form[data-working]").forEach(function (form) {
    var sent = false;
    form.addEventListener("submit", function (event) {
      if (sent) { event.preventDefault(); return; }
      sent = true;
      form.setAttribute("aria-busy", "true");
      var note = document.createElement("p");
      note.className = "working";
      note.setAttribute("role", "status");
      note.textContent = form.getAttribute("data-working");
      form.appendChild(note);
    });
  });
}());

// Times of the audit log and the staff pages, written in UTC, in the reader's time zone and language.
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) { return; }
  var format;
  try {
    format = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
      {day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"});
  } catch (error) { return; }
  document.querySelectorAll("time[data-local]").forEach(function (element) {
    var moment = new Date(element.getAttribute("datetime"));
    if (isNaN(moment.getTime())) { return; }
    element.title = element.textContent;
    element.textContent = format.format(moment);
  });
}());
