/*
 * Live suggestions for the search field in the header: the ARIA 1.2 combobox pattern
 * (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/), list autocomplete without automatic
 * selection. Progressive enhancement: without this script the form simply submits to /zoeken/.
 *
 * The server renders the options (templates/search/suggestions.html, from the form's
 * data-suggest-url); this script only places them, moves the active option and says through a
 * polite live region how many there are. No inline script or style: CSP allows 'self' only.
 */
(function () {
    "use strict";

    var MIN_CHARS = 3;
    var DEBOUNCE_MS = 250;

    function enhance(form) {
        var input = form.querySelector('input[name="q"]');
        var url = form.getAttribute("data-suggest-url");
        if (!input || !url || !window.fetch || !("content" in document.createElement("template"))) {
            return;
        }
        var listbox = document.createElement("div");
        listbox.id = input.id + "-suggestions";
        listbox.className = "search-suggest";
        listbox.setAttribute("role", "listbox");
        listbox.setAttribute("aria-label", form.getAttribute("data-suggest-label") || "");
        listbox.hidden = true;
        var status = document.createElement("div");
        status.id = input.id + "-status";
        status.className = "visually-hidden";
        status.setAttribute("role", "status");
        form.appendChild(listbox);
        form.appendChild(status);
        form.classList.add("site-search--suggest");

        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listbox.id);
        input.setAttribute("autocomplete", "off");

        var timer = null;
        var latest = 0; // the number of the newest request: older answers are dropped
        var active = -1;

        function options() {
            return listbox.querySelectorAll('[role="option"]');
        }

        function setActive(index) {
            var all = options();
            if (active >= 0 && all[active]) {
                all[active].setAttribute("aria-selected", "false");
            }
            active = index;
            if (index >= 0 && all[index]) {
                all[index].setAttribute("aria-selected", "true");
                input.setAttribute("aria-activedescendant", all[index].id);
                all[index].scrollIntoView({ block: "nearest" });
            } else {
                input.removeAttribute("aria-activedescendant");
            }
        }

        function open() {
            listbox.hidden = false;
            input.setAttribute("aria-expanded", "true");
        }

        function close() {
            setActive(-1);
            listbox.hidden = true;
            input.setAttribute("aria-expanded", "false");
        }

        function show(html) {
            var template = document.createElement("template");
            template.innerHTML = html;
            var message = template.content.querySelector("[data-suggest-message]");
            status.textContent = message ? message.textContent.trim() : "";
            if (message) {
                message.remove();
            }
            setActive(-1);
            listbox.replaceChildren(template.content);
            if (options().length && document.activeElement === input) {
                open();
            } else {
                close();
            }
        }

        function fetchSuggestions() {
            var query = input.value.trim();
            var number = ++latest;
            if (query.length < MIN_CHARS) {
                close();
                listbox.replaceChildren();
                return;
            }
            fetch(url + "?q=" + encodeURIComponent(query), {
                credentials: "same-origin",
                headers: { Accept: "text/html" },
            })
                .then(function (response) {
                    // 429 (too many requests) and errors: keep what is shown, say nothing.
                    return response.ok ? response.text() : null;
                })
                .then(function (html) {
                    if (html !== null && number === latest) {
                        show(html);
                    }
                })
                .catch(function () {});
        }

        input.addEventListener("input", function () {
            // What was chosen belongs to the old text: Enter now searches for the new one.
            setActive(-1);
            window.clearTimeout(timer);
            timer = window.setTimeout(fetchSuggestions, DEBOUNCE_MS);
        });

        input.addEventListener("keydown", function (event) {
            var count = options().length;
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
                if (!count) {
                    return;
                }
                event.preventDefault();
                if (listbox.hidden) {
                    open();
                }
                var step = event.key === "ArrowDown" ? 1 : -1;
                var start = active < 0 && step < 0 ? count : active;
                setActive((start + step + count) % count);
            } else if (event.key === "Enter") {
                var chosen = !listbox.hidden && active >= 0 ? options()[active] : null;
                if (chosen) {
                    event.preventDefault();
                    window.location.assign(chosen.href);
                }
            } else if (event.key === "Escape") {
                if (!listbox.hidden) {
                    event.preventDefault();
                    close();
                }
            } else if (event.key === "Tab") {
                close();
            }
        });

        input.addEventListener("blur", close);
        // A press on an option must not take the focus from the field before the link opens.
        listbox.addEventListener("mousedown", function (event) {
            event.preventDefault();
        });
        input.addEventListener("focus", function () {
            if (options().length && input.value.trim().length >= MIN_CHARS) {
                open();
            }
        });
    }

    var forms = document.querySelectorAll("form[data-suggest-url]");
    for (var i = 0; i < forms.length; i++) {
        enhance(forms[i]);
    }
})();
