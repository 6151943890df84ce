// note_extract review site, index: filters, sorting and paging over window.NOTES (assets/notes.js).
// Only one page of rows is in the document at a time, so thousands of notes stay fast. The filters
// and sort live in the URL's fragment (#text=UNODA&year=2016), so a filtered view can be shared.
(function () {
  "use strict";
  var PAGE = 50;
  var notes = window.NOTES || [];
  var SEV = { error: 0, warning: 1, info: 2 };
  notes.forEach(function (n) {
    n.page = n.page || n.id;
    n.end = n.end === undefined ? n.start : n.end;
    n.year = n.start.slice(0, 4);
    n.text = n.text !== false;
  });
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
  var FILTERS = ["f-kind", "f-code", "f-sev", "f-org", "f-country", "f-year", "f-conf"];
  var hasConf = notes.some(function (n) { return n.conf; });
  if (!hasConf) {
    document.querySelectorAll(".conf").forEach(function (node) { node.hidden = true; });
  }
  fill($("f-kind"), unique(function (n) { return [n.kind]; }));
  fill($("f-code"), unique(function (n) { return Object.keys(n.codes); }));
  fill($("f-org"), unique(function (n) { return n.organizers; }));
  fill($("f-country"), unique(function (n) { return [n.country]; }));
  fill($("f-year"), unique(function (n) { return [n.year]; }));

  function matches(n) {
    var text = $("f-text").value.trim().toLowerCase();
    var code = $("f-code").value, sev = $("f-sev").value, org = $("f-org").value;
    var country = $("f-country").value, year = $("f-year").value;
    var kind = $("f-kind").value, conf = $("f-conf").value;
    if (kind && n.kind !== kind) { return false; }
    if (conf && !(n.conf && n.conf[0] < Number(conf))) { return false; }
    if (code && !n.codes[code]) { return false; }
    if (sev && !n.sev[SEV[sev]]) { return false; }
    if (org && n.organizers.indexOf(org) < 0) { return false; }
    if (country && n.country !== country) { return false; }
    if (year && n.year !== year) { return false; }
    if (text) {
      var hay = (n.title + " " + n.venue + " " + n.organizers.join(" ") + " " + n.keys + " " + n.id).toLowerCase();
      var words = text.split(/\s+/);
      for (var w = 0; w < words.length; w++) { if (hay.indexOf(words[w]) < 0) { return false; } }
    }
    return true;
  }
  function key(n) {
    if (state.sort in SEV) { return n.sev[SEV[state.sort]]; }
    if (state.sort === "organizers") { return n.organizers.join(", ").toLowerCase(); }
    if (state.sort === "conf") { return n.conf ? n.conf[0] : 2; }
    return String(n[state.sort] || "").toLowerCase();
  }
  function cell(row, text, cls, label) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    if (label) { td.dataset.label = label; }
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
      link.href = "notes/" + n.page + ".html";
      link.textContent = n.title || "(no title) " + n.id;
      td.appendChild(link);
      if (!n.text) { td.appendChild(document.createTextNode(" (no raw text)")); }
      row.appendChild(td);
      cell(row, n.kind, "", "kind");
      var dates = cell(row, "", "", "dates");
      [n.start || "-", n.end && n.end !== n.start ? n.end : ""].forEach(function (d, k) {
        if (!d) { return; }
        if (k) { dates.appendChild(document.createTextNode(" to ")); }
        var span = document.createElement("span");
        span.className = "d";
        span.textContent = d;
        dates.appendChild(span);
      });
      cell(row, n.venue || "-", "", "venue");
      cell(row, n.organizers.join(", ") || "-", "", "organizers");
      if (hasConf) { cell(row, n.conf ? n.conf[1] + " " + n.conf[0].toFixed(2) : "-", "c", "least confident"); }
      cell(row, String(n.sev[0]), "n", "errors");
      cell(row, String(n.sev[1]), "n", "warnings");
      cell(row, String(n.sev[2]), "n", "info");
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
    save();
  }
  function save() {
    var parts = [];
    var text = $("f-text").value.trim();
    if (text) { parts.push("text=" + encodeURIComponent(text)); }
    FILTERS.forEach(function (id) {
      var value = $(id).value;
      if (value) { parts.push(id.slice(2) + "=" + encodeURIComponent(value)); }
    });
    if (state.sort !== "start" || state.dir !== 1) { parts.push("sort=" + (state.dir < 0 ? "-" : "") + state.sort); }
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (window.location.hash !== hash && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", hash || window.location.pathname + window.location.search);
    }
  }
  function load() {
    var params = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq > 0) {
        try { params[part.slice(0, eq)] = decodeURIComponent(part.slice(eq + 1)); } catch (e) { /* ignore */ }
      }
    });
    $("f-text").value = params.text || "";
    FILTERS.forEach(function (id) {
      var select = $(id), value = params[id.slice(2)] || "";
      if (value && !Array.prototype.some.call(select.options, function (o) { return o.value === value; })) { value = ""; }
      select.value = value;
    });
    if (params.sort) {
      state.dir = params.sort.charAt(0) === "-" ? -1 : 1;
      state.sort = params.sort.replace(/^-/, "");
    }
  }
  document.querySelectorAll(".chart g[data-control]").forEach(function (bar) {
    function pick() {
      var select = $(bar.dataset.control);
      select.value = select.value === bar.dataset.value ? "" : bar.dataset.value;
      state.page = 0;
      render();
      $("notes").scrollIntoView({ block: "start" });
    }
    bar.addEventListener("click", pick);
    bar.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); pick(); }
    });
  });
  FILTERS.forEach(function (id) {
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
  window.addEventListener("hashchange", function () { load(); render(); });
  load();
  render();
})();
