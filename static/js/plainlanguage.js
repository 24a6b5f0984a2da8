/*
 * The readability advice while typing (issue 17, B1): progressive enhancement of
 * templates/plainlanguage/advice.html and live_hint.html. Without this script the contribution
 * form's "Controleer de leesbaarheid" button sends the form and the server shows the advice;
 * with it, 1.5 seconds after the member stops typing the text goes to POST /leesbaarheid/ and
 * the server's HTML lands in the polite live region next to the field. The button then checks
 * at once, without leaving the page. Only advice: a failed check changes nothing, and nothing
 * here touches sending the form. No inline script: CSP allows 'self' only.
 */
(function () {
    "use strict";

    var DEBOUNCE_MS = 1500;

    function enhance(box) {
        var field = document.getElementById(box.getAttribute("data-plainlanguage-field"));
        var url = box.getAttribute("data-plainlanguage-url");
        var region = box.querySelector("[data-plainlanguage-result]");
        if (!field || !field.form || !url || !region || !window.fetch || !window.FormData) {
            return;
        }
        if (box.hasAttribute("data-plainlanguage-ready")) {
            return; // the script is on the page twice
        }
        box.setAttribute("data-plainlanguage-ready", "");
        var token = field.form.querySelector('input[name="csrfmiddlewaretoken"]');
        var timer = null;
        var latest = 0; // the number of the newest request: older answers are dropped
        var checked = null; // the text of the last answer shown

        function check() {
            var text = field.value;
            if (text === checked) {
                return;
            }
            var number = ++latest;
            var body = new FormData();
            body.append("text", text);
            fetch(url, {
                method: "POST",
                body: body,
                credentials: "same-origin",
                headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
            })
                .then(function (response) {
                    if (response.status === 429) {
                        // Too quick after the last check: try again when the server says.
                        var wait = parseInt(response.headers.get("Retry-After"), 10) || 2;
                        window.clearTimeout(timer);
                        timer = window.setTimeout(check, wait * 1000);
                        return null;
                    }
                    return response.ok ? response.json() : null;
                })
                .then(function (data) {
                    if (data && number === latest) {
                        region.innerHTML = data.html;
                        checked = text;
                    }
                })
                .catch(function () {
                    // Offline or a server error: the advice stays as it was.
                });
        }

        field.addEventListener("input", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(check, DEBOUNCE_MS);
        });
        var button = box.querySelector('button[name="leesbaarheid"]');
        if (button) {
            button.addEventListener("click", function (event) {
                event.preventDefault();
                window.clearTimeout(timer);
                checked = null;
                check();
            });
        }
    }

    var boxes = document.querySelectorAll("[data-plainlanguage]");
    for (var i = 0; i < boxes.length; i++) {
        enhance(boxes[i]);
    }
})();
