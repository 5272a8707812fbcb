// @ts-check
// Runs before main.js and imports nothing, so that a page that cannot start says why instead of
// staying blank: when main.js or a module it imports statically (the package's
// pkg/genesys_billing.js above all) cannot be loaded, main.js never runs; when a module throws
// while it is evaluated (an element index.html lacks), nothing catches it. A failed wasm load and
// anything after start-up are main.js's to report.

/** @param {string} message */
function failed(message) {
  const box = document.getElementById("error");
  const text = document.getElementById("error-text");
  if (box && text) {
    text.textContent = message;
    box.hidden = false;
  }
  document.documentElement.dataset.ready = "error";
}

const main = document.querySelector('script[type="module"][src="js/main.js"]');
main?.addEventListener("error", () => {
  failed(
    "The page's scripts or the genesys-billing package (pkg/genesys_billing.js) could not be loaded. " +
      "Build the package and copy pkg/ to www/pkg/ (make demo does both).",
  );
});

window.addEventListener("error", (event) => {
  if (document.documentElement.dataset.ready) return;
  failed(`The page failed to start: ${event.message}`);
});
