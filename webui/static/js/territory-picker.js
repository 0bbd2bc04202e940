// The territory picker of the account forms (admin/_territory_picker.html), enhanced.
//
// Without this script the picker is a grouped list of regions and provinces plus a commune
// search that reloads the page. With it, the same fieldset becomes an ARIA combobox: typing a
// name lists matching regions, provinces and communes (grouped) from data-source; Enter or a
// click adds the unit as a chip; a chip's button (or Backspace in the empty box) removes it.
// Each chip carries a hidden input named like the field, so the form posts the same codes.
// Every element is built with DOM properties: no text ever goes through innerHTML.
(function () {
  "use strict";

  var DELAY_MS = 150;

  function element(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "text") node.textContent = props[key];
      else if (key === "className") node.className = props[key];
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function attach(root) {
    var name = root.getAttribute("data-name");
    var source = root.getAttribute("data-source");
    var base = root.getAttribute("data-id") || name;
    var fallback = root.querySelector("[data-picker-fallback]");
    var summary = root.querySelector("[data-picker-chosen]");
    if (!name || !source || !fallback) return;

    // What was chosen when the page was served (stored territory, or a refused submission).
    var chosen = [];
    (summary ? summary.querySelectorAll("li[data-code]") : []).forEach(function (li) {
      chosen.push({ code: li.getAttribute("data-code"), label: li.textContent.trim() });
    });

    // The plain controls leave the form: only the chips' hidden inputs are sent from now on.
    fallback.hidden = true;
    fallback.querySelectorAll("input, select, button").forEach(function (c) { c.disabled = true; });
    if (summary) summary.hidden = true;

    var chips = element("ul", { className: "picker-chips", "aria-label": "Territoire choisi" });
    var inputId = base + "-combobox";
    var listId = base + "-listbox";
    var input = element("input", {
      id: inputId,
      type: "text",
      role: "combobox",
      autocomplete: "off",
      spellcheck: "false",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listId,
      "aria-describedby": root.getAttribute("aria-describedby") || base + "-help"
    });
    var listbox = element("div", { id: listId, role: "listbox", className: "picker-listbox",
                                    "aria-label": "Suggestions" });
    listbox.hidden = true;
    var status = element("p", { className: "picker-status hint", "aria-live": "polite" });
    var label = element("label", { "for": inputId, text: "Ajouter une région, une province ou une commune" });
    var anchor = element("div", { className: "picker-input" }, [input, listbox]);
    var box = element("div", { className: "picker-box" }, [chips, label, anchor, status]);
    root.insertBefore(box, fallback);

    var options = [];   // the suggestion elements, in order
    var active = -1;    // index of the highlighted suggestion
    var timer = null;
    var asked = "";

    function has(code) {
      return chosen.some(function (unit) { return unit.code === code; });
    }

    function renderChips() {
      while (chips.firstChild) chips.removeChild(chips.firstChild);
      if (!chosen.length) {
        chips.appendChild(element("li", { className: "picker-none", text: "Aucun territoire choisi." }));
      }
      chosen.forEach(function (unit, index) {
        var remove = element("button", { type: "button", className: "chip-remove",
                                         "aria-label": "Retirer " + unit.label, text: "×" });
        remove.addEventListener("click", function () {
          removeAt(index);
          input.focus();
        });
        chips.appendChild(element("li", { className: "chip" }, [
          element("span", { text: unit.label }),
          remove,
          element("input", { type: "hidden", name: name, value: unit.code })
        ]));
      });
    }

    function removeAt(index) {
      var unit = chosen.splice(index, 1)[0];
      renderChips();
      if (unit) status.textContent = unit.label + " retiré(e).";
    }

    function add(unit) {
      if (!has(unit.code)) chosen.push({ code: unit.code, label: unit.label });
      renderChips();
      status.textContent = unit.label + " ajouté(e).";
      input.value = "";
      asked = "";
      close();
      input.focus();
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      options = [];
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(items, query) {
      while (listbox.firstChild) listbox.removeChild(listbox.firstChild);
      options = [];
      active = -1;
      var fresh = items.filter(function (item) { return !has(item.code); });
      if (!fresh.length) {
        close();
        status.textContent = "Aucune unité ne correspond à « " + query + " ».";
        return;
      }
      var group = null;
      var heading = null;
      fresh.forEach(function (item) {
        if (item.group !== heading) {
          heading = item.group;
          var headingId = listId + "-group-" + listbox.childNodes.length;
          group = element("div", { role: "group", "aria-labelledby": headingId }, [
            element("div", { role: "presentation", id: headingId, className: "picker-group",
                             text: heading })
          ]);
          listbox.appendChild(group);
        }
        var option = element("div", { role: "option", id: listId + "-option-" + options.length,
                                      className: "picker-option", "aria-selected": "false",
                                      text: item.label });
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { add(item); });
        group.appendChild(option);
        options.push(option);
        option.unit = item;
      });
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = options.length + " suggestion(s) : flèches pour choisir, Entrée pour ajouter.";
      highlight(0);
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < 2) {
        close();
        asked = "";
        return;
      }
      if (query === asked) return;
      asked = query;
      fetch(source + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (data) {
          if (input.value.trim() === query) show(data.items || [], query);
        })
        .catch(function () {
          status.textContent = "Suggestions indisponibles pour le moment.";
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && options.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) highlight((active + 1) % options.length);
        else { asked = ""; ask(); }
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight((active - 1 + options.length) % options.length);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();  // choose the suggestion; do not submit the form
          add(options[active].unit);
        } else if (input.value.trim()) {
          event.preventDefault();  // a half-typed name is not a reason to submit
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Backspace" && input.value === "" && chosen.length) {
        removeAt(chosen.length - 1);
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 100);
    });

    renderChips();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-territory-picker]").forEach(attach);
  });
})();
