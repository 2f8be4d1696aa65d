// The planning board (rooms x days): drag a booking to another room or day and drop it; the drop
// posts the booking's "Verplaatsen" form (the same rules as on the booking page, hours kept).
// Without JavaScript, or by keyboard, the booking page's form does the same.
(function () {
  "use strict";
  var board = document.querySelector("[data-move-board]");
  var form = document.getElementById("room-board-move");
  if (!board || !form) return;
  var dragged = null;
  var target = null;

  function mark(cell) {
    if (target === cell) return;
    if (target) target.classList.remove("room-board__cell--drop");
    target = cell;
    if (target) target.classList.add("room-board__cell--drop");
  }

  board.addEventListener("dragstart", function (event) {
    var block = event.target.closest ? event.target.closest("[data-move]") : null;
    if (!block) return;
    dragged = block;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", block.textContent.trim());
    block.classList.add("room-board__booking--dragging");
  });

  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("room-board__booking--dragging");
    dragged = null;
    mark(null);
  });

  board.addEventListener("dragover", function (event) {
    var cell = event.target.closest ? event.target.closest("[data-day]") : null;
    if (!dragged || !cell) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    mark(cell);
  });

  board.addEventListener("drop", function (event) {
    var cell = event.target.closest ? event.target.closest("[data-day]") : null;
    if (!dragged || !cell) return;
    event.preventDefault();
    var block = dragged;
    mark(null);
    if (cell === block.closest("[data-day]")) return; // dropped where it was
    form.action = block.dataset.move;
    form.elements.room.value = cell.dataset.room;
    form.elements.date.value = cell.dataset.day;
    form.elements.start.value = block.dataset.start;
    form.elements.end.value = block.dataset.end;
    block.setAttribute("aria-busy", "true");
    form.submit();
  });
})();
