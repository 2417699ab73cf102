// jiti: a little script where it plainly helps; every page works without it.
"use strict";
document.documentElement.classList.add("js");

document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});
document.addEventListener("click", function (e) {
  if (e.target.hasAttribute("data-print")) window.print();
});
// A choice that takes effect at once, such as the print page's paper: the
// form's own button does the same without the script.
document.addEventListener("change", function (e) {
  if (e.target.hasAttribute("data-submit") && e.target.form) e.target.form.submit();
});

// Money as typed ("1,234.5") to fen, or null when it is not an amount.
function toFen(s) {
  s = s.replace(/[,\s]/g, "");
  if (s === "") return 0;
  var m = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  var fen = parseInt(m[2], 10) * 100 + parseInt(((m[3] || "") + "00").slice(0, 2), 10);
  return m[1] ? -fen : fen;
}

// Fen to "1,234.50".
function fromFen(f) {
  var neg = f < 0;
  if (neg) f = -f;
  var yuan = String(Math.floor(f / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  var cents = String(f % 100);
  if (cents.length < 2) cents = "0" + cents;
  return (neg ? "-" : "") + yuan + "." + cents;
}

function voucherForm(form) {
  var body = form.querySelector("#lines tbody");
  var list = document.getElementById("accounts");
  var accounts = [];
  if (list) {
    Array.prototype.forEach.call(list.options, function (o) {
      accounts.push({ code: o.value, name: o.getAttribute("data-name") || "", initials: (o.getAttribute("data-initials") || "").split(" ") });
    });
  }
  var byCode = {};
  accounts.forEach(function (a) { byCode[a.code] = a; });

  // Lines are numbered 1..n in order, names and labels alike, so the
  // server reads them in the order the user sees.
  function renumber() {
    Array.prototype.forEach.call(body.rows, function (row, i) {
      var n = i + 1;
      row.querySelector(".no").textContent = n;
      Array.prototype.forEach.call(row.querySelectorAll("input"), function (input) {
        input.name = input.name.replace(/_\d+$/, "_" + n);
        // "摘要 3": each field is labelled with its own line's number.
        var label = input.getAttribute("aria-label");
        if (label) input.setAttribute("aria-label", label.replace(/\d+$/, n));
      });
    });
  }

  function totals() {
    var dr = 0, cr = 0, bad = false;
    Array.prototype.forEach.call(form.querySelectorAll("input.money"), function (input) {
      var f = toFen(input.value);
      input.classList.toggle("invalid", f === null);
      if (f === null) { bad = true; return; }
      if (input.classList.contains("debit")) dr += f; else cr += f;
    });
    document.getElementById("total-debit").textContent = fromFen(dr);
    document.getElementById("total-credit").textContent = fromFen(cr);
    var balance = document.getElementById("balance");
    var ok = !bad && dr === cr && dr !== 0;
    balance.textContent = ok ? balance.getAttribute("data-ok") : balance.getAttribute("data-off") + (bad ? "" : " " + fromFen(dr - cr));
    balance.className = ok ? "ok" : "error";
  }

  function showName(input) {
    var a = byCode[input.value.trim()];
    input.parentNode.querySelector(".account-name").textContent = a ? a.name : "";
  }

  function addLine() {
    var last = body.rows[body.rows.length - 1];
    var row = last.cloneNode(true);
    Array.prototype.forEach.call(row.querySelectorAll("input"), function (input) { input.value = ""; });
    Array.prototype.forEach.call(row.querySelectorAll(".field-error"), function (e) { e.remove(); });
    Array.prototype.forEach.call(row.querySelectorAll("[aria-invalid]"), function (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
    row.querySelector(".account-name").textContent = "";
    body.appendChild(row);
    renumber();
    wire(row);
    row.querySelector("input").focus();
  }

  // The picker: what the user types in an account field finds accounts by
  // code (from its start), name (anywhere) or pinyin initials (yhck → 银行存款).
  var picker = document.createElement("ul");
  picker.className = "picker";
  picker.setAttribute("role", "listbox");
  picker.id = "account-picker";
  picker.hidden = true;
  document.body.appendChild(picker);
  var target = null, active = -1;

  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var out = [];
    for (var i = 0; i < accounts.length && out.length < 12; i++) {
      var a = accounts[i];
      if (a.code.indexOf(q) === 0 || a.name.indexOf(q) >= 0 ||
          a.initials.some(function (s) { return s.indexOf(q) >= 0; })) out.push(a);
    }
    return out;
  }

  function openPicker(input) {
    var found = matches(input.value);
    picker.innerHTML = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!found.length || (found.length === 1 && found[0].code === input.value.trim())) { closePicker(); return; }
    if (target && target !== input) closePicker();
    found.forEach(function (a, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "account-option-" + i;
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-code", a.code);
      var code = document.createElement("span");
      code.className = "code";
      code.textContent = a.code;
      li.appendChild(code);
      li.appendChild(document.createTextNode(a.name));
      picker.appendChild(li);
    });
    var r = input.getBoundingClientRect();
    picker.style.left = (r.left + window.scrollX) + "px";
    picker.style.top = (r.bottom + window.scrollY) + "px";
    picker.hidden = false;
    target = input;
    input.setAttribute("aria-expanded", "true");
  }

  // closePicker hides the suggestions and tells the field it owns them.
  function closePicker() {
    picker.hidden = true;
    if (target) {
      target.setAttribute("aria-expanded", "false");
      target.removeAttribute("aria-activedescendant");
    }
  }

  function choose(code) {
    if (!target) return;
    target.value = code;
    showName(target);
    closePicker();
    var next = target.closest("tr").querySelector("input.debit");
    if (next) next.focus();
  }

  function highlight(i) {
    var items = picker.children;
    if (!items.length) return;
    active = (i + items.length) % items.length;
    Array.prototype.forEach.call(items, function (li, j) {
      li.classList.toggle("active", j === active);
      li.setAttribute("aria-selected", j === active ? "true" : "false");
    });
    items[active].scrollIntoView({ block: "nearest" });
    if (target) target.setAttribute("aria-activedescendant", items[active].id);
  }

  picker.addEventListener("mousedown", function (e) {
    var li = e.target.closest("li");
    if (li) { e.preventDefault(); choose(li.getAttribute("data-code")); }
  });

  function wire(row) {
    Array.prototype.forEach.call(row.querySelectorAll("input.money"), function (input) {
      input.addEventListener("input", totals);
    });
    var account = row.querySelector("input.account");
    account.removeAttribute("list"); // the picker replaces the browser's list
    // The ARIA combobox pattern: the field owns the picker's list.
    account.setAttribute("role", "combobox");
    account.setAttribute("aria-autocomplete", "list");
    account.setAttribute("aria-expanded", "false");
    account.setAttribute("aria-controls", "account-picker");
    account.addEventListener("input", function () { openPicker(account); showName(account); });
    account.addEventListener("focus", function () { if (account.value) openPicker(account); });
    account.addEventListener("blur", function () {
      // Close when the user moves to another field, not when the window
      // itself loses the focus (another program, a dialog): coming back,
      // the suggestions are still there.
      // The picker is shared by the lines: a late timer of the field left
      // must not close the suggestions of the field now typed in.
      setTimeout(function () {
        if (target === account && document.hasFocus() && document.activeElement !== account) closePicker();
      }, 100);
      showName(account);
    });
    account.addEventListener("keydown", function (e) {
      if (picker.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Enter") {
        e.preventDefault();
        var li = picker.children[active >= 0 ? active : 0];
        if (li) choose(li.getAttribute("data-code"));
      } else if (e.key === "Escape") { closePicker(); }
    });
    row.querySelector(".remove-line").addEventListener("click", function () {
      if (body.rows.length > 2) { row.remove(); renumber(); totals(); }
    });
    showName(account);
  }

  Array.prototype.forEach.call(body.rows, wire);
  form.querySelector("#add-line").addEventListener("click", function (e) { e.preventDefault(); addLine(); });
  totals();
  form.setAttribute("data-ready", "1"); // wired: what is typed now reaches the picker and the totals
}

// A server-side error: its field is marked invalid and described by the
// message (WCAG 3.3.1), and the first such field takes the focus, so a
// keyboard or screen-reader user lands where the form needs them.
function markErrors() {
  var first = null;
  Array.prototype.forEach.call(document.querySelectorAll(".field-error"), function (msg, i) {
    var cell = msg.closest("td, label");
    var field = cell && cell.querySelector("input, select, textarea");
    if (!field) {
      var prev = msg.previousElementSibling;
      field = prev && (prev.matches("input, select, textarea") ? prev : prev.querySelector("input, select, textarea"));
    }
    if (!field) return;
    if (!msg.id) msg.id = "field-error-" + (i + 1);
    field.setAttribute("aria-invalid", "true");
    var by = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (by.indexOf(msg.id) < 0) by.push(msg.id);
    field.setAttribute("aria-describedby", by.join(" "));
    if (!first) first = field;
  });
  if (!first) return;
  // A form posted from a page reached by the skip link keeps "#main" in
  // its address, and the browser would focus <main> after the script.
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  first.focus();
  window.addEventListener("load", function () { if (document.activeElement === document.getElementById("main")) first.focus(); });
}

// A table wider than its box scrolls in it: the box then says so in a
// visible line, and is a named region that takes the keyboard's focus, so
// arrow keys scroll it (WCAG 2.1.1). Boxes that fit are left plain.
var scrollBoxes = 0;
function markScrolls() {
  var hint = document.body.getAttribute("data-scroll-hint") || "";
  Array.prototype.forEach.call(document.querySelectorAll(".scroll, .chart"), function (box) {
    var note = box.previousElementSibling;
    if (!note || !note.classList.contains("scroll-hint")) note = null;
    if (box.scrollWidth > box.clientWidth + 1) {
      if (!note) {
        note = document.createElement("p");
        note.className = "scroll-hint";
        note.id = "scroll-hint-" + (++scrollBoxes);
        note.textContent = hint;
        box.parentNode.insertBefore(note, box);
      }
      var caption = box.querySelector("caption, svg[aria-label]");
      var h1 = document.querySelector("h1");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      var name = caption ? (caption.getAttribute("aria-label") || caption.textContent) : h1 ? h1.textContent : document.title;
      box.setAttribute("aria-label", name.trim());
      box.setAttribute("aria-describedby", note.id);
    } else {
      if (note) note.remove();
      ["tabindex", "role", "aria-label", "aria-describedby"].forEach(function (a) { box.removeAttribute(a); });
    }
  });
}
window.addEventListener("resize", markScrolls);

document.addEventListener("DOMContentLoaded", function () {
  markScrolls();
  markErrors();
  var form = document.getElementById("voucher-form");
  if (form) voucherForm(form);
});
