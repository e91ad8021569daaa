// Review page: ticking “退回” on a row shows its comment box and counts the rows to send back.
// Rows are re-rendered by htmx after each save, so the handlers are delegated from the document.
(function () {
  function refreshCount() {
    var count = document.querySelectorAll("input.lg-reopen:checked").length;
    var label = document.getElementById("reopen-count");
    if (label) { label.textContent = String(count); }
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("lg-reopen")) { return; }
    var row = box.closest("form");
    var comment = row && row.querySelector(".lg-reopen-comment");
    if (comment) { comment.classList.toggle("d-none", !box.checked); }
    refreshCount();
  });
  document.addEventListener("htmx:afterSwap", refreshCount);
})();
