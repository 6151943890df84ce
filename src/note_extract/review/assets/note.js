// note_extract review site, note page. Builds the highlights from the page's table (#data), shows a
// highlight's details next to it and inside the viewport (hover, focus, tap), toggles kinds from the
// legend, and moves between issues with n / p. No network, no libraries.
(function () {
  "use strict";
  var pre = document.getElementById("raw");
  var dataNode = document.getElementById("data");
  if (!pre || !dataNode) { return; }
  var pop = document.createElement("div");
  pop.id = "pop";
  pop.className = "pop";
  pop.setAttribute("role", "tooltip");
  pop.hidden = true;
  document.body.appendChild(pop);
  var data = JSON.parse(dataNode.textContent);
  var entities = data.e, rows = data.h;
  // Compact forms of the page's table: a country's id "=XX" is "country:XX"; words "?..." start
  // "not in the registry".
  entities.forEach(function (e) { if (e[1] && e[1].charAt(0) === "=") { e[1] = "country:" + e[1].slice(1); } });
  var said = data.w.map(function (w) { return w.charAt(0) === "?" ? "not in the registry" + w.slice(1) : w; });
  // The kinds in the order of note_extract.review.page.KINDS: a row names a kind by its number here.
  var kinds = ["title", "date", "venue", "organizer", "sponsor", "host", "observer", "participant", "org",
    "country", "resolution", "mdate", "email", "issue"];
  var labels = {
    title: "title", date: "event date", venue: "venue", organizer: "organizer", sponsor: "sponsor",
    host: "host", observer: "observer", participant: "participant", org: "organization mention",
    country: "country mention", resolution: "resolution", mdate: "date mention", email: "e-mail", issue: "issue"
  };
  // Fields and issues are Tab stops; mentions are reached by pointer, or by the summary's links.
  var TAB = { title: 1, date: 1, venue: 1, organizer: 1, sponsor: 1, host: 1, observer: 1, participant: 1, issue: 1 };
  // A row is [start - previous start, length, kinds, entity, words, kinds, entity, words ...]; kinds is
  // a number or a list. Offsets are made absolute here.
  var previousStart = 0;
  rows.forEach(function (row) {
    row[0] += previousStart;
    row[1] += row[0];
    previousStart = row[0];
    var seen = {};
    row.items = [];
    for (var j = 2; j < row.length; j += 3) {
      var ks = typeof row[j] === "number" ? [row[j]] : row[j];
      ks.forEach(function (k) { seen[k] = true; });
      row.items.push([ks, row[j + 1], row[j + 2]]);
    }
    row.kinds = Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
    row.tab = row.kinds.some(function (k) { return TAB[kinds[k]]; });
  });

  function entityName(n) {
    var e = entities[n];
    return e[0] + (e[2] ? " (" + e[2] + ")" : "");
  }
  var confOf = {};
  // The role lists: organizers, sponsors, hosts and observers first, unnamed; then [label, refs] per group.
  var ROLES = ["organizers", "sponsors", "hosts", "observers"];
  data.r = data.r.map(function (role, n) { return n < ROLES.length ? [ROLES[n], role] : role; });
  data.r.forEach(function (role) { role[1].forEach(function (ref) { if (ref.length > 2) { confOf[ref[1]] = ref[2]; } }); });
  var header = document.querySelector("header"), aside = document.querySelector("aside");
  var legend = document.createElement("ul");
  legend.className = "legend";
  header.appendChild(legend);
  var roles = document.createElement("dl");
  roles.id = "roles";
  roles.className = "meta";
  var heading = document.createElement("h2");
  heading.textContent = "Record";
  aside.insertBefore(heading, aside.firstChild);
  var meta = aside.querySelector(".meta");
  if (meta) { meta.parentNode.insertBefore(roles, meta.nextSibling); }
  if (roles) {
    data.r.forEach(function (role) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = role[0];
      if (!role[1].length) { dd.textContent = "none"; }
      var list = document.createElement("ul");
      role[1].forEach(function (ref) {
        var li = document.createElement("li"), a = document.createElement("a"), e = entities[ref[0]];
        var row = rows[ref[1]];
        if (row) { a.href = "#h-" + row[0] + "-" + row[1]; }
        a.textContent = entityName(ref[0]);
        li.appendChild(a);
        var id = document.createElement(e[1] ? "code" : "i");
        id.textContent = e[1] || "not in the registry";
        li.appendChild(document.createTextNode(" "));
        li.appendChild(id);
        if (ref.length > 2) {
          var c = document.createElement("span");
          c.className = "c";
          c.textContent = " confidence " + Number(ref[2]).toFixed(2);
          li.appendChild(c);
        }
        list.appendChild(li);
      });
      if (role[1].length) { dd.appendChild(list); }
      roles.appendChild(dt);
      roles.appendChild(dd);
    });
  }
  var keys = document.createElement("p");
  keys.className = "keys";
  aside.appendChild(keys);
  if (keys) {
    keys.textContent = "Keys: Tab moves through fields and issues; n / p: next / previous issue; " +
      "] / [: next / previous note; Esc hides the details.";
  }
  var raw = pre.textContent;
  var issueItems = document.querySelectorAll(".issues > li");

  // Offsets are code points; the DOM counts UTF-16 units.
  var unit = null;
  if (/[\uD800-\uDBFF]/.test(raw)) {
    unit = [];
    var u = 0;
    for (var cp = 0; u < raw.length; cp++) {
      unit.push(u);
      u += raw.codePointAt(u) > 0xFFFF ? 2 : 1;
    }
    unit.push(u);
  }
  function at(offset) { return unit ? unit[offset] : offset; }
  var lineStarts = [0];
  for (var i = 0; i < raw.length; i++) { if (raw[i] === "\n") { lineStarts.push(i + 1); } }
  function lineOf(offset) {
    var lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) { lo = mid; } else { hi = mid - 1; }
    }
    return lo + 1;
  }

  // Nested marks: properly nested spans nest; a span that crosses another is split into pieces.
  var order = rows.map(function (r, n) { return [at(r[0]), at(r[1]), n]; });
  order.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1] || a[2] - b[2]; });
  var html = [], stack = [], pos = 0, queue = order.slice();
  // A carriage return is written as a reference: the HTML parser would turn CR LF into LF.
  function esc(s) { return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;"); }
  function push(item) {
    var lo = 0, hi = queue.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1, q = queue[mid];
      if (q[0] < item[0] || (q[0] === item[0] && (q[1] > item[1] || (q[1] === item[1] && q[2] < item[2])))) {
        lo = mid + 1;
      } else { hi = mid; }
    }
    queue.splice(lo, 0, item);
  }
  while (queue.length) {
    var next = queue.shift(), start = next[0], end = next[1], n = next[2];
    while (stack.length && stack[stack.length - 1] <= start) {
      var closing = stack.pop();
      html.push(esc(raw.slice(pos, closing)) + "</mark>");
      pos = closing;
    }
    html.push(esc(raw.slice(pos, start)));
    pos = start;
    if (stack.length && end > stack[stack.length - 1]) {
      push([stack[stack.length - 1], end, n]);
      end = stack[stack.length - 1];
    }
    var row = rows[n], first = start === at(row[0]);
    html.push('<mark data-h="' + n + '" data-s="' + row[0] + '" data-e="' + row[1] + '"' +
      (first ? ' id="h-' + row[0] + "-" + row[1] + '"' : "") +
      ' tabindex="' + (first && row.tab ? 0 : -1) + '">');
    stack.push(end);
  }
  while (stack.length) {
    var last = stack.pop();
    html.push(esc(raw.slice(pos, last)) + "</mark>");
    pos = last;
  }
  html.push(esc(raw.slice(pos)));
  pre.innerHTML = html.join("");
  var marks = Array.prototype.slice.call(pre.querySelectorAll("mark"));

  var hidden = {};
  function colour() {
    marks.forEach(function (m) {
      var row = rows[m.dataset.h], shown = null, issue = false;
      row.kinds.forEach(function (k) {
        var kind = kinds[k];
        if (kind === "issue") { issue = !hidden.issue; } else if (!shown && !hidden[kind]) { shown = kind; }
      });
      m.className = (shown ? "k-" + shown : "k-none") + (issue ? " has-issue" : "") +
        (issue && m.id ? " issue-start" : "");
    });
  }
  colour();

  function describe(n) {
    var row = rows[n], lines = [];
    row.items.forEach(function (item) {
      var names = item[0].map(function (k) { return labels[kinds[k]] || kinds[k]; }).join(", "), parts = [];
      if (item[1] >= 0) {
        parts.push(entityName(item[1]) + (entities[item[1]][1] ? " [" + entities[item[1]][1] + "]" : ""));
      }
      var words = item[1] === -2 ? null : said[item[2]] || (item[1] >= 0 ? "in the registry" : "");
      // The event's dates and venue are worded once, in the summary (its third and fourth rows).
      var field = item[0].length === 1 && { date: 2, venue: 3 }[kinds[item[0][0]]];
      var summary = document.querySelectorAll(".meta dd");
      if (field && !words && summary[field]) { words = summary[field].textContent; }
      if (words === null) {
        var li = issueItems[item[2]];
        words = "";
        if (li) {
          var clone = li.cloneNode(true), hint = clone.querySelector("small");
          if (hint) { hint.remove(); }
          words = li.className + ": " + clone.textContent.replace(/\s+/g, " ").trim() +
            (hint ? "\nwhat to do: " + hint.textContent : "");
        }
      }
      if (words) { parts.push(words); }
      if (item[1] >= 0 && confOf[n] !== undefined) { parts.push("confidence " + Number(confOf[n]).toFixed(2)); }
      lines.push(names + (parts.length ? ": " + parts.join(" · ") : ""));
    });
    var first = lineOf(row[0]), lastLine = lineOf(Math.max(row[0], row[1] - 1));
    lines.push(first === lastLine ? "line " + first : "lines " + first + "\u2013" + lastLine);
    return lines.join("\n");
  }
  var active = [];
  function place(mark) {
    var rect = mark.getBoundingClientRect();
    var vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
    pop.style.maxWidth = Math.min(448, vw - 16) + "px";
    pop.style.left = "0px";
    pop.style.top = "0px";
    var w = pop.offsetWidth, h = pop.offsetHeight;
    var left = Math.max(8, Math.min(rect.left, vw - w - 8));
    var top = rect.bottom + 6;
    if (top + h > vh - 8) { top = rect.top - h - 6; }
    if (top < 8) { top = Math.max(8, Math.min(vh - h - 8, rect.bottom + 6)); }
    pop.style.left = left + "px";
    pop.style.top = top + "px";
  }
  function show(mark) {
    active.forEach(function (m) { m.classList.remove("active"); });
    active = marks.filter(function (m) { return m.dataset.h === mark.dataset.h; });
    active.forEach(function (m) { m.classList.add("active"); });
    pop.textContent = describe(mark.dataset.h);
    pop.hidden = false;
    place(mark);
  }
  function hide() {
    pop.hidden = true;
    active.forEach(function (m) { m.classList.remove("active"); });
    active = [];
  }
  function nearestMark(target) { return target && target.closest ? target.closest("mark[data-h]") : null; }
  pre.addEventListener("mouseover", function (event) { var m = nearestMark(event.target); if (m) { show(m); } });
  pre.addEventListener("focusin", function (event) { var m = nearestMark(event.target); if (m) { show(m); } });
  pre.addEventListener("click", function (event) {
    var m = nearestMark(event.target);
    if (m) { m.focus({ preventScroll: true }); show(m); }
  });
  window.addEventListener("scroll", function () { if (!pop.hidden && active.length) { place(active[0]); } }, { passive: true });
  window.addEventListener("resize", function () { if (!pop.hidden && active.length) { place(active[0]); } });

  legend.setAttribute("aria-label", "Legend: show or hide a kind");
  var counts = {};
  rows.forEach(function (row) { row.kinds.forEach(function (k) { counts[k] = (counts[k] || 0) + 1; }); });
  kinds.forEach(function (kind, k) {
    if (!counts[k]) { return; }
    var li = document.createElement("li"), button = document.createElement("button"), b = document.createElement("b");
    button.type = "button";
    button.className = "k-" + kind;
    button.dataset.kind = kind;
    button.setAttribute("aria-pressed", "true");
    button.title = "show or hide " + (labels[kind] || kind);
    button.textContent = (labels[kind] || kind) + " ";
    b.textContent = counts[k] || 0;
    button.appendChild(b);
    li.appendChild(button);
    legend.appendChild(li);
  });
  document.querySelectorAll(".legend button[data-kind]").forEach(function (button) {
    button.addEventListener("click", function () {
      var kind = button.dataset.kind;
      hidden[kind] = !hidden[kind];
      button.setAttribute("aria-pressed", hidden[kind] ? "false" : "true");
      colour();
    });
  });

  function go(mark) {
    if (!mark) { return; }
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
    show(mark);
  }
  rows.forEach(function (row) {
    row.items.forEach(function (item) {
      var li = item[1] === -2 ? issueItems[item[2]] : null, code = li ? li.querySelector("b") : null;
      if (!code || code.parentNode.tagName === "A") { return; }
      var link = document.createElement("a");
      link.href = "#h-" + row[0] + "-" + row[1];
      link.dataset.issueLink = "";
      code.parentNode.replaceChild(link, code);
      link.appendChild(code);
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (target) { event.preventDefault(); go(target); }
      });
    });
  });
  var issueMarks = marks.filter(function (m) {
    return m.id && rows[m.dataset.h].kinds.some(function (k) { return kinds[k] === "issue"; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.target && /INPUT|SELECT|TEXTAREA/.test(event.target.tagName)) { return; }
    if (event.key === "Escape") { hide(); return; }
    var rel = event.key === "[" ? "prev" : event.key === "]" ? "next" : null;
    if (rel) {
      var link = document.querySelector('a[rel="' + rel + '"]');
      if (link) { window.location.href = link.href; }
      return;
    }
    if ((event.key === "n" || event.key === "p") && issueMarks.length) {
      var current = document.activeElement, index = issueMarks.indexOf(current);
      if (index < 0) {
        var here = current && current.dataset && current.dataset.h ? rows[current.dataset.h][0] : -1;
        var starts = issueMarks.map(function (m) { return rows[m.dataset.h][0]; });
        if (event.key === "n") {
          index = -1;
          starts.forEach(function (s, k) { if (s <= here) { index = k; } });
        } else {
          index = starts.length;
          for (var k = starts.length - 1; k >= 0; k--) { if (starts[k] >= here) { index = k; } }
        }
      }
      var step = event.key === "n" ? 1 : -1;
      go(issueMarks[(index + step + issueMarks.length) % issueMarks.length]);
    }
  });
  if (window.location.hash) {
    var start = document.getElementById(window.location.hash.slice(1));
    if (start && start.tagName === "MARK") { go(start); }
  }
})();
