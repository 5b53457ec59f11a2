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
 * 3. Accessibility (WCAG 2: 4.1.2 name, role, value; 2.1.1 keyboard). The manager (@jupyter-widgets/controls
 *    5) draws a widget's description as a <label> that is tied to nothing: a slider's handle (role="slider")
 *    has no accessible name, and a ToggleButtons widget is a row of plain buttons that do not say which one is
 *    selected. As each widget appears, name its controls after its visible label, mark its toggle buttons as
 *    a named group with aria-pressed, and let the arrow keys (and Home / End) move along a group and select,
 *    as Tab + Enter / Space already do. See labelWidgets() below.
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

  // ---------------------------------------------------------------------------------------- accessibility
  var counter = 0;

  function idOf(element) {
    if (!element.id) {
      counter += 1;
      element.id = "book-widget-label-" + counter;
    }
    return element.id;
  }

  function hasText(element) {
    return !!element && element.style.display !== "none" && element.textContent.trim() !== "";
  }

  // The visible label of a widget: its own description; else the widget just before it in the same box
  // (the book's rows: an HTML "<b>Today's weather</b>" beside the toggle); else its tooltip.
  function nameWidget(widget, control) {
    if (control.hasAttribute("aria-label") || control.hasAttribute("aria-labelledby")) {
      return;
    }
    var label = widget.querySelector(":scope > .widget-label");
    if (!hasText(label)) {
      var before = widget.previousElementSibling;
      label = before && before.matches(".widget-html, .widget-label") ? before : null;
    }
    if (hasText(label)) {
      control.setAttribute("aria-labelledby", idOf(label));
    } else if (widget.title) {
      control.setAttribute("aria-label", widget.title);
    }
  }

  function markPressed(group) {
    group.querySelectorAll("button").forEach(function (button) {
      button.setAttribute("aria-pressed", button.classList.contains("mod-active") ? "true" : "false");
    });
  }

  var KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "first", End: "last" };

  function onGroupKey(event) {
    var step = KEYS[event.key];
    var buttons = Array.prototype.slice.call(event.currentTarget.querySelectorAll("button:not([disabled])"));
    var here = buttons.indexOf(document.activeElement);
    if (step === undefined || here < 0 || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    event.preventDefault();
    var next = step === "first" ? 0 : step === "last" ? buttons.length - 1 : here + step;
    next = Math.max(0, Math.min(buttons.length - 1, next));
    buttons[next].focus();
    buttons[next].click();
  }

  function labelWidgets(root) {
    root.querySelectorAll(".widget-toggle-buttons").forEach(function (widget) {
      var group = widget.querySelector(":scope > div");
      if (!group || group.getAttribute("role") === "group") {
        return;
      }
      group.setAttribute("role", "group");
      nameWidget(widget, group);
      markPressed(group);
      new MutationObserver(function () {
        markPressed(group);
      }).observe(group, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
      group.addEventListener("keydown", onGroupKey);
    });
    root.querySelectorAll(".widget-slider").forEach(function (widget) {
      widget.querySelectorAll('[role="slider"]').forEach(function (handle) {
        nameWidget(widget, handle);
      });
    });
  }

  var pending = false;
  function schedule() {
    if (!pending) {
      pending = true;
      window.setTimeout(function () {
        pending = false;
        labelWidgets(document);
      }, 50);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
    schedule();
  });
})();
