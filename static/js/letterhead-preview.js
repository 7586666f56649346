// The letterhead page: the preview follows the lines as they are typed (issue 19).
// Without JavaScript the "Preview the lines" button does the same with a page load.
(function () {
  "use strict";
  var text = document.getElementById("id_text");
  var frame = document.getElementById("letter-preview");
  if (!text || !frame) { return; }
  var timer = null;
  text.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      frame.src = frame.dataset.base + "?text=" + encodeURIComponent(text.value);
    }, 400);
  });
})();
