/* dedupe report: hover/focus cards, jumping between occurrences, file filter, keys.
   The page works without this script: highlights are links to the next occurrence,
   kind filters are CSS. Nothing here builds markup from strings: text goes in with
   textContent and the diff is a copy of nodes already in the page. */
(function () {
  "use strict";
  var doc = document;
  var card = doc.getElementById("card");
  var index = doc.getElementById("index");
  var current = null; /* the highlight the card describes */
  var currentEntry = null;
  doc.documentElement.classList.add("js");
  var help = doc.getElementById("keys-help");
  if (help) help.hidden = false;

  /* native tooltips stay for readers without script; with it, the card replaces them */
  Array.prototype.forEach.call(doc.querySelectorAll("a.hl[title]"), function (a) {
    a.setAttribute("data-t", a.getAttribute("title"));
    a.removeAttribute("title");
  });

  function entryOf(el) {
    var f = el && el.getAttribute("data-f");
    return f ? doc.getElementById(f) : null;
  }

  function occurrenceIndex(el, links) {
    /* a highlight links to the occurrence after it, so its own place is one before */
    var href = el.getAttribute("href");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("href") === href) return (i - 1 + links.length) % links.length;
    }
    return -1;
  }

  function add(parent, tag, cls, text) {
    var node = doc.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    parent.appendChild(node);
    return node;
  }

  function fill(el) {
    var entry = entryOf(el);
    if (!entry) return false;
    card.textContent = "";
    var head = add(card, "div", "head");
    var num = add(head, "span", "num", entry.getAttribute("data-n"));
    num.classList.add(entry.getAttribute("data-c"));
    add(head, "span", "k-tag k-" + entry.getAttribute("data-kind"), entry.getAttribute("data-label"));
    add(head, "span", "", "similarity " + entry.getAttribute("data-sim"));
    var links = entry.querySelectorAll(".occs a");
    var me = occurrenceIndex(el, links);
    var list = add(card, "ol");
    for (var i = 0; i < links.length; i++) {
      var li = add(list, "li", "", links[i].textContent);
      if (i === me) li.className = "this";
      else if (i === (me + 1) % links.length) li.className = "next";
    }
    Array.prototype.forEach.call(entry.querySelectorAll(".diff"), function (d) {
      card.appendChild(d.cloneNode(true));
    });
    add(card, "p", "hint", "Click or Enter: next occurrence · j/k: next/previous highlight · Esc: close");
    return true;
  }

  function place(el) {
    var rects = el.getClientRects();
    var r = rects.length ? rects[rects.length - 1] : el.getBoundingClientRect();
    card.style.left = "0px";
    card.style.top = "0px";
    var w = card.offsetWidth, h = card.offsetHeight;
    var vw = doc.documentElement.clientWidth, vh = doc.documentElement.clientHeight;
    var left = Math.max(8, Math.min(r.left, vw - w - 8));
    var top = r.bottom + 8;
    if (top + h > vh - 8 && r.top - h - 8 > 8) top = (rects.length ? rects[0] : r).top - h - 8;
    card.style.left = left + "px";
    card.style.top = Math.max(8, top) + "px";
  }

  function show(el) {
    if (!fill(el)) return;
    current = el;
    card.hidden = false;
    place(el);
    el.setAttribute("aria-describedby", "card");
  }

  function hide() {
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    card.hidden = true;
  }

  function highlightOf(node) {
    return node && node.closest ? node.closest("a.hl, a.hl-anchor") : null;
  }

  function openAncestors(el) {
    for (var p = el.parentElement; p; p = p.parentElement) {
      if (p.tagName === "DETAILS" && !p.open) p.open = true;
    }
  }

  function markEntry(el) {
    var entry = entryOf(el);
    if (!entry && el.id) {
      var m = /^(f\d+)-/.exec(el.id);
      entry = m ? doc.getElementById(m[1]) : null;
    }
    if (currentEntry) currentEntry.classList.remove("current");
    currentEntry = entry;
    if (!entry) return;
    entry.classList.add("current");
    openAncestors(entry);
    /* keep the entry in view inside the index column without moving the page */
    if (index && index.scrollHeight > index.clientHeight) {
      var top = entry.offsetTop - index.clientHeight / 3;
      if (entry.offsetTop < index.scrollTop + 80 || entry.offsetTop > index.scrollTop + index.clientHeight - 80) {
        index.scrollTop = Math.max(0, top);
      }
    }
  }

  function go(id) {
    var target = id && doc.getElementById(id);
    if (!target) return;
    openAncestors(target);
    if (index && index.contains(target)) {
      target.scrollIntoView({ block: "nearest" });
      return;
    }
    target.scrollIntoView({ block: "center" });
    if (target.matches("a.hl, a.hl-anchor, th")) {
      target.focus({ preventScroll: true });
      markEntry(target);
      target.classList.remove("flash");
      void target.offsetWidth;
      target.classList.add("flash");
    }
  }

  function hashId() {
    try {
      return decodeURIComponent(location.hash.slice(1));
    } catch (e) {
      return "";
    }
  }

  doc.addEventListener("mouseover", function (e) {
    var el = highlightOf(e.target);
    if (el && el !== current && el.classList.contains("hl")) show(el);
  });
  doc.addEventListener("mouseout", function (e) {
    var el = highlightOf(e.target);
    if (el && el === current && !el.contains(e.relatedTarget) && doc.activeElement !== el) hide();
  });
  doc.addEventListener("focusin", function (e) {
    var el = highlightOf(e.target);
    if (el && el.classList.contains("hl")) show(el);
    else hide();
  });
  doc.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[href^='#']") : null;
    if (!a) return;
    /* the same hash again fires no hashchange: go there anyway */
    if (a.getAttribute("href") === location.hash) {
      e.preventDefault();
      go(hashId());
    }
  });
  window.addEventListener("hashchange", function () { go(hashId()); });
  window.addEventListener("scroll", function () { if (current) place(current); }, { passive: true });
  window.addEventListener("resize", function () { if (current) place(current); });

  var all = null;
  function shownKind(a) {
    var m = /\bk-(\w+)/.exec(a.className);
    var box = m && doc.getElementById("show-" + m[1]);
    return !box || box.checked;
  }
  function step(dir) {
    all = all || Array.prototype.slice.call(doc.querySelectorAll("main a.hl[id]"));
    var highlights = all.filter(shownKind);
    if (!highlights.length) return;
    var at = highlights.indexOf(doc.activeElement);
    if (at < 0) {
      /* start from what is on screen */
      var y = window.innerHeight / 3;
      at = dir > 0 ? -1 : highlights.length;
      for (var i = 0; i < highlights.length; i++) {
        if (highlights[i].getBoundingClientRect().top > y) { at = dir > 0 ? i - 1 : i; break; }
      }
    }
    var next = highlights[(at + dir + highlights.length) % highlights.length];
    openAncestors(next);
    next.scrollIntoView({ block: "center" });
    next.focus({ preventScroll: true });
    markEntry(next);
  }

  var filter = doc.getElementById("file-filter");
  var filterBox = doc.getElementById("file-filter-box");
  var status = doc.getElementById("filter-status");
  if (filter && filterBox) {
    filterBox.hidden = false;
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      var shown = 0, all = 0;
      Array.prototype.forEach.call(doc.querySelectorAll(".ix"), function (li) {
        var hit = !q || (li.getAttribute("data-files") || "").toLowerCase().indexOf(q) !== -1;
        li.classList.toggle("gone", !hit);
        all++;
        if (hit) shown++;
      });
      status.textContent = q ? shown + " of " + all + " findings involve “" + filter.value.trim() + "”" : "";
    });
  }

  doc.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((e.target && e.target.tagName) || "");
    if (e.key === "Escape") {
      hide();
      if (typing && filter && e.target === filter) filter.blur();
      return;
    }
    if (typing) return;
    if (e.key === "j") { e.preventDefault(); step(1); }
    else if (e.key === "k") { e.preventDefault(); step(-1); }
    else if (e.key === "/" && filter) { e.preventDefault(); filter.focus(); }
  });

  /* print everything, folded parts included */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    hide();
    opened = Array.prototype.filter.call(doc.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  if (location.hash) go(hashId());
})();
