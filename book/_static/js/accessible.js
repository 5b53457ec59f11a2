/*
 * Accessibility fix to the theme, on every page (html_js_files in _config.yml; checked by axe-core in
 * tests/test_site.py, rule scrollable-region-focusable, WCAG 2.1.1 keyboard).
 *
 * pydata-sphinx-theme puts a code block or an output in the Tab order (tabindex 0) when it scrolls, so that
 * a keyboard user can scroll it; it measures them when the page loads, on resize and when elements are
 * added. A block inside a collapsed part (a hidden code cell, a solution dropdown) is measured while hidden,
 * as not scrolling, and stays out of the Tab order once the reader opens the part. Measure again whenever a
 * part opens or closes (a <details> toggles, or sphinx-togglebutton changes a class), with the theme's rule.
 */
(function () {
  "use strict";
  var SCROLLABLE = [
    "pre",
    ".nboutput > .output_area",
    ".cell_output > .output",
    ".jp-RenderedHTMLCommon",
    ".pst-scrollable-table-container",
  ].join(", ");
  var timer = null;

  function measure() {
    timer = null;
    document.querySelectorAll(SCROLLABLE).forEach(function (el) {
      if (el.getClientRects().length === 0) {
        return; // hidden: measured when it is shown
      }
      el.tabIndex = el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight ? 0 : -1;
    });
  }

  function later() {
    if (timer === null) {
      timer = window.setTimeout(measure, 100);
    }
  }

  document.addEventListener("toggle", later, true); // <details> opening or closing (does not bubble)
  document.addEventListener("DOMContentLoaded", function () {
    var main = document.getElementById("main-content") || document.body;
    new MutationObserver(later).observe(main, { subtree: true, attributes: true, attributeFilter: ["class"] });
  });
})();
