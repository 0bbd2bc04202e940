// The record pickers of the forms (templates/_record_picker.html): people, organisations.
//
// Without this script a picker is a list of checked checkboxes (the chosen records) and a text
// area to add more by name. With it, the same block becomes an ARIA combobox: typing a few
// letters lists matching records from data-source (scoped by the server); arrows move, Enter
// or a click adds the record as a chip, Escape closes the list; a chip's button, or Backspace
// in the empty box, removes it. Each chip carries a hidden input named like the field whose
// value is the record's uid, so the form posts what the checkboxes posted. Uids stay in
// attributes: the page shows names only. Every element is built with DOM properties and
// textContent: no text ever goes through innerHTML. With data-single the picker holds one record
// (a successor, an affiliation's organisation): choosing another replaces it.
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_TYPED = 2;

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
    var single = root.hasAttribute("data-single");
    if (!name || !source || !fallback) return;

    // What was chosen when the page was served (stored participants, or a refused submission).
    var chosen = [];
    fallback.querySelectorAll("input[type=checkbox][name]").forEach(function (box) {
      if (box.checked) chosen.push({ uid: box.value, name: box.getAttribute("data-name") || "" });
    });

    // The plain controls leave the form: only the chips' hidden inputs are sent from now on.
    fallback.hidden = true;
    fallback.querySelectorAll("input, textarea, select, button").forEach(function (c) { c.disabled = true; });

    var legend = root.querySelector(".record-picker-legend");
    var chips = element("ul", { className: "record-picker-chips",
                                "aria-label": (legend ? legend.textContent : name) + " : fiches choisies" });
    var inputId = base + "-combobox";
    var listId = base + "-listbox";
    var describedBy = [base + "-status"];
    if (root.getAttribute("aria-describedby")) describedBy.push(root.getAttribute("aria-describedby"));
    var input = element("input", {
      id: inputId,
      type: "text",
      role: "combobox",
      autocomplete: "off",
      spellcheck: "false",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listId,
      "aria-describedby": describedBy.join(" ")
    });
    var listbox = element("ul", { id: listId, role: "listbox", className: "record-picker-listbox",
                                  "aria-label": "Suggestions" });
    listbox.hidden = true;
    var status = element("p", { id: base + "-status", className: "record-picker-status hint",
                                "aria-live": "polite" });
    var label = element("label", { "for": inputId, text: root.getAttribute("data-add-label") || "Ajouter" });
    var anchor = element("div", { className: "record-picker-input" }, [input, listbox]);
    var box = element("div", { className: "record-picker-box" }, [chips, label, anchor, status]);
    root.insertBefore(box, fallback);

    var options = [];   // the suggestion elements, in order
    var active = -1;    // index of the highlighted suggestion
    var timer = null;
    var asked = "";

    function has(uid) {
      return chosen.some(function (record) { return record.uid === uid; });
    }

    function renderChips() {
      while (chips.firstChild) chips.removeChild(chips.firstChild);
      if (!chosen.length) {
        chips.appendChild(element("li", { className: "record-picker-none",
                                          text: root.getAttribute("data-none") || "" }));
      }
      chosen.forEach(function (record, index) {
        var remove = element("button", { type: "button", className: "record-picker-remove",
                                         "aria-label": "Retirer " + record.name, text: "×" });
        remove.addEventListener("click", function () {
          removeAt(index);
          input.focus();
        });
        chips.appendChild(element("li", { className: "record-picker-chip" }, [
          element("span", { text: record.name }),
          remove,
          element("input", { type: "hidden", name: name, value: record.uid })
        ]));
      });
    }

    function removeAt(index) {
      var record = chosen.splice(index, 1)[0];
      renderChips();
      if (record) status.textContent = record.name + " retiré(e).";
    }

    function add(record) {
      if (single) chosen = [];  // one record: choosing another replaces it
      if (!has(record.uid)) chosen.push({ uid: record.uid, name: record.name });
      renderChips();
      status.textContent = record.name + " ajouté(e).";
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
      var fresh = items.filter(function (item) { return !has(item.uid); });
      if (!fresh.length) {
        close();
        status.textContent = "Aucune fiche ne correspond à « " + query + " ».";
        return;
      }
      fresh.forEach(function (item) {
        var parts = [element("span", { className: "record-picker-name", text: item.name })];
        if (item.detail) parts.push(element("span", { className: "record-picker-detail", text: item.detail }));
        var option = element("li", { role: "option", id: listId + "-option-" + options.length,
                                     className: "record-picker-option", "aria-selected": "false" }, parts);
        // Keep the focus in the box: a click chooses, it does not blur the combobox first.
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { add(item); });
        listbox.appendChild(option);
        options.push(option);
        option.record = item;
      });
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = options.length + " suggestion(s) : flèches pour choisir, Entrée pour ajouter.";
      highlight(-1);
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < MIN_TYPED) {
        close();
        asked = "";
        return;
      }
      if (query === asked) return;
      asked = query;
      var url = source + (source.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (data) {
          if (input.value.trim() === query) show(data.items || [], query);
        })
        .catch(function () {
          asked = "";
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
          highlight(active <= 0 ? options.length - 1 : active - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();  // choose the suggestion; do not submit the form
          add(options[active].record);
        } else if (input.value.trim()) {
          event.preventDefault();  // a half-typed name is not a reason to submit
          status.textContent = "Choisissez une fiche dans la liste (flèche bas).";
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Backspace" && input.value === "" && chosen.length) {
        event.preventDefault();
        removeAt(chosen.length - 1);
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 100);
    });

    renderChips();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-record-picker]").forEach(attach);
  });
})();
