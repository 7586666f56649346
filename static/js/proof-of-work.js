/* The anti-spam check of the public request form (dsar.abuse.proof_of_work), loaded only
   while it is switched on. When the form is sent, find a number such that
   sha256("<challenge>:<number>") starts with the asked number of zero bits, put it in the
   hidden pow_solution field and send the form. Runs in the browser only: no third party. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-request-form]");
  if (!form) return;
  var challengeInput = form.querySelector('input[name="pow_challenge"]');
  var solutionInput = form.querySelector('input[name="pow_solution"]');
  var status = form.querySelector("[data-pow-status]");
  if (!challengeInput || !solutionInput) return;
  var bits = parseInt(challengeInput.getAttribute("data-pow-bits"), 10) || 0;
  var encoder = new TextEncoder();
  var BATCH = 256;
  var working = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function zeroBits(buffer) {
    var bytes = new Uint8Array(buffer);
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { count += 8; continue; }
      var b = bytes[i];
      while ((b & 0x80) === 0) { count += 1; b <<= 1; }
      return count;
    }
    return count;
  }

  function solve(challenge, start) {
    var digests = [];
    for (var n = start; n < start + BATCH; n++) {
      digests.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + n)));
    }
    return Promise.all(digests).then(function (results) {
      for (var i = 0; i < results.length; i++) {
        if (zeroBits(results[i]) >= bits) return String(start + i);
      }
      return solve(challenge, start + BATCH);
    });
  }

  form.addEventListener("submit", function (event) {
    if (solutionInput.value || bits <= 0) return;
    event.preventDefault();
    if (working) return;
    if (!(window.crypto && crypto.subtle)) {
      say("Your browser cannot run the anti-spam check this form needs. Please use one of the other ways to ask below.");
      return;
    }
    working = true;
    var button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    say("Checking your browser… This takes a few seconds, please wait.");
    solve(challengeInput.value, 0).then(function (solution) {
      solutionInput.value = solution;
      say("Sending your request…");
      form.submit();
    }, function () {
      working = false;
      if (button) button.disabled = false;
      say("The anti-spam check could not run in your browser. Please try again, or use one of the other ways to ask below.");
    });
  });
})();
