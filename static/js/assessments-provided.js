// The 数据提供单位's grid: each cell saves when left (change), a pasted block of cells saves in one
// request; a cell someone else changed meanwhile is shown with both values and never overwritten.
// A cell whose save failed says so in the cell, and leaving the page while a cell is being typed,
// is saving or failed to save asks first (beforeunload): nothing typed is lost without a warning.
(function () {
  "use strict";
  var grid = document.getElementById("provided-grid");
  if (!grid) { return; }
  var saveUrl = grid.getAttribute("data-save-url");
  var status = document.getElementById("grid-status");
  var csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]*)/) || [])[1] || "";
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (csrfInput) { csrf = csrfInput.value; }

  function cells() { return Array.prototype.slice.call(grid.querySelectorAll("input.lg-cell")); }
  function keyOf(input) { return input.dataset.r + ":" + input.dataset.i; }
  function find(r, i, p) { return grid.querySelector('input.lg-cell[data-r="' + r + '"][data-i="' + i + '"][data-p="' + p + '"]'); }
  function say(text, isError) {
    status.textContent = text;
    status.className = "small mb-2 " + (isError ? "text-danger fw-semibold" : "text-success");
  }
  function message(input, text, kind) {
    var td = input.parentNode;
    var box = td.querySelector(".lg-cell-message");
    td.classList.remove("lg-cell-error", "lg-cell-conflict");
    if (!text) { if (box) { box.remove(); } return null; }
    if (!box) { box = document.createElement("div"); box.className = "lg-cell-message"; td.appendChild(box); }
    box.textContent = text;
    td.classList.add(kind === "conflict" ? "lg-cell-conflict" : "lg-cell-error");
    return box;
  }
  // All cells of one value (a rate's two parts) share its version.
  function setVersion(r, i, v) {
    grid.querySelectorAll('input.lg-cell[data-r="' + r + '"][data-i="' + i + '"]').forEach(function (input) {
      input.dataset.v = String(v);
    });
  }
  function payload(input) {
    return { r: input.dataset.r, i: input.dataset.i, p: input.dataset.p, t: input.value, v: input.dataset.v };
  }

  function save(inputs) {
    if (!inputs.length) { return; }
    inputs.forEach(function (input) { input.classList.add("is-saving"); input.classList.remove("is-saved"); });
    say("正在保存 " + inputs.length + " 项……", false);
    fetch(saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ cells: inputs.map(payload) })
    }).then(function (response) {
      return response.json().catch(function () { return { error: "服务器返回异常（" + response.status + "），未保存。" }; });
    }).then(function (data) {
      inputs.forEach(function (input) { input.classList.remove("is-saving"); });
      if (data.error) {
        failed(inputs, "未保存：" + data.error);
        say(data.error + " 您填写的内容仍在表格中，请稍后重试。", true);
        return;
      }
      var saved = 0, problems = 0, conflicts = 0;
      data.cells.forEach(function (result) {
        var input = find(result.r, result.i, result.p);
        if (!input) { return; }
        if (result.conflict) {
          conflicts += 1;
          showConflict(input, result);
          return;
        }
        input.classList.remove("is-error");
        // Saved as typed, even with a problem to fix (an unreadable figure is kept with its error).
        if (result.ok) { setVersion(result.r, result.i, result.v); input.dataset.saved = input.value; }
        if (result.error) {
          problems += 1;
          message(input, result.error, "error");
        } else {
          saved += 1;
          message(input, "");
          input.classList.add("is-saved");
          input.dataset.saved = input.value;
        }
      });
      var text = "已保存 " + saved + " 项";
      if (problems) { text += "；" + problems + " 项有问题（已按原样保存，见红色单元格）"; }
      if (conflicts) { text += "；" + conflicts + " 项已被他人修改，未保存（见黄色单元格）"; }
      say(text + "。", problems > 0 || conflicts > 0);
    }).catch(function () {
      inputs.forEach(function (input) { input.classList.remove("is-saving"); });
      failed(inputs, "未保存：网络中断，请恢复后再次修改或粘贴。");
      say("网络中断，未保存。您填写的内容仍在表格中，恢复后请再次修改或粘贴。", true);
    });
  }

  // A save that did not reach the server: the cell keeps what was typed and says it is not saved.
  function failed(inputs, text) {
    inputs.forEach(function (input) { input.classList.add("is-error"); message(input, text, "error"); });
  }

  // Typed and not yet saved (still being typed, saving, failed, or left in a conflict).
  function unsaved() {
    return cells().filter(function (input) {
      return input.value !== input.dataset.saved || input.classList.contains("is-saving");
    });
  }

  window.addEventListener("beforeunload", function (event) {
    var pending = unsaved();
    if (!pending.length) { return; }
    say("有 " + pending.length + " 项尚未保存，离开本页将丢失。", true);
    event.preventDefault();
    event.returnValue = "有尚未保存的数据，确定离开吗？";
    return event.returnValue;
  });

  function showConflict(input, result) {
    var mine = input.value;
    var box = message(input, (result.by || "他人") + "已改为“" + (result.theirs || "（空）") + "”，您填的是“" + (mine || "（空）") + "”。", "conflict");
    var useTheirs = document.createElement("button");
    useTheirs.type = "button"; useTheirs.className = "btn btn-sm btn-outline-secondary"; useTheirs.textContent = "使用对方的值";
    var keepMine = document.createElement("button");
    keepMine.type = "button"; keepMine.className = "btn btn-sm btn-outline-primary"; keepMine.textContent = "保留我的值";
    box.appendChild(document.createElement("br"));
    box.appendChild(useTheirs); box.appendChild(keepMine);
    useTheirs.addEventListener("click", function () {
      input.value = result.theirs; input.dataset.saved = result.theirs;
      setVersion(result.r, result.i, result.v); message(input, "");
    });
    keepMine.addEventListener("click", function () {
      input.value = mine; setVersion(result.r, result.i, result.v); message(input, ""); save([input]);
    });
  }

  cells().forEach(function (input) { input.dataset.saved = input.value; });

  grid.addEventListener("change", function (event) {
    var input = event.target;
    if (input.classList && input.classList.contains("lg-cell") && input.value !== input.dataset.saved) { save([input]); }
  });

  // Enter and the arrow keys move as in a spreadsheet.
  grid.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("lg-cell")) { return; }
    var td = input.parentNode, tr = td.parentNode, column = Array.prototype.indexOf.call(tr.children, td);
    var target = null;
    if (event.key === "Enter" || event.key === "ArrowDown") { target = tr.nextElementSibling; }
    else if (event.key === "ArrowUp") { target = tr.previousElementSibling; }
    if (target) {
      var next = target.children[column] && target.children[column].querySelector("input.lg-cell");
      if (next) { event.preventDefault(); next.focus(); next.select(); }
    }
  });

  // A block copied from Excel: rows by newline, columns by tab, from the focused cell rightwards and down.
  grid.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("lg-cell")) { return; }
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (text.indexOf("\t") < 0 && text.indexOf("\n") < 0) { return; } // one value: the browser pastes it
    event.preventDefault();
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
    var td = input.parentNode, tr = td.parentNode;
    var start = Array.prototype.indexOf.call(tr.children, td);
    var changed = [], skipped = 0;
    lines.forEach(function (line) {
      if (!tr) { skipped += line.split("\t").length; return; }
      line.split("\t").forEach(function (value, offset) {
        var cell = tr.children[start + offset];
        var target = cell && cell.querySelector("input.lg-cell");
        if (!target || target.disabled) { if (value.trim()) { skipped += 1; } return; }
        target.value = value.trim();
        if (target.value !== target.dataset.saved) { changed.push(target); }
      });
      tr = tr.nextElementSibling;
    });
    save(changed);
    if (skipped) { say("有 " + skipped + " 个值落在表格之外或不适用的单元格，未粘贴。", true); }
  });
})();
