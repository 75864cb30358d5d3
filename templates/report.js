/* dedupe report: the article list, one article at a time, the findings index, side by
   side, triage and filters. The page works without this script (the <noscript> view:
   the same articles and index, linked). With it, that view is one text node: an
   article's HTML is cut from it when the article opens, and everything else comes from
   the JSON block. Text from the report always goes in with textContent; the only
   markup parsed is the page's own escaped article HTML (and the CSP lets no script run). */
(function () {
  "use strict";
  var doc = document;
  var source = doc.getElementById("static");
  var app = doc.getElementById("app");
  var card = doc.getElementById("card");
  var dataEl = doc.getElementById("report-data");
  if (!source || !app || !dataEl) return;
  var DATA = JSON.parse(dataEl.textContent);
  var FINDINGS = DATA.findings; /* FINDINGS[n - 1] is finding number n */
  var DOCS = DATA.docs;
  var KINDS = DATA.kinds;
  var PAGE = 100; /* rows or entries rendered at a time: keeps the DOM small on any corpus */
  var MAX_PLACES = 12; /* places listed in a card */
  var SEV_RANK = { error: 0, warning: 1, info: 2, "": 3 };
  var html = source.textContent;
  var STORE = "dedupe-triage:" + (doc.body.getAttribute("data-key") || "");

  doc.documentElement.classList.add("js");
  var help = doc.getElementById("keys-help");
  if (help) help.hidden = false;

  /* ---------- small helpers ---------- */
  function el(tag, cls, text, parent) {
    var node = doc.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null && text !== "") node.textContent = String(text);
    if (parent) parent.appendChild(node);
    return node;
  }
  function link(href, cls, text, parent) {
    var a = el("a", cls, text, parent);
    a.href = href;
    return a;
  }
  function button(cls, text, parent) {
    var b = el("button", cls, text, parent);
    b.type = "button";
    return b;
  }
  function finding(n) { return FINDINGS[n - 1]; }
  function docName(d) { return DOCS[d] ? DOCS[d].p : ""; }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  /* where each finding is, per article */
  var byDoc = {};
  FINDINGS.forEach(function (f) {
    f.docs = {};
    f.o.forEach(function (o) { if (o[0] >= 0) f.docs[o[0]] = true; });
    Object.keys(f.docs).forEach(function (d) { (byDoc[d] = byDoc[d] || []).push(f.n); });
  });

  /* ---------- triage marks (local storage) ---------- */
  var marks = {};
  try { marks = JSON.parse(localStorage.getItem(STORE) || "{}") || {}; } catch (e) { marks = {}; }
  function saveMarks() {
    try { localStorage.setItem(STORE, JSON.stringify(marks)); } catch (e) { /* private mode: marks last this visit */ }
  }
  function setMark(f, state) {
    if (state) marks[f.fp] = state; else delete marks[f.fp];
    saveMarks();
    refresh();
  }
  function baselineText() {
    /* the format dedupe/baseline.py writes: version 1, entries sorted by fingerprint */
    var seen = {};
    FINDINGS.forEach(function (f) {
      if (marks[f.fp] && !f.sup && !seen[f.fp]) {
        seen[f.fp] = { fingerprint: f.fp, kind: f.k, occurrences: f.b[0], text: f.b[1] };
      }
    });
    var rows = Object.keys(seen).sort().map(function (k) { return seen[k]; });
    return JSON.stringify({ version: 1, findings: rows }, null, 2) + "\n";
  }
  function download() {
    var blob = new Blob([baselineText()], { type: "application/json" });
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = ".dedupe-baseline.json";
    doc.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function markCount() {
    return FINDINGS.filter(function (f) { return marks[f.fp]; }).length;
  }

  /* ---------- viewer filters ---------- */
  var form = doc.getElementById("viewer-filters");
  var toggle = doc.getElementById("filters-toggle");
  var filters = { kinds: {}, minWords: 0, hideBoilerplate: false, hideMarked: false, withDoc: null };
  function readFilters() {
    Array.prototype.forEach.call(form.querySelectorAll("input[name=kind]"), function (box) {
      filters.kinds[box.value] = box.checked;
    });
    filters.minWords = parseInt(form.elements["min-words"].value, 10) || 0;
    filters.hideBoilerplate = form.elements["hide-boilerplate"].checked;
    filters.hideMarked = form.elements["hide-marked"].checked;
  }
  function shown(f) {
    if (filters.kinds[f.k] === false) return false;
    if (filters.hideBoilerplate && f.k === "boilerplate") return false;
    if (f.w < filters.minWords) return false;
    if (filters.hideMarked && marks[f.fp]) return false;
    if (filters.withDoc !== null && !f.docs[filters.withDoc]) return false;
    return true;
  }
  function filtering() {
    return filters.minWords > 0 || filters.hideBoilerplate || filters.hideMarked || filters.withDoc !== null ||
      Object.keys(filters.kinds).some(function (k) { return !filters.kinds[k]; });
  }
  if (form && toggle) {
    toggle.hidden = false;
    form.hidden = true;
    readFilters();
    toggle.addEventListener("click", function () {
      form.hidden = !form.hidden;
      toggle.setAttribute("aria-expanded", String(!form.hidden));
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("input", function () { readFilters(); refresh(); });
    form.addEventListener("change", function () { readFilters(); refresh(); });
  }
  function setWith(d) {
    filters.withDoc = d;
    var note = doc.getElementById("only-with");
    note.textContent = "";
    note.hidden = d === null;
    if (d !== null) {
      el("span", "", "Only matches shared with ", note);
      el("code", "", docName(d), note);
      button("clear-with", "show all", note).addEventListener("click", function () { setWith(null); });
      form.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
    }
    refresh();
  }

  /* ---------- the articles, ranked ---------- */
  var list = { sort: "share", dir: -1, q: "", limit: PAGE };
  function articleRows() {
    var rows = [];
    Object.keys(DOCS).forEach(function (d) {
      var info = DOCS[d];
      var all = byDoc[d] || [];
      var vis = all.filter(function (n) { return shown(finding(n)); });
      if (all.length && !vis.length) return;
      if (!all.length && filtering()) return;
      if (list.q && info.p.toLowerCase().indexOf(list.q) === -1) return;
      var on = {};
      vis.forEach(function (n) { on[n] = true; });
      var copy = 0; /* a near-copy article: its similarity to its closest copy */
      var ranges = info.r.filter(function (r) {
        if (on[r[0]] && r.length > 3) copy = Math.max(copy, r[3]);
        return on[r[0]] && r.length === 3;
      }).map(function (r) { return [r[1], r[2]]; });
      ranges.sort(function (a, b) { return a[0] - b[0]; });
      var covered = 0, end = -1;
      ranges.forEach(function (r) {
        if (r[1] <= end) return;
        covered += r[1] - Math.max(r[0], end);
        end = r[1];
      });
      var counts = {}, worst = "";
      vis.forEach(function (n) {
        var f = finding(n);
        counts[f.k] = (counts[f.k] || 0) + 1;
        if (SEV_RANK[f.s] < SEV_RANK[worst]) worst = f.s;
      });
      rows.push({ doc: +d, path: info.p, share: Math.max(info.n ? covered / info.n : 0, copy), count: vis.length, counts: counts,
                  worst: worst });
    });
    var key = list.sort, dir = list.dir;
    rows.sort(function (a, b) {
      var x, y;
      if (key === "path") { x = a.path; y = b.path; }
      else if (key === "worst") { x = -SEV_RANK[a.worst]; y = -SEV_RANK[b.worst]; }
      else { x = a[key]; y = b[key]; }
      if (x < y) return -dir;
      if (x > y) return dir;
      return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
    });
    return rows;
  }
  var order = []; /* article order of the list as last filtered and sorted: n/p walk it */
  function renderArticles(focusHeading) {
    var rows = articleRows();
    order = rows.map(function (r) { return r.doc; });
    var sec = el("section", "v-articles");
    sec.setAttribute("aria-labelledby", "va-h");
    var head = el("div", "list-head", null, sec);
    var everyDoc = Object.keys(DOCS).some(function (d) { return !byDoc[d]; }); /* --all-articles */
    var h = el("h2", "", everyDoc ? "Articles " : "Articles with findings ", head);
    h.id = "va-h";
    h.tabIndex = -1;
    el("span", "n", rows.length + " of " + Object.keys(DOCS).length + " shown · " + plural(FINDINGS.length, "finding"), h);
    var lab = el("label", "path-filter", "Filter by path ", head);
    var input = el("input", "", null, lab);
    input.type = "search";
    input.id = "path-filter";
    input.placeholder = "part of a path";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.value = list.q;
    input.addEventListener("input", function () {
      list.q = input.value.trim().toLowerCase();
      list.limit = PAGE;
      var fresh = renderArticles(false);
      var box = fresh.querySelector("#path-filter");
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    });
    var tools = el("div", "triage-tools", null, head);
    el("p", "note", "Repeated: the share of the article's text inside a highlight of the findings shown (a near-copy " +
       "article: its similarity to its closest copy, if higher).", tools);
    triageTools(tools);
    if (!rows.length) {
      el("p", "empty", Object.keys(DOCS).length ? "No article matches the filters." : "No article has a finding.", sec);
    } else {
      var table = el("table", "alist", null, sec);
      el("caption", "sr", "Articles, most repeated first; the column buttons sort", table);
      var tr = el("tr", "", null, el("thead", "", null, table));
      [["path", "Article"], ["share", "Repeated"], ["count", "Findings"], ["worst", "Worst"]].forEach(function (c) {
        var th = el("th", c[0] === "share" ? "num-col" : "", null, tr);
        th.scope = "col";
        if (list.sort === c[0]) th.setAttribute("aria-sort", list.dir > 0 ? "ascending" : "descending");
        var b = button("sort", c[1], th);
        b.setAttribute("data-sort", c[0]);
        b.addEventListener("click", function () {
          if (list.sort === c[0]) list.dir = -list.dir;
          else { list.sort = c[0]; list.dir = c[0] === "path" ? 1 : -1; }
          renderArticles(false).querySelector("button[data-sort=" + c[0] + "]").focus();
        });
      });
      var body = el("tbody", "", null, table);
      rows.slice(0, list.limit).forEach(function (r) {
        var row = el("tr", "", null, body);
        var th = el("th", "", null, row);
        th.scope = "row";
        link("#a" + r.doc, "", r.path, th);
        var share = el("td", "num-col share", null, row);
        var bar = el("span", "bar", null, share);
        el("span", "", null, bar).style.width = Math.round(100 * r.share) + "%";
        el("span", "pct", Math.round(100 * r.share) + "%", share);
        var kinds = el("td", "kinds-cell", null, row);
        Object.keys(KINDS).forEach(function (k) {
          if (r.counts[k]) el("span", "k-tag k-" + k, r.counts[k] + " " + KINDS[k], kinds);
        });
        var worst = el("td", "", null, row);
        if (r.worst) el("span", "sev sev-" + r.worst, r.worst, worst);
      });
      if (rows.length > list.limit) {
        var more = button("more", "Show " + Math.min(PAGE, rows.length - list.limit) + " more (" +
                          (rows.length - list.limit) + " not shown)", sec);
        more.addEventListener("click", function () {
          var at = list.limit;
          list.limit += PAGE;
          var fresh = renderArticles(false);
          var links = fresh.querySelectorAll(".alist tbody th a");
          if (links[at]) links[at].focus();
        });
      }
    }
    mount(sec, "articles");
    if (focusHeading) h.focus({ preventScroll: true });
    return sec;
  }

  function triageTools(parent) {
    var n = markCount();
    var p = el("p", "triage-note", n ? plural(n, "finding") + " marked accepted or not a problem." :
      "Mark findings accepted or not a problem from their card; the marks stay in this browser.", parent);
    if (n) {
      var b = button("download", "Download baseline", p);
      b.addEventListener("click", download);
      el("span", "hint", " then run dedupe check --baseline .dedupe-baseline.json", p);
    }
  }

  /* ---------- one article ---------- */
  var articleIndex = null; /* doc -> [start, end] of its <article> in the static HTML */
  function articleHtml(d) {
    if (!articleIndex) {
      articleIndex = {};
      var re = /<article class="art" id="a(\d+)"/g, m;
      while ((m = re.exec(html))) {
        var end = html.indexOf("</article>", m.index);
        articleIndex[m[1]] = [m.index, end + "</article>".length];
        re.lastIndex = end;
      }
    }
    var at = articleIndex[d];
    if (!at) return null;
    var t = doc.createElement("template");
    t.innerHTML = html.slice(at[0], at[1]); /* the page's own escaped markup */
    return t.content.querySelector(".text");
  }

  var current = { view: "", doc: null, back: "" }; /* back: where Esc leaves side by side for */
  function renderArticle(d) {
    var text = articleHtml(d);
    if (!text) return null;
    var info = DOCS[d];
    var sec = el("section", "v-article");
    sec.setAttribute("aria-labelledby", "art-h");
    var bar = el("div", "art-bar", null, sec);
    link("#articles", "back", "← Articles", bar);
    var h = el("h2", "", info.p, bar);
    h.id = "art-h";
    h.tabIndex = -1;
    if (!order.length) order = articleRows().map(function (r) { return r.doc; });
    var at = order.indexOf(d);
    var nav = el("span", "prevnext", null, bar);
    var prev = link(at > 0 ? "#a" + order[at - 1] : "#articles", "prev", "‹ prev", nav);
    prev.setAttribute("aria-label", "Previous article (p)");
    var next = link(at >= 0 && at < order.length - 1 ? "#a" + order[at + 1] : "#articles", "next", "next ›", nav);
    next.setAttribute("aria-label", "Next article (n)");
    var all = byDoc[d] || [];
    var meta = el("details", "art-meta", null, sec);
    var sum = el("summary", "", null, meta);
    var vis = all.filter(function (n) { return shown(finding(n)); });
    el("span", "", plural(vis.length, "finding") + (vis.length < all.length ? " shown of " + all.length : ""), sum);
    var counts = {};
    vis.forEach(function (n) { var k = finding(n).k; counts[k] = (counts[k] || 0) + 1; });
    Object.keys(counts).forEach(function (k) { el("span", "k-tag k-" + k, counts[k] + " " + KINDS[k], sum); });
    var chips = el("ul", "art-findings", null, meta);
    chips.setAttribute("aria-label", "Findings in this article");
    vis.forEach(function (n) {
      var f = finding(n);
      var first = 0;
      f.o.forEach(function (o, i) { if (o[0] === d && !first) first = i + 1; });
      var li = el("li", "", null, chips);
      var a = link(f.k === "document" ? "#cmp-" + n + "-" + (first - 1) + "-" + (first === 1 ? 1 : 0)
        : "#f" + n + "-" + (first - 1), "chip k-" + f.k + " " + f.c, "#" + n + " " + KINDS[f.k], li);
      if (f.k === "document") a.textContent += " · side by side";
    });
    var others = {};
    vis.forEach(function (n) {
      Object.keys(finding(n).docs).forEach(function (o) { if (+o !== d) others[o] = true; });
    });
    var otherDocs = Object.keys(others);
    if (otherDocs.length) {
      var lab = el("label", "with", "Only matches shared with ", meta);
      var sel = el("select", "", null, lab);
      el("option", "", "any article", sel).value = "";
      otherDocs.sort(function (a, b) { return docName(a) < docName(b) ? -1 : 1; }).forEach(function (o) {
        var opt = el("option", "", docName(o), sel);
        opt.value = o;
        if (filters.withDoc === +o) opt.selected = true;
      });
      sel.addEventListener("change", function () {
        setWith(sel.value === "" ? null : +sel.value);
      });
    }
    text.classList.add("article-text");
    sec.appendChild(text);
    applyHighlightFilters(text);
    mount(sec, "article");
    current.doc = d;
    return sec;
  }

  function applyHighlightFilters(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".hl"), function (span) {
      var f = finding(+span.getAttribute("data-f"));
      var on = !!f && shown(f);
      span.classList.toggle("off", !on);
      span.classList.toggle("marked", !!(f && marks[f.fp]));
      var label = span.querySelector(":scope > .lbl");
      if (label) label.tabIndex = on ? 0 : -1;
    });
  }

  /* ---------- the findings index ---------- */
  var index = { limit: PAGE };
  function renderFindings(target) {
    var sec = el("section", "v-findings");
    sec.setAttribute("aria-labelledby", "vf-h");
    var head = el("div", "list-head", null, sec);
    var h = el("h2", "", "Findings ", head);
    h.id = "vf-h";
    h.tabIndex = -1;
    var vis = FINDINGS.filter(shown);
    el("span", "n", vis.length + " of " + FINDINGS.length + " shown, one per repeated text", h);
    triageTools(el("div", "triage-tools", null, head));
    if (target) {
      var pos = vis.indexOf(finding(target));
      if (pos >= index.limit) index.limit = pos + 1;
    }
    var ol = el("ol", "ix-list", null, sec);
    var kind = "";
    vis.slice(0, index.limit).forEach(function (f) {
      if (f.k !== kind) {
        kind = f.k;
        var kh = el("li", "ix-kind", null, ol);
        el("h3", "", null, kh).appendChild(el("span", "k-tag k-" + f.k, KINDS[f.k]));
      }
      ol.appendChild(entry(f));
    });
    if (vis.length > index.limit) {
      var more = button("more", "Show " + Math.min(PAGE, vis.length - index.limit) + " more (" +
                        (vis.length - index.limit) + " not shown)", sec);
      more.addEventListener("click", function () {
        var at = index.limit;
        index.limit += PAGE;
        var fresh = renderFindings(null);
        var links = fresh.querySelectorAll(".ix-go");
        if (links[at]) links[at].focus();
      });
    }
    if (!vis.length) el("p", "empty", FINDINGS.length ? "No finding matches the filters." : "No findings.", sec);
    mount(sec, "findings");
    return sec;
  }

  function diffLine(parent, d) {
    var p = el("p", "diff", null, parent);
    el("span", "vs", d[0], p);
    d[1].forEach(function (part, i) {
      if (i) p.appendChild(doc.createTextNode(" "));
      if (part[0] === "same") p.appendChild(doc.createTextNode(part[1]));
      else el(part[0], "", part[1], p);
    });
  }

  function triageButtons(parent, f) {
    var box = el("div", "triage", null, parent);
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Triage finding " + f.n);
    [["accepted", "Accept"], ["fine", "Not a problem"]].forEach(function (s) {
      var b = button("mark mark-" + s[0], s[1], box);
      b.setAttribute("aria-pressed", String(marks[f.fp] === s[0]));
      b.addEventListener("click", function () { setMark(f, marks[f.fp] === s[0] ? null : s[0]); });
    });
    if (marks[f.fp]) el("span", "marked-note", marks[f.fp] === "accepted" ? "accepted" : "not a problem", box);
    return box;
  }

  function entry(f) {
    var li = el("li", "ix k-" + f.k + (marks[f.fp] ? " marked" : "") + (f.sup ? " supp" : ""));
    li.id = "f" + f.n;
    var go = link(f.k === "document" ? "#cmp-" + f.n + "-0-1" : "#f" + f.n + "-0", "ix-go", null, li);
    el("span", "num " + f.c, f.n, go);
    el("span", "snip", f.t, go);
    el("p", "ix-meta", KINDS[f.k] + " · " + f.s + " · similarity " + f.sim.toFixed(2) + " · " +
       plural(f.o.length, "place") + (f.w ? " · " + plural(f.w, "word") : "") + (f.sup ? " · suppressed" : ""), li);
    f.d.forEach(function (d) { diffLine(li, d); });
    var occs = el("ul", "occs", null, li);
    f.o.forEach(function (o, i) {
      var item = el("li", "", null, occs);
      if (o[0] >= 0) link("#f" + f.n + "-" + i, "", o[4] + ":" + o[1], item);
      else el("span", "", o[4] + ":" + o[1] + provenance(o), item);
    });
    triageButtons(li, f);
    return li;
  }

  function provenance(o) {
    var p = o[5];
    if (!p) return " (archive)";
    return " (archive: " + [p.title, p.date, p.url].filter(Boolean).join(", ") + ")";
  }

  /* ---------- side by side ---------- */
  var WORD = /\S+/g;
  function wordKey(w) {
    var f = w.normalize("NFKC").replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, "\"")
      .replace(/[\u2013\u2014\u2212]/g, "-").replace(/\u00ad/g, "").toLowerCase();
    return f.replace(/^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu, "") || f;
  }
  function wordsOf(text) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) out.push({ s: m.index, e: m.index + m[0].length, k: wordKey(m[0]) });
    return out;
  }
  /* the words of a and b in their longest common subsequence (a display diff, as dedupe.worddiff) */
  function common(a, b) {
    var n = a.length, m = b.length, inA = new Array(n).fill(false), inB = new Array(m).fill(false);
    if (n * m > 4e6) return [inA.fill(true), inB.fill(true)]; /* too long to box word by word */
    var t = [], i, j;
    for (i = 0; i <= n; i++) t.push(new Uint16Array(m + 1));
    for (i = n - 1; i >= 0; i--) {
      for (j = m - 1; j >= 0; j--) {
        t[i][j] = a[i].k === b[j].k ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
      }
    }
    i = 0; j = 0;
    while (i < n && j < m) {
      if (a[i].k === b[j].k) { inA[i++] = true; inB[j++] = true; }
      else if (t[i + 1][j] >= t[i][j + 1]) i++;
      else j++;
    }
    return [inA, inB];
  }
  function ratio(a, b) {
    if (!a.length && !b.length) return 1;
    var c = common(a, b)[0].filter(Boolean).length;
    return 2 * c / (a.length + b.length);
  }

  /* text nodes of some elements, labels left out, with where each starts in their joined text */
  function textNodes(roots) {
    var nodes = [], text = "";
    roots.forEach(function (root, r) {
      if (r) text += " ";
      var walk = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: function (n) { return n.parentElement.closest(".lbl") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }
      });
      var n;
      while ((n = walk.nextNode())) { nodes.push({ node: n, at: text.length }); text += n.data; }
    });
    return { nodes: nodes, text: text };
  }
  /* box the words not in common (ranges of the joined text) */
  function box(t, words, kept, cls) {
    var ranges = [];
    words.forEach(function (w, i) {
      if (kept[i]) return;
      var last = ranges[ranges.length - 1];
      if (last && last.i === i - 1) { last.e = w.e; last.i = i; } else ranges.push({ s: w.s, e: w.e, i: i });
    });
    for (var r = ranges.length - 1; r >= 0; r--) {
      for (var k = t.nodes.length - 1; k >= 0; k--) {
        var item = t.nodes[k], s = Math.max(ranges[r].s - item.at, 0), e = Math.min(ranges[r].e - item.at, item.node.data.length);
        if (e <= s) continue;
        var range = doc.createRange();
        range.setStart(item.node, s);
        range.setEnd(item.node, e);
        var span = el("span", "dw " + cls);
        range.surroundContents(span);
      }
    }
  }
  function unwrapBoxes(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".dw"), function (s) {
      s.replaceWith.apply(s, Array.prototype.slice.call(s.childNodes));
    });
    root.normalize();
  }

  /* paragraphs of two passages paired: equal ones (in their longest common run), changed
     ones (half their words in common, searched in the gap between equal ones), the rest alone */
  function align(left, right) {
    var key = function (w) { return { k: w.map(function (x) { return x.k; }).join(" ") }; };
    var keep = common(left.map(key), right.map(key));
    var rows = [], i = 0, j = 0, L = left.length, R = right.length;
    while (i < L || j < R) {
      var gi = i, gj = j;
      while (gi < L && !keep[0][gi]) gi++;
      while (gj < R && !keep[1][gj]) gj++;
      var k = j;
      for (; i < gi; i++) {
        var match = -1;
        for (var c = k; c < gj; c++) { if (ratio(left[i], right[c]) >= 0.5) { match = c; break; } }
        if (match < 0) { rows.push(["left", i, -1]); continue; }
        for (; k < match; k++) rows.push(["right", -1, k]);
        rows.push(["changed", i, match]);
        k = match + 1;
      }
      for (; k < gj; k++) rows.push(["right", -1, k]);
      j = gj;
      if (i < L && j < R) rows.push(["same", i++, j++]);
    }
    return rows;
  }

  function paneText(d) {
    var text = articleHtml(d);
    if (!text) return null;
    Array.prototype.forEach.call(text.querySelectorAll("[id]"), function (n) { n.removeAttribute("id"); });
    Array.prototype.forEach.call(text.querySelectorAll(".lbl"), function (n) { n.tabIndex = -1; });
    Array.prototype.forEach.call(text.querySelectorAll("details"), function (n) { n.open = true; });
    unwrapBoxes(text);
    return text;
  }
  function pieces(text, n, i) {
    return Array.prototype.slice.call(text.querySelectorAll('.hl[data-f="' + n + '"][data-o="' + i + '"]'));
  }

  function renderCompare(n, i, j) {
    var f = finding(n);
    if (!f || !f.o[i] || !f.o[j] || f.o[i][0] < 0 || f.o[j][0] < 0) return null;
    var a = f.o[i], b = f.o[j];
    var sec = el("section", "v-compare");
    sec.setAttribute("aria-labelledby", "cmp-h");
    var bar = el("div", "art-bar", null, sec);
    var back = f.k === "document" ? "a" + a[0] : "f" + n + "-" + i;
    link("#" + back, "back", "← Back", bar);
    var h = el("h2", "", "#" + n + " " + KINDS[f.k] + ", side by side", bar);
    h.id = "cmp-h";
    h.tabIndex = -1;
    link("#cmp-" + n + "-" + j + "-" + i, "swap", "swap sides", bar);
    var left = paneText(a[0]), right = paneText(b[0]);
    var lp = pieces(left, n, i), rp = pieces(right, n, j);
    var whole = f.k === "document";
    var blocksOf = function (text, ps) {
      if (whole) return Array.prototype.slice.call(text.querySelectorAll("p"));
      var out = [];
      ps.forEach(function (p) { var b = p.closest("p"); if (out.indexOf(b) < 0) out.push(b); });
      return out;
    };
    var lb = blocksOf(left, lp), rb = blocksOf(right, rp);
    var legend = el("p", "cmp-legend", null, sec);
    legend.appendChild(doc.createTextNode("Left " + a[4] + ":" + a[1] + ", right " + b[4] + ":" + b[1] +
      " · similarity to the finding's representative " + a[2].toFixed(2) + " and " + b[2].toFixed(2) + " · "));
    el("span", "dw l", "boxed words", legend);
    legend.appendChild(doc.createTextNode(" are not in the other place."));
    if (lb.length > 1 || rb.length > 1) {
      /* a passage or a whole article: paragraph against paragraph */
      var lw = lb.map(function (p) { return textNodes([p]); }), rw = rb.map(function (p) { return textNodes([p]); });
      var lwords = lw.map(function (t) { return wordsOf(t.text); }), rwords = rw.map(function (t) { return wordsOf(t.text); });
      var table = el("table", "sbs", null, sec);
      el("caption", "sr", "Paragraphs of the two places, aligned", table);
      var tr = el("tr", "", null, el("thead", "", null, table));
      el("th", "l", a[4], tr).scope = "col";
      el("th", "gut", "", tr).appendChild(el("span", "sr", "match"));
      el("th", "r", b[4], tr).scope = "col";
      var body = el("tbody", "", null, table);
      var sym = { same: "=", changed: "≠", left: "−", right: "+" };
      align(lwords, rwords).forEach(function (row) {
        var r = el("tr", "row-" + row[0], null, body);
        var lc = el("td", "l", null, r), g = el("td", "gut", sym[row[0]], r), rc = el("td", "r", null, r);
        g.title = { same: "in both", changed: "changed", left: "only on the left", right: "only on the right" }[row[0]];
        var lcopy = row[1] >= 0 ? lb[row[1]].cloneNode(true) : null, rcopy = row[2] >= 0 ? rb[row[2]].cloneNode(true) : null;
        if (lcopy) lc.appendChild(lcopy);
        if (rcopy) rc.appendChild(rcopy);
        if (row[0] === "changed") {
          var keep = common(lwords[row[1]], rwords[row[2]]);
          box(textNodes([lcopy]), lwords[row[1]], keep[0], "l");
          box(textNodes([rcopy]), rwords[row[2]], keep[1], "r");
        }
      });
    } else {
      var lt = textNodes(lp), rt = textNodes(rp);
      var lws = wordsOf(lt.text), rws = wordsOf(rt.text);
      var kept = common(lws, rws);
      box(lt, lws, kept[0], "l");
      box(rt, rws, kept[1], "r");
    }
    var panes = el("div", "panes", null, sec);
    [[left, a, lp, "left"], [right, b, rp, "right"]].forEach(function (side) {
      var pane = el("div", "pane pane-" + side[3], null, panes);
      pane.tabIndex = 0;
      pane.setAttribute("role", "region");
      pane.setAttribute("aria-label", side[3] + ": " + side[1][4]);
      link("#a" + side[1][0], "pane-h", side[1][4] + ":" + side[1][1], pane);
      side[0].classList.add("article-text");
      pane.appendChild(side[0]);
      side[2].forEach(function (p) { p.classList.add("here"); });
    });
    mount(sec, "compare");
    current.back = back;
    [[panes.children[0], lp], [panes.children[1], rp]].forEach(function (pair) {
      var target = pair[1][0];
      if (!target) return;
      var pane = pair[0];
      pane.scrollTop += target.getBoundingClientRect().top - pane.getBoundingClientRect().top - pane.clientHeight / 3;
    });
    return sec;
  }

  /* ---------- views and routing ---------- */
  var summary = doc.getElementById("summary");
  function mount(sec, view) {
    app.textContent = "";
    app.appendChild(sec);
    current.view = view;
    if (view !== "article") current.doc = null;
    summary.hidden = view !== "summary";
    Array.prototype.forEach.call(doc.querySelectorAll(".sections a"), function (a) {
      if (a.getAttribute("data-view") === view) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
  }

  function openAncestors(node) {
    for (var p = node.parentElement; p; p = p.parentElement) {
      if (p.tagName === "DETAILS" && !p.open) p.open = true;
    }
  }
  function focusHighlight(target) {
    openAncestors(target);
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
    target.classList.remove("flash");
    void target.offsetWidth;
    target.classList.add("flash");
    showCard(target, false);
  }

  function route() {
    hideCard();
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = ""; }
    var m;
    if ((m = /^f(\d+)-(\d+)$/.exec(id))) {
      var f = finding(+m[1]), o = f && f.o[+m[2]];
      if (!o || o[0] < 0) return renderFindings(+m[1]);
      if (f.k === "document") return go("cmp-" + f.n + "-" + m[2] + "-" + (+m[2] === 0 ? 1 : 0));
      if (current.view !== "article" || current.doc !== o[0]) renderArticle(o[0]);
      var target = doc.getElementById(id);
      if (target) focusHighlight(target);
      return;
    }
    if ((m = /^a(\d+)$/.exec(id)) && DOCS[m[1]]) {
      renderArticle(+m[1]);
      window.scrollTo(0, 0);
      doc.getElementById("art-h").focus({ preventScroll: true });
      return;
    }
    if ((m = /^cmp-(\d+)-(\d+)-(\d+)$/.exec(id))) {
      if (renderCompare(+m[1], +m[2], +m[3])) {
        window.scrollTo(0, 0);
        doc.getElementById("cmp-h").focus({ preventScroll: true });
        return;
      }
    }
    if ((m = /^f(\d+)$/.exec(id)) && finding(+m[1])) {
      renderFindings(+m[1]);
      var entryEl = doc.getElementById(id);
      if (entryEl) {
        entryEl.scrollIntoView({ block: "start" });
        var go1 = entryEl.querySelector(".ix-go");
        go1.focus({ preventScroll: true });
      }
      return;
    }
    if (id === "findings") {
      renderFindings(null);
      window.scrollTo(0, 0);
      doc.getElementById("vf-h").focus({ preventScroll: true });
      return;
    }
    if (id === "summary") {
      mount(el("div"), "summary");
      window.scrollTo(0, 0);
      summary.querySelector("h2").tabIndex = -1;
      summary.querySelector("h2").focus({ preventScroll: true });
      return;
    }
    if (id === "main") {
      if (!current.view) renderArticles(false);
      doc.getElementById("main").focus();
      return;
    }
    renderArticles(id === "articles");
    if (id === "articles") window.scrollTo(0, 0);
  }
  function go(id) {
    if (location.hash === "#" + id) route();
    else location.hash = id;
  }
  /* re-render the open view with the current filters and marks */
  function refresh() {
    var keepY = window.scrollY;
    var had = cardFor && { f: cardFor.getAttribute("data-f"), o: cardFor.getAttribute("data-o"),
                           pinned: card.classList.contains("pinned"),
                           focus: card.contains(doc.activeElement) ? doc.activeElement.className : "" };
    if (current.view === "articles") { renderArticles(false); window.scrollTo(0, keepY); }
    else if (current.view === "findings") { renderFindings(null); window.scrollTo(0, keepY); }
    else if (current.view === "article") {
      renderArticle(current.doc);
      window.scrollTo(0, keepY);
    }
    if (cardFor && !doc.contains(cardFor)) {
      hideCard();
      var again = had && app.querySelector('.hl[data-f="' + had.f + '"][data-o="' + had.o + '"]');
      if (again && !again.classList.contains("off")) {
        showCard(again, had.pinned, true);
        var back = had.focus && card.querySelector("." + had.focus.split(" ").join("."));
        if (back) back.focus();
      }
    }
  }

  /* ---------- the card ---------- */
  var cardFor = null;
  var quiet = false; /* focus given back to a highlight as its card closes: no card again */
  function showCard(span, pinned, keepFocus) {
    var f = finding(+span.getAttribute("data-f"));
    if (!f) return;
    var i = +span.getAttribute("data-o");
    var inCompare = !!span.closest(".v-compare");
    card.textContent = "";
    var head = el("div", "head", null, card);
    el("span", "num " + f.c, f.n, head);
    el("span", "k-tag k-" + f.k, KINDS[f.k], head);
    el("span", "", f.sim === 1 ? "the same text at every place" : i === f.r ? "the representative · others from " +
       f.sim.toFixed(2) : "similarity " + f.o[i][2].toFixed(2) + " to the representative", head);
    var close = button("close", "×", head);
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", function () { hideCard(true); });
    var ol = el("ol", "places", null, card);
    var next = (i + 1) % f.o.length;
    f.o.slice(0, MAX_PLACES).forEach(function (o, k) {
      var li = el("li", k === i ? "this" : k === next ? "next" : "", null, ol);
      if (o[0] >= 0) link("#f" + f.n + "-" + k, "", o[4] + ":" + o[1], li);
      else el("span", "", o[4] + ":" + o[1] + provenance(o), li);
      if (k === i) el("span", "what", " this one", li);
      else if (o[0] >= 0 && !inCompare) {
        var s = link("#cmp-" + f.n + "-" + i + "-" + k, "sbs-link", "side by side", li);
        s.setAttribute("aria-label", "side by side with " + o[4] + ":" + o[1]);
      }
    });
    if (f.o.length > MAX_PLACES) link("#f" + f.n, "more-places", "+" + (f.o.length - MAX_PLACES) + " more places", card);
    f.d.slice(0, 3).forEach(function (d) { diffLine(card, d); });
    triageButtons(card, f);
    var info = DOCS[f.o[i][0]];
    var comment = (DATA.ignore[info && info.fmt] || DATA.ignore.markdown);
    var sup = el("div", "suppress", null, card);
    el("span", "", "To allow it in the text, put ", sup);
    var code = el("code", "", comment, sup);
    el("span", "", " on the line before the paragraph" + (f.o.length > 2 ? " at all places but one" : "") + " ", sup);
    var copy = button("copy", "Copy", sup);
    copy.addEventListener("click", function () {
      var done = function () { copy.textContent = "Copied"; };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(comment).then(done, function () { select(code); });
      else select(code);
    });
    /* Turnitin's "one source": the matches this article shares with the next other article of the finding */
    var other = -1;
    for (var step = 1; step < f.o.length && other < 0; step++) {
      var o2 = f.o[(i + step) % f.o.length];
      if (o2[0] >= 0 && o2[0] !== f.o[i][0]) other = o2[0];
    }
    if (other >= 0 && !inCompare) {
      var only = button("only", "Only matches shared with " + docName(other), card);
      only.addEventListener("click", function () { hideCard(); setWith(other); });
    }
    el("p", "hint", "Enter: into this card · j/k: next/previous highlight · Esc: close", card);
    cardFor = span;
    card.hidden = false;
    card.classList.toggle("pinned", !!pinned);
    span.setAttribute("aria-describedby", "card");
    place();
    if (pinned && !keepFocus) close.focus();
  }
  function select(node) {
    var r = doc.createRange();
    r.selectNodeContents(node);
    var s = getSelection();
    s.removeAllRanges();
    s.addRange(r);
  }
  function hideCard(refocus) {
    var was = cardFor;
    if (cardFor) cardFor.removeAttribute("aria-describedby");
    cardFor = null;
    card.hidden = true;
    if (refocus && was && doc.contains(was)) { quiet = true; was.focus({ preventScroll: true }); quiet = false; }
  }
  function place() {
    if (!cardFor) return;
    var rects = cardFor.getClientRects();
    if (!rects.length) { hideCard(); return; }
    var first = rects[0], last = rects[rects.length - 1];
    var vw = doc.documentElement.clientWidth, vh = doc.documentElement.clientHeight;
    var top = topHeight();
    if (last.bottom < top || first.top > vh) { hideCard(); return; } /* scrolled away */
    if (vw < 600) { card.style.left = ""; card.style.top = ""; return; } /* a sheet at the bottom (CSS) */
    card.style.left = "0px";
    card.style.top = "0px";
    var w = card.offsetWidth, h = card.offsetHeight;
    var left = Math.max(8, Math.min(last.left, vw - w - 8));
    var y = last.bottom + 8;
    if (y + h > vh - 8 && first.top - h - 8 > top) y = first.top - h - 8;
    card.style.left = left + "px";
    card.style.top = Math.max(top + 4, Math.min(y, vh - h - 8)) + "px";
  }
  function topHeight() {
    var bar = doc.querySelector(".top");
    return bar ? bar.getBoundingClientRect().bottom : 0;
  }

  function highlightOf(node) {
    return node && node.closest ? node.closest(".hl") : null;
  }
  doc.addEventListener("focusin", function (e) {
    if (card.contains(e.target) || quiet) return;
    var span = e.target.classList && e.target.classList.contains("hl") ? e.target : null;
    if (span && !span.classList.contains("off")) showCard(span, false);
    else if (cardFor && !card.classList.contains("pinned")) hideCard();
  });
  doc.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[href^='#']") : null;
    if (a) {
      if (a.getAttribute("href") === location.hash) { e.preventDefault(); route(); }
      return;
    }
    if (card.contains(e.target)) return;
    var span = highlightOf(e.target);
    if (span && !span.classList.contains("off")) {
      var first = span.id ? span : doc.getElementById("f" + span.getAttribute("data-f") + "-" + span.getAttribute("data-o")) || span;
      if (first.closest(".v-compare")) first = span;
      showCard(first, true);
    } else if (cardFor) hideCard();
  });
  window.addEventListener("hashchange", route);
  window.addEventListener("scroll", place, { passive: true });
  window.addEventListener("resize", place);

  /* ---------- keys ---------- */
  function step(dir) {
    var spans = Array.prototype.slice.call(app.querySelectorAll(".article-text .hl[id]:not(.off)"));
    if (!spans.length) return;
    var at = spans.indexOf(cardFor || doc.activeElement);
    if (at < 0) {
      var y = topHeight() + 10;
      at = dir > 0 ? -1 : spans.length;
      for (var i = 0; i < spans.length; i++) {
        if (spans[i].getBoundingClientRect().top > y) { at = dir > 0 ? i - 1 : i; break; }
      }
    }
    var next = spans[(at + dir + spans.length) % spans.length];
    focusHighlight(next);
  }
  function stepArticle(dir) {
    if (!order.length) articleRows().forEach(function (r) { order.push(r.doc); });
    if (!order.length) return;
    var at = current.doc === null ? -1 : order.indexOf(current.doc);
    var next = at < 0 ? (dir > 0 ? 0 : order.length - 1) : at + dir;
    if (next < 0 || next >= order.length) return;
    go("a" + order[next]);
  }
  doc.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((e.target && e.target.tagName) || "");
    if (e.key === "Escape") {
      if (!card.hidden) { hideCard(true); return; }
      if (typing) { e.target.blur(); return; }
      if (current.view === "compare") go(current.back);
      return;
    }
    if (typing) return;
    if (e.key === "Enter" && e.target.classList && e.target.classList.contains("hl")) {
      e.preventDefault();
      showCard(e.target, true);
      return;
    }
    if (card.contains(e.target)) return;
    if (e.key === "j" || e.key === "k") {
      if (current.view === "article") { e.preventDefault(); step(e.key === "j" ? 1 : -1); }
    } else if (e.key === "n" || e.key === "p") {
      e.preventDefault();
      stepArticle(e.key === "n" ? 1 : -1);
    } else if (e.key === "/") {
      e.preventDefault();
      if (current.view !== "articles") renderArticles(false);
      doc.getElementById("path-filter").focus();
    }
  });

  /* print: the open view with its folded parts opened */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    hideCard();
    opened = Array.prototype.filter.call(doc.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  route();
})();
