// Coopera: small improvements on pages that work without this script.
(function () {
  "use strict";
  var lang = document.documentElement.lang === "en" ? "en" : "es";
  var t = function (es, en) { return lang === "en" ? en : es; };

  // Filters: apply a select at once, and leave empty fields out of the address.
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (el) {
        if (!el.value) { el.disabled = true; }
      });
    });
    form.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
      sel.addEventListener("change", function () {
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
    });
  });

  // Forms: live percentage sums.
  function number(v) {
    var n = parseFloat(String(v).replace(/\s/g, ""));
    return isNaN(n) ? null : n;
  }
  function checkSum(group) {
    var out = document.querySelector('[data-sum-output="' + group.dataset.sum + '"]');
    if (!out) { return; }
    var inputs = group.querySelectorAll("input[data-pct]");
    var sum = 0, any = false;
    inputs.forEach(function (i) {
      var n = number(i.value);
      if (n !== null) { sum += n; any = true; }
    });
    if (!any) { out.textContent = ""; out.className = "sum"; return; }
    var rounded = Math.round(sum * 100) / 100;
    var ok = Math.abs(sum - 100) <= 0.01;
    out.textContent = t("Suma: ", "Sum: ") + rounded + (lang === "en" ? "%" : " %") +
      (ok ? " ✓" : t(" — debe sumar 100", " — must add up to 100"));
    out.className = "sum " + (ok ? "good" : "bad");
  }
  document.querySelectorAll("[data-sum]").forEach(function (group) {
    group.addEventListener("input", function () { checkSum(group); });
    checkSum(group);
  });

  // Triangular cooperation: show its guidance and its roles only when chosen.
  var modality = document.querySelector("select[data-modality]");
  function triangular() {
    if (!modality) { return; }
    var on = modality.value === "triangular";
    var hint = document.querySelector("[data-triangular-hint]");
    if (hint) { hint.hidden = !on; }
    document.querySelectorAll("select[data-role]").forEach(function (sel) {
      Array.prototype.forEach.call(sel.options, function (o) {
        var tri = o.value === "first-provider" || o.value === "second-provider";
        var plain = o.value === "provider";
        o.disabled = (tri && !on && !o.selected) || (plain && on && !o.selected);
      });
    });
  }
  if (modality) { modality.addEventListener("change", triangular); triangular(); }

  // Repeating rows: add a row here instead of asking the server.
  document.querySelectorAll("button[name=add]").forEach(function (button) {
    button.addEventListener("click", function (ev) {
      var list = button.value;
      var container = button.closest("[data-rows]");
      if (!container) { return; }
      var rows = Array.prototype.filter.call(container.querySelectorAll("[data-row]"), function (r) {
        return r.querySelector('[name^="' + list + '["]');
      });
      var last = rows[rows.length - 1];
      if (!last) { return; }
      ev.preventDefault();
      var next = rows.length;
      var copy = last.cloneNode(true);
      copy.querySelectorAll(".error, .hint").forEach(function (e) { e.remove(); });
      copy.querySelectorAll(".invalid").forEach(function (e) { e.classList.remove("invalid"); });
      copy.querySelectorAll("input, select, label").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v) { el.setAttribute(attr, v.replace(/\[\d+\]/, "[" + next + "]").replace(/-\d+-/, "-" + next + "-")); }
        });
        el.removeAttribute("aria-invalid");
        el.removeAttribute("aria-describedby");
        if (el.tagName === "INPUT") { el.value = ""; }
        if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      });
      last.after(copy);
      var first = copy.querySelector("input, select");
      if (first) { first.focus(); }
      triangular();
    });
  });

  // Printing shows every data table.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.data").forEach(function (d) { d.open = true; });
  });

  // A form shown again with problems: take the reader to them.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
