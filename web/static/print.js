/* Print view of a caller's materials checklist: the 打印 button prints the page. */
(function () {
  "use strict";
  var button = document.getElementById("print");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
})();
