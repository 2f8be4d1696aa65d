/* Balie back-office: keyboard shortcuts and focus care around htmx swaps. No framework. */
(function () {
  "use strict";

  // Alt+K: the quick contact panel on this page, else the contact page. Alt+Z: the search box.
  var SHORTCUTS = { KeyK: "k", KeyZ: "z" };

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || !SHORTCUTS[event.code]) return;
    var key = SHORTCUTS[event.code];
    var target = document.querySelector('[data-shortcut="' + key + '"]');
    event.preventDefault();
    if (target) {
      var panel = target.closest("details");
      if (panel) panel.open = true;
      target.focus();
      if (target.select && target.type !== "select-one") target.select();
      if (target.scrollIntoView) target.scrollIntoView({ block: "center" });
      return;
    }
    var link = document.querySelector('[data-shortcut-link="' + key + '"]');
    if (link) window.location.href = link.href;
  });

  function focusFirstProblem(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); return true; }
    var invalid = root.querySelector('[aria-invalid="true"]');
    if (invalid) { invalid.focus(); return true; }
    return false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusFirstProblem(document);
  });

  // After htmx put new content in: lead the keyboard to the problem, or to where reading goes on.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.target;
    if (root && root.isConnected && root.querySelector && focusFirstProblem(root)) return;
    var next = document.querySelector("[data-focus-after-swap]");
    if (next) {
      next.removeAttribute("data-focus-after-swap");
      next.focus();
    }
  });

  // A server error: say so where messages appear, instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("messages");
    if (box) {
      box.innerHTML = '<p class="message message--error"></p>';
      box.firstChild.textContent = document.documentElement.getAttribute("data-error-text");
    }
  });
})();

// Mail in: a file dropped on the mail form is put in its file input and sent (without JS the
// form works as a plain file upload).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-mail-drop]").forEach(function (form) {
      var input = form.querySelector('input[type="file"]');
      ["dragenter", "dragover"].forEach(function (name) {
        form.addEventListener(name, function (event) { event.preventDefault(); form.classList.add("mail-drop--over"); });
      });
      form.addEventListener("dragleave", function () { form.classList.remove("mail-drop--over"); });
      form.addEventListener("drop", function (event) {
        event.preventDefault();
        form.classList.remove("mail-drop--over");
        if (!input || !event.dataTransfer || !event.dataTransfer.files.length) return;
        input.files = event.dataTransfer.files;
        form.submit();
      });
    });
  });
})();

// The header's "Meer" menu (a <details>, so it works without JS) closes on Escape, with the focus
// back on its summary, and when one clicks or tabs elsewhere.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var menu = document.querySelector(".main-nav__more details");
    if (!menu) return;
    var summary = menu.querySelector("summary");
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        summary.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
    menu.addEventListener("focusout", function (event) {
      if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) menu.open = false;
    });
  });
})();
