// On narrow screens tansiq.css shows the rows of a table marked "stack" as cards, each cell
// under the name of its column (its data-label). This script marks the tables whose templates
// left them plain, copying each column's header into the cells; without it (or for tables
// marked data-no-stack, and side-by-side comparisons) tables scroll sideways inside themselves.
(function () {
  "use strict";
  function headerLabels(row) {
    var labels = [];
    Array.prototype.forEach.call(row.cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i++) labels.push(cell.textContent.trim());
    });
    return labels;
  }
  function stack(table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head || table.classList.contains("stack") || table.classList.contains("compare") ||
        table.hasAttribute("data-no-stack")) return;
    var labels = headerLabels(head);
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (labels[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("stack");
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("main table").forEach(stack);
  });
})();
