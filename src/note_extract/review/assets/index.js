// note_extract review site, index: filters, sorting and paging over window.NOTES (assets/notes.js).
// Only one page of rows is in the document at a time, so thousands of notes stay fast.
(function () {
  "use strict";
  var PAGE = 50;
  var notes = window.NOTES || [];
  var state = { sort: "start", dir: 1, page: 0 };
  var $ = function (id) { return document.getElementById(id); };
  var body = document.querySelector("#notes tbody");

  function fill(select, values) {
    values.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    });
  }
  function unique(pick) {
    var seen = {};
    notes.forEach(function (n) { pick(n).forEach(function (v) { if (v) { seen[v] = true; } }); });
    return Object.keys(seen).sort();
  }
  fill($("f-code"), unique(function (n) { return Object.keys(n.codes); }));
  fill($("f-org"), unique(function (n) { return n.organizers; }));
  fill($("f-country"), unique(function (n) { return [n.country]; }));
  fill($("f-year"), unique(function (n) { return [n.year]; }));

  function matches(n) {
    var text = $("f-text").value.trim().toLowerCase();
    var code = $("f-code").value, sev = $("f-sev").value, org = $("f-org").value;
    var country = $("f-country").value, year = $("f-year").value;
    if (code && !n.codes[code]) { return false; }
    if (sev && !n.sev[sev]) { return false; }
    if (org && n.organizers.indexOf(org) < 0) { return false; }
    if (country && n.country !== country) { return false; }
    if (year && n.year !== year) { return false; }
    if (text) {
      var hay = (n.title + " " + n.venue + " " + n.organizers.join(" ") + " " + n.id).toLowerCase();
      if (hay.indexOf(text) < 0) { return false; }
    }
    return true;
  }
  function key(n) {
    if (state.sort === "error" || state.sort === "warning" || state.sort === "info") { return n.sev[state.sort]; }
    if (state.sort === "organizers") { return n.organizers.join(", ").toLowerCase(); }
    return String(n[state.sort] || "").toLowerCase();
  }
  function cell(row, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }
  function render() {
    var shown = notes.filter(matches);
    shown.sort(function (a, b) {
      var ka = key(a), kb = key(b);
      if (ka < kb) { return -state.dir; }
      if (ka > kb) { return state.dir; }
      return a.page < b.page ? -1 : a.page > b.page ? 1 : 0;
    });
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    body.textContent = "";
    shown.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (n) {
      var row = document.createElement("tr");
      row.dataset.id = n.id;
      var td = document.createElement("td");
      var link = document.createElement("a");
      link.href = n.page;
      link.textContent = n.title || "(no title) " + n.id;
      td.appendChild(link);
      if (!n.text) { td.appendChild(document.createTextNode(" (no raw text)")); }
      row.appendChild(td);
      cell(row, n.start ? n.start + (n.end && n.end !== n.start ? " to " + n.end : "") : "-");
      cell(row, n.venue || "-");
      cell(row, n.organizers.join(", ") || "-");
      cell(row, String(n.sev.error), "n");
      cell(row, String(n.sev.warning), "n");
      cell(row, String(n.sev.info), "n");
      body.appendChild(row);
    });
    $("count").textContent = shown.length + " of " + notes.length + " notes";
    $("page").textContent = "page " + (state.page + 1) + " of " + pages;
    $("prev").disabled = state.page === 0;
    $("next").disabled = state.page >= pages - 1;
    document.querySelectorAll("th").forEach(function (th) {
      var button = th.querySelector("button");
      if (button && button.dataset.sort === state.sort) {
        th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
  }
  ["f-code", "f-sev", "f-org", "f-country", "f-year"].forEach(function (id) {
    $(id).addEventListener("change", function () { state.page = 0; render(); });
  });
  $("f-text").addEventListener("input", function () { state.page = 0; render(); });
  $("filters").addEventListener("reset", function () { setTimeout(function () { state.page = 0; render(); }, 0); });
  document.querySelectorAll("th button").forEach(function (button) {
    button.addEventListener("click", function () {
      var sort = button.dataset.sort;
      state.dir = state.sort === sort ? -state.dir : 1;
      state.sort = sort;
      render();
    });
  });
  $("prev").addEventListener("click", function () { state.page -= 1; render(); });
  $("next").addEventListener("click", function () { state.page += 1; render(); });
  render();
})();
