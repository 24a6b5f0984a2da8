// Players from other sites (knowledge VideoBlock) load only when the reader presses the button:
// until then the page asks no other host for anything. Included once per video: runs once.
(function () {
  if (window.kenniscloudEmbedConsent) {
    return;
  }
  window.kenniscloudEmbedConsent = true;
  document.querySelectorAll("[data-embed-load]").forEach(function (button) {
    button.hidden = false;
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-embed-load]");
    if (!button) {
      return;
    }
    var frame = button.closest("[data-embed-player]");
    frame.innerHTML = frame.dataset.embedPlayer;
    var player = frame.querySelector("iframe");
    if (player) {
      player.focus();
    }
  });
})();
