// Asks before submitting forms marked with data-confirm (deletions, finalising). No inline
// handlers: the CSP allows scripts from 'self' only.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
