/* Progressive enhancement for the public request form: shows only the questions that
   apply to the answers given so far. Without this script every question is shown, each
   labelled with when it applies, and the form works the same. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-request-form]");
  if (!form) return;

  // Every ticked value of a field (several rights can be ticked), or [""] when none is.
  function valuesOf(name) {
    var checked = form.querySelectorAll('input[name="' + name + '"]:checked');
    var values = Array.prototype.map.call(checked, function (el) { return el.value; });
    return values.length ? values : [""];
  }

  // data-show-when="name=value1 value2" or "name!=value"
  function applies(rule) {
    var negate = rule.indexOf("!=") !== -1;
    var parts = rule.split(negate ? "!=" : "=");
    var values = valuesOf(parts[0]);
    var wanted = parts[1].split(" ");
    var listed = values.some(function (value) { return wanted.indexOf(value) !== -1; });
    return negate ? values[0] !== "" && !listed : listed;
  }

  function update() {
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      // Never hide a question that has an error on it.
      el.hidden = !applies(el.getAttribute("data-show-when")) && !el.querySelector(".error-message");
    });
  }

  form.querySelectorAll("[data-hide-with-js]").forEach(function (el) { el.hidden = true; });
  form.addEventListener("change", update);
  update();

  // Browsers that ignore autofocus on the error summary still move focus to it.
  var summary = document.getElementById("error-summary");
  if (summary && document.activeElement !== summary) summary.focus();
})();
