/* Answers that carry content to show: a conflict (409) or a refusal with its reasons (422, e.g. a
   narrative over the limit, an evidence file refused). htmx swaps only 2xx by default, so without
   this the page showed no reaction at all. Loaded on every page (base.html); no inline scripts. */
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
