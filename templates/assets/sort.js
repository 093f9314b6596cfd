// Sortable tables, as a progressive enhancement: without JavaScript a table keeps the order
// Baton wrote it in. A header cell becomes a button; pressing it sorts by that column,
// numerically where the cells are numbers ("42% (21/50)" sorts by 42), again to reverse.
(function () {
  "use strict";
  function key(cell) {
    var t = (cell.getAttribute("data-sort") || cell.textContent || "").trim();
    var m = t.replace(/[,\u2212]/g, function (c) { return c === "," ? "" : "-"; }).match(/^[-+$€£]?\s*(-?\d+(\.\d+)?)/);
    return m ? { n: parseFloat(m[1]), t: t } : { n: null, t: t.toLowerCase() };
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = key(a.cells[col] || a), y = key(b.cells[col] || b), r;
      if (x.n !== null && y.n !== null) { r = x.n - y.n; } else { r = x.t < y.t ? -1 : x.t > y.t ? 1 : 0; }
      return asc ? r : -r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tBodies[0]) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sort-button";
      b.textContent = th.textContent;
      b.addEventListener("click", function () { sortBy(table, col, th); });
      th.textContent = "";
      th.appendChild(b);
    });
  });
})();
