// note_extract review site, note page: show what a highlight is on hover or focus, and link issues
// to their spans. No network, no libraries.
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var active = [];
  function show(mark) {
    active.forEach(function (m) { m.classList.remove("active"); });
    active = Array.prototype.slice.call(document.querySelectorAll('mark[data-h="' + mark.dataset.h + '"]'));
    active.forEach(function (m) { m.classList.add("active"); });
    if (tip) {
      tip.textContent = mark.dataset.tip + "\n[" + mark.dataset.s + ", " + mark.dataset.e + ")";
    }
  }
  function nearestMark(target) {
    return target && target.closest ? target.closest("mark[data-h]") : null;
  }
  document.addEventListener("mouseover", function (event) {
    var mark = nearestMark(event.target);
    if (mark) { show(mark); }
  });
  document.addEventListener("focusin", function (event) {
    var mark = nearestMark(event.target);
    if (mark) { show(mark); }
  });
  document.querySelectorAll("a[data-issue-link]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) {
        event.preventDefault();
        target.scrollIntoView({ block: "center" });
        target.focus();
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.target && /INPUT|SELECT|TEXTAREA/.test(event.target.tagName)) { return; }
    var rel = event.key === "[" ? "prev" : event.key === "]" ? "next" : null;
    if (rel) {
      var link = document.querySelector('a[rel="' + rel + '"]');
      if (link) { window.location.href = link.href; }
    }
  });
  if (window.location.hash) {
    var start = document.getElementById(window.location.hash.slice(1));
    if (start && start.tagName === "MARK") { start.focus(); }
  }
})();
