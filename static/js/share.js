// The share block's "Kopieer de link": progressive enhancement. Without JavaScript, or in a
// browser without the asynchronous clipboard, the button stays hidden and the share links and
// the address bar do the work. The result is announced in the block's live region.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll("[data-share-copy]").forEach(function (button) {
    var status = document.getElementById(button.getAttribute("data-share-status"));
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-share-copy")).then(
        function () {
          if (status) {
            // Emptied first, so that a second copy is announced again.
            status.textContent = "";
            window.setTimeout(function () {
              status.textContent = status.getAttribute("data-share-copied");
            }, 50);
          }
        },
        function () {
          button.hidden = true;
        }
      );
    });
  });
})();
