/*
 * Live name filter on the check-in page (templates/meetups/organiser/attendees.html).
 * Progressive enhancement: without this script the form is a plain GET form (?naam=) and the
 * server filters the lists. With it, every row with a data-name attribute is shown or hidden as
 * the organiser types, and the form's status line (role=status) says how many match.
 * No inline script or style: CSP allows 'self' only.
 */
(function () {
    "use strict";

    function words(text) {
        return text.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    }

    function enhance(form) {
        var input = form.querySelector('input[name="naam"]');
        var status = document.getElementById(input ? input.getAttribute("aria-describedby") : "");
        var rows = document.querySelectorAll("li[data-name]");
        if (!input || !status || !rows.length) {
            return;
        }
        var one = form.getAttribute("data-count-one") || "";
        var many = form.getAttribute("data-count-many") || "";

        function apply() {
            var wanted = words(input.value);
            var shown = 0;
            rows.forEach(function (row) {
                var name = row.getAttribute("data-name").toLocaleLowerCase();
                var match = wanted.every(function (word) {
                    return name.indexOf(word) !== -1;
                });
                row.hidden = !match;
                // The rows are display:flex, which beats the hidden attribute; CSSOM, not an
                // inline style attribute, so the CSP allows it.
                row.style.display = match ? "" : "none";
                if (match) {
                    shown += 1;
                }
            });
            if (!wanted.length) {
                status.textContent = "";
            } else {
                status.textContent = shown === 1 ? one : many.replace("%(count)s", String(shown));
            }
        }

        input.addEventListener("input", apply);
    }

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll("form[data-attendee-filter]").forEach(enhance);
    });
})();
