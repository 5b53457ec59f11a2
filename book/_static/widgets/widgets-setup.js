/*
 * Loaded between require.js and the ipywidgets HTML manager (embed-amd.js), on pages with embedded widgets
 * only (listed in nb_ipywidgets_js in _config.yml). Two fixes for serving the manager from this site:
 *
 * 1. The manager finds its web fonts relative to the AMD module that loads them ("@jupyter-widgets/...",
 *    which require.js resolves against the page's folder: notebooks/@jupyter-widgets/...: 404). Map those
 *    module paths to the vendored copy, found relative to this script, so it works at any page depth.
 * 2. ipywidgets 8 typesets widget labels with the MathJax 2 API (MathJax.Hub.Queue); the book uses MathJax 3,
 *    where that object does not exist, so every widget with a description threw
 *    "Cannot read properties of undefined (reading 'Queue')". Give MathJax 3 a small MathJax.Hub that typesets
 *    the element with the MathJax 3 API.
 */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  if (here && window.require && window.require.config) {
    var manager = new URL("../vendor/html-manager", here).href;
    // Every module the bundle defines (@jupyter-widgets/base, /controls, /html-manager, …) computes the
    // fonts' folder from its own module path, and which one loads them first varies from visit to visit:
    // map them all to the vendored folder, not only the manager's "dist" path.
    window.require.config({
      paths: { "@jupyter-widgets": manager, "@jupyter-widgets/html-manager/dist": manager },
    });
  }

  function addHub() {
    var mj = window.MathJax;
    if (!mj || !mj.version || mj.Hub) {
      return;
    }
    mj.Hub = {
      Queue: function (job) {
        var element = job && job[2];
        var ready = mj.startup && mj.startup.promise ? mj.startup.promise : Promise.resolve();
        ready
          .then(function () {
            return mj.typesetPromise ? mj.typesetPromise(element ? [element] : undefined) : null;
          })
          .catch(function (error) {
            console.warn("MathJax could not typeset a widget label", error);
          });
      },
    };
  }
  addHub();
  // MathJax is loaded with "defer": it has run by DOMContentLoaded, before the widgets render.
  document.addEventListener("DOMContentLoaded", addHub);
})();
