/* hypelint HTML review report: filters, the finding detail panel and "copy suppression comment".
   Every highlight and row is rendered by hypelint; this script never builds HTML from strings:
   it toggles classes and fills the panel with textContent from the JSON data block. Nothing
   runs per finding at load, so a report with thousands of findings opens at once. */
(function () {
  "use strict";

  var body = document.body;
  var data = null;
  // Facet filters, as in a shop's sidebar: nothing selected shows everything; selecting severities
  // or categories shows only those.
  var selectedSeverities = {};
  var selectedCategories = {};
  var current = -1;          // the finding the panel's Previous/Next buttons step from
  var selectedElements = [];
  var toastTimer = 0;

  function getData() {
    if (data === null) {
      data = JSON.parse(document.getElementById("hypelint-data").textContent);
    }
    return data;
  }

  function any(selection) {
    return Object.keys(selection).length > 0;
  }

  function isShown(finding) {
    return (!any(selectedSeverities) || selectedSeverities[finding.severity] === true) &&
      (!any(selectedCategories) || selectedCategories[finding.category] === true);
  }

  function anyFilter() {
    return any(selectedSeverities) || any(selectedCategories);
  }

  /* The CSS hides highlights and rows by classes on <body>: one class per hidden severity or
     category, whatever the number of findings. */
  function syncBodyClasses() {
    var d = getData();
    d.severities.forEach(function (severity) {
      body.classList.toggle("hide-sev-" + severity, any(selectedSeverities) && !selectedSeverities[severity]);
    });
    d.categories.forEach(function (category, index) {
      body.classList.toggle("hide-cat-" + index, any(selectedCategories) && !selectedCategories[index]);
    });
  }

  /* -- filters ------------------------------------------------------------------------------ */

  function applyFilters() {
    var d = getData();
    syncBodyClasses();
    var perFile = d.files.map(function () { return { error: 0, warning: 0, info: 0 }; });
    var shown = 0;
    d.findings.forEach(function (finding) {
      if (isShown(finding)) {
        perFile[finding.file][finding.severity] += 1;
        shown += 1;
      }
    });
    var filtering = anyFilter();
    body.classList.toggle("filtering", filtering);
    fileRows().forEach(function (row) {
      var counts = perFile[row.file];
      var total = counts.error + counts.warning + counts.info;
      d.severities.forEach(function (severity) { setText(row.cells[severity], counts[severity]); });
      setText(row.cells.total, total);
      setClass(row.element, "filtered-out", filtering && total === 0);
    });
    fileSections().forEach(function (section) {
      var counts = perFile[section.file];
      setClass(section.element, "filtered-out", counts.error + counts.warning + counts.info === 0);
    });
    updateSummary(d, perFile);
    var total = d.findings.length;
    document.getElementById("shown").textContent = filtering
      ? "Showing " + formatNumber(shown) + " of " + formatNumber(total) + " findings"
      : formatNumber(total) + (total === 1 ? " finding" : " findings");
    var summary = document.getElementById("category-summary");
    if (summary) {
      var chosen = Object.keys(selectedCategories).length;
      summary.textContent = chosen ? "(" + chosen + " of " + d.categories.length + ")" : "(all)";
    }
    document.getElementById("clear-filters").hidden = !filtering;
    if (current >= 0 && !isShown(d.findings[current])) {
      clearSelection();
    }
  }

  /* The summary cards and the chart count the findings the filters show. */
  function updateSummary(d, perFile) {
    var counts = { error: 0, warning: 0, info: 0, document: 0 };
    var byCategory = {};
    d.findings.forEach(function (finding) {
      if (!isShown(finding)) { return; }
      counts[finding.severity] += 1;
      if (finding.document_level) { counts.document += 1; }
      var row = byCategory[finding.category] || (byCategory[finding.category] = { error: 0, warning: 0, info: 0 });
      row[finding.severity] += 1;
    });
    counts.flagged = perFile.filter(function (c) { return c.error + c.warning + c.info > 0; }).length;
    document.querySelectorAll(".card[data-card]").forEach(function (card) {
      card.querySelector(".card-value").textContent = formatNumber(counts[card.getAttribute("data-card")] || 0);
    });
    var svg = document.querySelector(".chart-svg");
    if (!svg) { return; }
    var barX = parseFloat(svg.getAttribute("data-bar-x"));
    var barWidth = parseFloat(svg.getAttribute("data-bar-width"));
    var largest = 0;
    Object.keys(byCategory).forEach(function (key) {
      var row = byCategory[key];
      largest = Math.max(largest, row.error + row.warning + row.info);
    });
    svg.querySelectorAll(".chart-row").forEach(function (group) {
      var row = byCategory[group.getAttribute("data-category")] || { error: 0, warning: 0, info: 0 };
      var x = barX;
      group.querySelectorAll(".chart-bar").forEach(function (bar) {
        var count = row[bar.getAttribute("data-severity")];
        var width = largest ? barWidth * count / largest : 0;
        bar.setAttribute("x", x.toFixed(1));
        bar.setAttribute("width", width.toFixed(1));
        x += width;
      });
      var label = group.querySelector(".chart-count");
      label.textContent = formatNumber(row.error + row.warning + row.info);
      label.setAttribute("x", (x + 6).toFixed(1));
      group.classList.toggle("filtered-out", row.error + row.warning + row.info === 0);
    });
  }

  /* The files table and the file sections, looked up once, on the first filter change. */
  var rowsCache = null;
  var sectionsCache = null;

  function fileRows() {
    if (rowsCache === null) {
      rowsCache = Array.prototype.map.call(document.querySelectorAll(".files-table tbody tr"), function (row) {
        var cells = { total: row.querySelector(".count-total") };
        getData().severities.forEach(function (severity) { cells[severity] = row.querySelector(".count-" + severity); });
        return { element: row, file: Number(row.getAttribute("data-file")), cells: cells };
      });
    }
    return rowsCache;
  }

  function fileSections() {
    if (sectionsCache === null) {
      sectionsCache = Array.prototype.map.call(document.querySelectorAll("section.file"), function (section) {
        return { element: section, file: Number(section.getAttribute("data-file")) };
      });
    }
    return sectionsCache;
  }

  /* Writes only what changed: a filter click on a 500-file report touches few nodes. */
  function setText(node, count) {
    var text = formatNumber(count);
    if (node.textContent !== text) {
      node.textContent = text;
      node.classList.toggle("zero", count === 0);
    }
  }

  function setClass(node, name, on) {
    if (node.classList.contains(name) !== on) { node.classList.toggle(name, on); }
  }

  function formatNumber(count) {
    return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ",");  // 12,500 as the report prints it
  }

  function setSeverity(button, chosen) {
    var severity = button.getAttribute("data-severity");
    button.setAttribute("aria-pressed", chosen ? "true" : "false");
    if (chosen) { selectedSeverities[severity] = true; } else { delete selectedSeverities[severity]; }
  }

  function setCategory(checkbox, chosen) {
    var category = Number(checkbox.getAttribute("data-category"));
    checkbox.checked = chosen;
    if (chosen) { selectedCategories[category] = true; } else { delete selectedCategories[category]; }
  }

  function clearFilters() {
    document.querySelectorAll(".toggle[data-severity]").forEach(function (button) { setSeverity(button, false); });
    document.querySelectorAll("input[data-category]").forEach(function (box) { setCategory(box, false); });
    applyFilters();
  }

  /* -- the detail panel --------------------------------------------------------------------- */

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function safeHref(url) {
    return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
  }

  function locationOf(finding, d) {
    var path = d.files[finding.file].path;
    return finding.document_level ? path + " (whole file)" : path + ":" + finding.line + ":" + finding.column;
  }

  function detailCard(index) {
    var d = getData();
    var finding = d.findings[index];
    var rule = d.rules[finding.code] || { name: "", rationale: "", description: "", suggestions: [], references: [] };
    var category = d.categories[finding.category] || { name: "", description: "" };
    var card = element("article", "detail");
    card.setAttribute("data-f", String(index));

    var head = element("div", "detail-head");
    head.appendChild(element("span", "badge badge-" + finding.severity, finding.severity));
    head.appendChild(element("span", "detail-code", finding.code));
    head.appendChild(element("span", "detail-name", rule.name));
    card.appendChild(head);
    var categoryLine = element("div", "detail-category");
    categoryLine.appendChild(element("code", null, category.name));
    if (category.description) { categoryLine.appendChild(document.createTextNode(" · " + category.description)); }
    card.appendChild(categoryLine);
    card.appendChild(element("div", "detail-where", locationOf(finding, d)));

    if (finding.matched) {
      card.appendChild(element("blockquote", "detail-quote quote-" + finding.severity, finding.matched));
    }
    card.appendChild(element("p", "detail-message", finding.message));

    if (rule.rationale) {
      card.appendChild(element("h3", null, "Why it is risky"));
      card.appendChild(element("p", null, rule.rationale));
    }
    var advice = finding.suggestions || rule.suggestions;  // fitted to this match when given
    if (advice && advice.length) {
      card.appendChild(element("h3", null, "What to write instead"));
      var suggestions = element("ul");
      advice.forEach(function (text) { suggestions.appendChild(element("li", null, text)); });
      card.appendChild(suggestions);
    }
    if (rule.references && rule.references.length) {
      card.appendChild(element("h3", null, "References"));
      var references = element("ul");
      rule.references.forEach(function (reference) {
        var item = element("li");
        var href = safeHref(reference.url);
        if (href) {
          var link = element("a", null, reference.title || href);
          link.href = href;
          link.target = "_blank";
          link.rel = "noopener noreferrer";
          item.appendChild(link);
        } else {
          item.textContent = reference.title || "";
        }
        references.appendChild(item);
      });
      card.appendChild(references);
    }

    card.appendChild(element("h3", null, "Suppress"));
    var suppression = element("div", "suppression");
    if (finding.suppression) {
      suppression.appendChild(element("code", null, finding.suppression));
      var button = element("button", "copy", "Copy suppression comment");
      button.type = "button";
      button.setAttribute("data-copy", String(index));
      suppression.appendChild(button);
      suppression.appendChild(element("span", "hint", "Put it on its own line just above line " + finding.line +
        ". Add a reason after \u201c--\u201d if your configuration requires one."));
    } else {
      suppression.appendChild(element("span", "hint", "This format has no comments: suppress the finding in the configuration."));
    }
    card.appendChild(suppression);
    return card;
  }

  function clearSelection() {
    selectedElements.forEach(function (node) { node.classList.remove("selected"); });
    selectedElements = [];
    current = -1;
    body.classList.add("no-selection");
    document.getElementById("panel-body").hidden = true;
    document.getElementById("panel-nav").hidden = true;
    document.getElementById("panel-empty").hidden = false;
  }

  function select(indexes, scroll) {
    var d = getData();
    indexes = indexes.filter(function (index) { return d.findings[index] && isShown(d.findings[index]); });
    if (!indexes.length) { return; }
    selectedElements.forEach(function (node) { node.classList.remove("selected"); });
    selectedElements = [];
    var panelBody = document.getElementById("panel-body");
    panelBody.textContent = "";
    indexes.forEach(function (index) {
      panelBody.appendChild(detailCard(index));
      var section = document.getElementById(d.files[d.findings[index].file].anchor);
      if (section) {
        section.querySelectorAll('[data-f="' + index + '"]').forEach(function (node) {
          if (node.matches("mark, tr, li")) {
            node.classList.add("selected");
            selectedElements.push(node);
          }
        });
      }
    });
    current = indexes[0];
    body.classList.remove("no-selection");
    document.getElementById("panel-empty").hidden = true;
    panelBody.hidden = false;
    document.getElementById("panel-nav").hidden = false;
    var shown = d.findings.filter(isShown);
    var position = shown.indexOf(d.findings[current]) + 1;
    document.getElementById("panel-position").textContent = formatNumber(position) + " of " + formatNumber(shown.length);
    document.getElementById("panel").scrollTop = 0;
    if (scroll) {
      var target = document.getElementById("f" + current);
      if (target) { target.scrollIntoView({ block: "center" }); }
    }
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#f" + current);
    }
  }

  function step(direction) {
    var d = getData();
    var count = d.findings.length;
    var index = current;
    for (var tries = 0; tries < count; tries += 1) {
      index = index < 0 ? (direction > 0 ? 0 : count - 1) : (index + direction + count) % count;
      if (isShown(d.findings[index])) {
        select([index], true);
        return;
      }
    }
  }

  /* Every shown highlight that encloses the clicked spot: overlapping findings are all listed. */
  function findingsAt(mark) {
    var indexes = [];
    for (var node = mark; node && node.nodeName === "MARK"; node = node.parentElement) {
      var index = Number(node.getAttribute("data-f"));
      if (indexes.indexOf(index) < 0 && isShown(getData().findings[index])) { indexes.push(index); }
    }
    return indexes;
  }

  /* -- copy suppression comment ------------------------------------------------------------- */

  function toast(message) {
    var node = document.getElementById("toast");
    node.textContent = message;
    node.classList.add("visible");
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () { node.classList.remove("visible"); }, 2200);
  }

  function legacyCopy(text) {
    var area = element("textarea", "offscreen");
    area.value = text;
    area.setAttribute("readonly", "");
    body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    body.removeChild(area);
    return copied;
  }

  function copySuppression(index) {
    var text = getData().findings[index].suppression;
    if (!text) { return; }
    var done = function () { toast("Copied: " + text); };
    var failed = function () {
      if (legacyCopy(text)) { done(); } else { toast("Copy this line: " + text); }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  /* -- events (delegated: no listener per finding) ------------------------------------------ */

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var toggle = target.closest(".toggle[data-severity]");
    if (toggle) {
      setSeverity(toggle, toggle.getAttribute("aria-pressed") !== "true");
      applyFilters();
      return;
    }
    if (target.closest("#clear-filters")) {
      clearFilters();
      return;
    }
    var copy = target.closest("button.copy[data-copy]");
    if (copy) {
      event.stopPropagation();
      copySuppression(Number(copy.getAttribute("data-copy")));
      return;
    }
    var navigation = target.closest(".panel-nav [data-step]");
    if (navigation) {
      step(Number(navigation.getAttribute("data-step")));
      return;
    }
    var mark = target.closest("mark.hl");
    if (mark) {
      select(findingsAt(mark), false);
      return;
    }
    var row = target.closest("tr.finding, li.finding");
    if (row) {
      event.preventDefault();
      select([Number(row.getAttribute("data-f"))], row.nodeName === "TR");
      return;
    }
    var menu = document.getElementById("category-menu");
    if (menu && menu.open && !target.closest("#category-menu")) { menu.open = false; }
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box instanceof Element && box.matches("input[data-category]")) {
      setCategory(box, box.checked);
      applyFilters();
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (target instanceof Element && target.matches("mark.hl") && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(findingsAt(target), false);
      return;
    }
    if (target instanceof Element && target.matches("input, textarea, select")) { return; }
    if (event.key === "j") { step(1); }
    else if (event.key === "k") { step(-1); }
    else if (event.key === "Escape") {
      var menu = document.getElementById("category-menu");
      if (menu && menu.open) { menu.open = false; } else { clearSelection(); }
    }
  });

  var linked = /^#f(\d+)$/.exec(window.location.hash);
  if (linked) {
    select([Number(linked[1])], true);
  } else if (window.requestIdleCallback) {
    window.requestIdleCallback(getData);  // parse the data while the reader reads, not on the first click
  }
}());
