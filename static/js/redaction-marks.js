// Drag across a page preview to fill in the area fields of the mark form (in percent).
// Without this script the fields are typed in; nothing here is needed to redact.
(function () {
  "use strict";
  var form = document.getElementById("mark-form");
  function place(box, frame) {
    var x0 = parseFloat(box.dataset.x0), y0 = parseFloat(box.dataset.y0);
    var x1 = parseFloat(box.dataset.x1), y1 = parseFloat(box.dataset.y1);
    box.style.left = (x0 * 100) + "%";
    box.style.top = (y0 * 100) + "%";
    box.style.width = ((x1 - x0) * 100) + "%";
    box.style.height = ((y1 - y0) * 100) + "%";
  }
  document.querySelectorAll(".page-frame").forEach(function (frame) {
    frame.querySelectorAll(".mark-box").forEach(function (box) { place(box, frame); });
    if (!form) { return; }
    var page = frame.parentElement.dataset.page, start = null, drawing = null;
    function at(event) {
      var rect = frame.getBoundingClientRect();
      return {
        x: Math.min(Math.max((event.clientX - rect.left) / rect.width, 0), 1),
        y: Math.min(Math.max((event.clientY - rect.top) / rect.height, 0), 1)
      };
    }
    frame.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      start = at(event);
      drawing = document.createElement("span");
      drawing.className = "mark-box drawing";
      frame.appendChild(drawing);
    });
    frame.addEventListener("pointermove", function (event) {
      if (!start) { return; }
      var now = at(event);
      drawing.dataset.x0 = Math.min(start.x, now.x); drawing.dataset.x1 = Math.max(start.x, now.x);
      drawing.dataset.y0 = Math.min(start.y, now.y); drawing.dataset.y1 = Math.max(start.y, now.y);
      place(drawing, frame);
    });
    frame.addEventListener("pointerup", function () {
      if (!start || !drawing.dataset.x0) { start = null; return; }
      var pct = function (v) { return (parseFloat(v) * 100).toFixed(2); };
      form.querySelector("[name=page]").value = page;
      form.querySelector("[name=left]").value = pct(drawing.dataset.x0);
      form.querySelector("[name=top]").value = pct(drawing.dataset.y0);
      form.querySelector("[name=right]").value = pct(drawing.dataset.x1);
      form.querySelector("[name=bottom]").value = pct(drawing.dataset.y1);
      form.querySelector("[name=ground]").focus();
      start = null;
    });
  });
})();
