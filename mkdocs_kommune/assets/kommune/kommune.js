/* mkdocs-kommune: filter and sort for long coverage tables, and the sideways-scroll cue.
   Progressive enhancement: the table is complete without this script; every control is made
   here, from the words the plugin wrote into data-kommune-* attributes (en, nb, nn).
   Runs on each page Material's instant navigation brings (document$), else once the page is
   parsed; each table is set up once, however often it runs. No dependency, no build step. */
(function () {
  "use strict";
  if (window.kommuneTables) return; // the script was included twice
  window.kommuneTables = { enhance: enhanceAll, fold: fold, nameKey: nameKey };

  var ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå";
  var LETTERS = { "æ": "ae", "ø": "o", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss" };
  var idCount = 0;

  /* Text for matching: lower case, accents off, æ → ae, ø → o, å → a, and old "aa" as å,
     so "tromso" finds Tromsø, "baerum" Bærum and "aalesund" Ålesund. */
  function fold(text) {
    return text.toLowerCase().replace(/[æøđŋŧß]/g, function (c) { return LETTERS[c]; })
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/aa/g, "a");
  }

  /* Norwegian alphabetical order, as the plugin's sort="name": … z, æ, ø, å; other accented
     letters with their base letter; accents only break ties. Same rule as model.py. */
  function nameKey(text) {
    var folded = text.toLowerCase();
    var primary = "";
    for (var i = 0; i < folded.length; i++) {
      var c = folded[i];
      var rank = ALPHABET.indexOf("æøå".indexOf(c) >= 0 ? c : c.normalize("NFD")[0]);
      primary += String.fromCharCode(65 + rank); // not a letter: 64, before "a"
    }
    return [primary, folded];
  }

  function compareKeys(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return 0;
  }

  function enhanceAll(root) {
    var wrappers = (root || document).querySelectorAll(".kommune-table-wrapper");
    for (var i = 0; i < wrappers.length; i++) {
      var wrapper = wrappers[i];
      if (wrapper.hasAttribute("data-kommune-ready")) continue;
      wrapper.setAttribute("data-kommune-ready", "");
      watchScroll(wrapper);
      if (wrapper.hasAttribute("data-kommune-interactive")) enhance(wrapper);
    }
  }

  /* Classes for the CSS shadows: kommune-scrolled when the first column covers something. */
  function watchScroll(wrapper) {
    var update = function () {
      wrapper.classList.toggle("kommune-scrolled", wrapper.scrollLeft > 1);
    };
    wrapper.addEventListener("scroll", update, { passive: true });
    update();
  }

  function enhance(wrapper) {
    var table = wrapper.querySelector("table");
    var body = table && table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.map.call(body.rows, function (tr, index) {
      var name = tr.cells[0] ? tr.cells[0].textContent.trim() : "";
      return {
        tr: tr,
        index: index,
        name: nameKey(name),
        text: fold([name, tr.getAttribute("data-kommunenummer") || "",
                    tr.getAttribute("data-county") || ""].join(" ")),
      };
    });
    var id; // not one the page has already (a heading "Kommune filter 1" is kommune-filter-1)
    do id = "kommune-filter-" + (++idCount);
    while (document.getElementById(id) || document.getElementById(id + "-count"));
    var controls = element("div", { class: "kommune-table-controls" });
    var label = element("label", { for: id }, wrapper.getAttribute("data-kommune-filter"));
    var hint = wrapper.getAttribute("data-kommune-filter-hint") || "";
    var input = element("input", {
      type: "search", id: id, placeholder: hint, autocomplete: "off", spellcheck: "false",
    });
    var count = element("p", { class: "kommune-table-count", "aria-live": "polite" });
    input.setAttribute("aria-describedby", id + "-count");
    count.id = id + "-count";
    controls.appendChild(label);
    controls.appendChild(input);
    controls.appendChild(count);
    wrapper.parentNode.insertBefore(controls, wrapper);
    var caption = table.caption;
    if (caption && caption.textContent.trim()) {
      // Seen first, then the box: the caption says what the box filters. The table keeps its
      // caption (hidden from sight only), so screen readers still hear the table's name.
      var title = element("p", { class: "kommune-table-title", "aria-hidden": "true" },
                          caption.textContent.trim().replace(/\s+/g, " "));
      wrapper.parentNode.insertBefore(title, controls);
      caption.classList.add("kommune-sr-only");
    }

    var shownText = wrapper.getAttribute("data-kommune-shown") || "{shown} / {total}";
    var showCount = function (shown) {
      count.textContent = shownText.replace("{shown}", shown).replace("{total}", rows.length);
    };
    input.addEventListener("input", function () {
      var wanted = fold(input.value.trim());
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var match = !wanted || rows[i].text.indexOf(wanted) >= 0;
        if (rows[i].tr.hidden === match) rows[i].tr.hidden = !match;
        if (match) shown++;
      }
      showCount(shown);
    });
    showCount(rows.length);
    sortButtons(table, body, rows);
  }

  function sortButtons(table, body, rows) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, column) {
      var kind = th.getAttribute("data-kommune-sort");
      if (!kind) return;
      var button = element("button", { type: "button", class: "kommune-sort" });
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var current = th.getAttribute("aria-sort");
        // Names A to Å first, counts most first; a second press turns the order round.
        var first = kind === "number" ? "descending" : "ascending";
        var order = current === first ? (first === "ascending" ? "descending" : "ascending") : first;
        Array.prototype.forEach.call(headers, function (other) {
          other.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", order);
        sortRows(body, rows, kind, column, order === "descending" ? -1 : 1);
      });
    });
  }

  function sortRows(body, rows, kind, column, direction) {
    var value = function (row) {
      var cell = row.tr.cells[column];
      return Number(cell && cell.getAttribute("data-kommune-value")) || 0;
    };
    // A cell nobody checked has no figure to compare: after "nothing found", in either direction.
    var unknown = function (row) {
      var cell = row.tr.cells[column];
      return cell && cell.getAttribute("data-state") === "unchecked" ? 1 : 0;
    };
    var sorted = rows.slice().sort(function (a, b) {
      if (kind === "number" && unknown(a) !== unknown(b)) return unknown(a) - unknown(b);
      var order = kind === "number" ? value(a) - value(b) : compareKeys(a.name, b.name);
      // Ties keep name order in either direction, then the table's own order.
      return direction * order || compareKeys(a.name, b.name) || a.index - b.index;
    });
    var fragment = document.createDocumentFragment();
    sorted.forEach(function (row) { fragment.appendChild(row.tr); });
    body.appendChild(fragment);
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function start() {
    var documents = window.document$;
    if (documents && typeof documents.subscribe === "function") {
      documents.subscribe(function () { enhanceAll(document); }); // Material, instant or not
    } else {
      enhanceAll(document);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
