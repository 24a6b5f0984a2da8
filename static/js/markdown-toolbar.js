/*
 * Formatting buttons over the posting form's text (templates/knowledge/includes/body_field.html).
 * Progressive enhancement: the buttons are in the page but hidden; this script shows them.
 * Without it the short cheat sheet under the text says what to type, which is all the buttons
 * do: bold wraps the selection in **, list starts each selected line with "- ", link turns the
 * selection into [text](https://) with the cursor where the address goes.
 * Plain buttons in a labelled group: each one is reached with Tab and pressed with Enter or
 * Space; focus goes back to the text afterwards, so typing can go on.
 * No inline script or style: CSP allows 'self' only.
 */
(function () {
    "use strict";

    // Replace the selection; execCommand keeps the browser's undo (Ctrl+Z) working,
    // setRangeText is the fallback where it is gone.
    function replaceSelection(textarea, text) {
        textarea.focus();
        var done = false;
        try {
            done = document.execCommand("insertText", false, text);
        } catch (error) {
            done = false;
        }
        if (!done) {
            textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, "end");
            textarea.dispatchEvent(new Event("input", { bubbles: true }));
        }
    }

    function bold(textarea, placeholder) {
        var start = textarea.selectionStart;
        var chosen = textarea.value.slice(start, textarea.selectionEnd);
        var inner = chosen || placeholder;
        replaceSelection(textarea, "**" + inner + "**");
        // Nothing was chosen: select the placeholder, so typing replaces it.
        textarea.setSelectionRange(start + 2, start + 2 + inner.length);
    }

    function list(textarea) {
        var value = textarea.value;
        var caret = textarea.selectionStart;
        // From the start of the line the selection begins on.
        var start = caret === 0 ? 0 : value.lastIndexOf("\n", caret - 1) + 1;
        var end = textarea.selectionEnd;
        textarea.setSelectionRange(start, end);
        var lines = value.slice(start, end).split("\n").map(function (line) {
            return /^\s*[-*] /.test(line) ? line : "- " + line;
        });
        replaceSelection(textarea, lines.join("\n"));
    }

    function link(textarea, placeholder) {
        var start = textarea.selectionStart;
        var chosen = textarea.value.slice(start, textarea.selectionEnd);
        var inner = chosen || placeholder;
        replaceSelection(textarea, "[" + inner + "](https://)");
        // The cursor after "https://": the address is what comes next.
        var caret = start + inner.length + "[](https://".length;
        textarea.setSelectionRange(caret, caret);
    }

    function enhance(toolbar) {
        var textarea = document.getElementById(toolbar.getAttribute("data-markdown-toolbar"));
        if (!textarea || typeof textarea.setRangeText !== "function") {
            return;
        }
        toolbar.addEventListener("click", function (event) {
            var button = event.target.closest("button[data-format]");
            if (!button) {
                return;
            }
            var placeholder = button.getAttribute("data-placeholder") || "";
            var format = button.getAttribute("data-format");
            if (format === "bold") {
                bold(textarea, placeholder);
            } else if (format === "list") {
                list(textarea);
            } else if (format === "link") {
                link(textarea, placeholder);
            }
        });
        toolbar.hidden = false;
    }

    document.querySelectorAll("[data-markdown-toolbar]").forEach(enhance);
})();
