/* Suggestions under the site's search boxes, as a visitor types.
 *
 * Progressive enhancement: every <input data-suggest> becomes an ARIA 1.2
 * combobox over a listbox of what /api/suggest/ answers (names of
 * organisations, people and programs first, then article titles). Without
 * this script, or when the request fails, the form searches as before.
 *
 * Keys: ArrowDown / ArrowUp move through the suggestions, Enter opens the
 * chosen one (with none chosen, Enter submits the search), Escape closes the
 * list. A click opens a suggestion too.
 *
 * No framework, no inline script or style: the Content-Security-Policy
 * allows scripts and styles from this site only. The address of the API comes
 * from this script element's data-suggest-url attribute. Text from the API is
 * only ever set as textContent, never parsed as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var endpoint = script && script.getAttribute("data-suggest-url");
  if (!endpoint || !window.fetch || !window.AbortController) {
    return;
  }
  var DELAY_MS = 150;
  var MIN_LENGTH = 2;

  function enhance(input, number) {
    var form = input.form;
    if (!form) {
      return;
    }
    var listId = (input.id || "search-" + number) + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.classList.add("suggest-host");
    form.appendChild(list);
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    var items = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var lastQuery = null;

    function open() {
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      choose(-1);
    }

    function choose(index) {
      active = index;
      var options = list.children;
      for (var i = 0; i < options.length; i += 1) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(item) {
      close();
      window.location.assign(item.url);
    }

    function render(results) {
      items = results;
      list.textContent = "";
      results.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.className = "suggest__option suggest__option--" + item.type;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.className = "suggest__label";
        label.textContent = item.name || item.title;
        var meta = document.createElement("span");
        meta.className = "suggest__meta";
        meta.textContent = item.type === "article"
          ? "Article" + (item.description ? " · " + item.description : "")
          : item.description;
        option.appendChild(label);
        option.appendChild(meta);
        // mousedown would move the focus away from the input before the click.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        option.addEventListener("click", function () {
          go(item);
        });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = results.length
        ? results.length + (results.length === 1 ? " suggestion" : " suggestions")
          + ": use the up and down arrow keys to choose, Enter to open."
        : "";
      open();
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) {
        open();
        return;
      }
      lastQuery = query;
      if (pending) {
        pending.abort();
        pending = null;
      }
      if (query.length < MIN_LENGTH) {
        render([]);
        return;
      }
      pending = new AbortController();
      var url = endpoint + "?q=" + encodeURIComponent(query);
      window.fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (input.value.trim() === query) {
            render(data.results || []);
          }
        })
        .catch(function () {
          // Aborted by a newer keystroke, or offline: the plain search still works.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var count = items.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!count) {
          return;
        }
        event.preventDefault();
        if (list.hidden) {
          open();
        }
        // Down from the last suggestion wraps to the first, up from the first to the last.
        if (event.key === "ArrowDown") {
          choose(active < count - 1 ? active + 1 : 0);
        } else {
          choose(active > 0 ? active - 1 : count - 1);
        }
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          go(items[active]);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", function () {
      close();
    });

    input.addEventListener("focus", function () {
      if (input.value.trim() === lastQuery && items.length) {
        open();
      }
    });
  }

  var inputs = document.querySelectorAll("input[data-suggest]");
  for (var i = 0; i < inputs.length; i += 1) {
    enhance(inputs[i], i);
  }
}());
