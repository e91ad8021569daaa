/* Data-entry page of an annual return: live rates, character counts, autosave status, conflict
   display and the unsaved-changes warning. Autosave itself is htmx (attributes in the templates);
   this file only adds what htmx does not. No inline scripts: CSP script-src 'self'. */
(function () {
  "use strict";

  var FULL_WIDTH = /[\uFF10-\uFF19\uFF0C\uFF0E]/g;

  function toHalfWidth(text) {
    return text.replace(FULL_WIDTH, function (ch) {
      if (ch === "\uFF0C") return ",";
      if (ch === "\uFF0E") return ".";
      return String.fromCharCode(ch.charCodeAt(0) - 0xFEE0);
    });
  }

  /* The same reading as the server's parser, loosely: digits with separators and a unit. */
  function readNumber(text) {
    var cleaned = toHalfWidth(String(text || "")).replace(/\s+/g, "").replace(/,/g, "");
    var match = /^(\d+(?:\.\d+)?)[^\d.]*$/.exec(cleaned);
    return match ? Number(match[1]) : null;
  }

  /* Rates: 2 decimals, half up, like indicators/rates.py; 0 denominator = no such cases; one part
     alone is a figure of its own, and the rate cannot be computed (never 0% or 100%). */
  function formatRate(numerator, denominator) {
    if (numerator === null && denominator === null) return "—";
    if (denominator === 0) return "无此类事项";
    if (numerator === null || denominator === null) return "无法计算";
    if (numerator > denominator) return "分子大于分母";
    var hundredths = Math.round((numerator * 10000) / denominator + 1e-9);
    var text = (hundredths / 100).toFixed(2).replace(/\.?0+$/, "");
    return text + "%";
  }

  function updateRate(container) {
    var top = container.querySelector('[data-rate-part="numerator"]');
    var bottom = container.querySelector('[data-rate-part="denominator"]');
    var output = container.querySelector("[data-rate-output]");
    if (top && bottom && output) output.textContent = formatRate(readNumber(top.value), readNumber(bottom.value));
  }

  /* 不适用 / 暂无数据: the figure's inputs step aside (kept, and sent, so nothing typed is lost)
     and the reason box appears. */
  function updateState(container) {
    var form = container.closest("form");
    var chosen = container.querySelector('input[name="state"]:checked');
    var isState = Boolean(chosen && chosen.value);
    var figure = form && form.querySelector("[data-figure]");
    var reason = container.querySelector("[data-state-reason]");
    if (figure) figure.hidden = isState;
    if (reason) reason.hidden = !isState;
  }

  function updateCount(textarea) {
    var output = textarea.parentElement.querySelector("[data-count-output]");
    if (!output) return;
    var limit = Number(textarea.getAttribute("data-count"));
    var length = textarea.value.trim().length;
    output.textContent = length + " / " + limit + " 字";
    /* Red from the limit on: one more character and the save is refused (the text stays here). */
    output.classList.toggle("text-danger", length >= limit);
    output.classList.toggle("fw-semibold", length > limit);
  }

  function pageStatus(text, tone) {
    var status = document.getElementById("lg-page-status");
    if (!status) return;
    status.textContent = text;
    status.className = "small " + (tone || "text-muted");
  }

  function dirtyForms() {
    return document.querySelectorAll("form[data-autosave][data-dirty]");
  }

  /* What each form held when it was loaded or last saved. Only a difference from it is unsaved:
     leaving a field fires `change` again after the autosave has stored it, and that must neither
     mark the form dirty nor make leaving the page warn. */
  var NOT_CONTENT = { version: true, csrfmiddlewaretoken: true, keep_mine: true };
  var savedContent = new WeakMap();

  function contentOf(formData) {
    var parts = [];
    formData.forEach(function (value, name) {
      if (!NOT_CONTENT[name]) parts.push(name + "=" + value);
    });
    return parts.join("&");
  }

  function rememberSaved(form, formData) {
    savedContent.set(form, contentOf(formData || new FormData(form)));
  }

  function differsFromSaved(form) {
    return !savedContent.has(form) || savedContent.get(form) !== contentOf(new FormData(form));
  }

  function markDirty(form) {
    if (!differsFromSaved(form)) {
      form.removeAttribute("data-dirty");
      return;
    }
    form.setAttribute("data-dirty", "1");
    var status = form.querySelector(".lg-save-status");
    if (status) status.textContent = "正在输入…";
    pageStatus("有未保存的修改", "text-warning-emphasis");
  }

  function init(root) {
    if (root.matches && root.matches("form[data-autosave]")) rememberSaved(root);
    root.querySelectorAll("form[data-autosave]").forEach(function (form) {
      if (!savedContent.has(form)) rememberSaved(form);
    });
    root.querySelectorAll("[data-rate]").forEach(updateRate);
    root.querySelectorAll("[data-state]").forEach(updateState);
    root.querySelectorAll("textarea[data-count]").forEach(updateCount);
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    var rate = target.closest("[data-rate]");
    if (rate) updateRate(rate);
    if (target.matches("textarea[data-count]")) updateCount(target);
    var form = target.closest("form[data-autosave]");
    if (form) markDirty(form);
  });
  document.addEventListener("change", function (event) {
    var state = event.target.closest("[data-state]");
    if (state) updateState(state);
    var form = event.target.closest("form[data-autosave]");
    if (form) markDirty(form);
  });

  /* 409 and 422 answers are swapped by static/js/htmx-swap.js (every page). */

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form[data-autosave]") : null;
    var config = event.detail.requestConfig;
    if (!form || (config && config.verb !== "post")) return; /* loading a panel is not a save */
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 200) {
      /* What was sent is what is saved; anything typed since the request left stays unsaved. */
      rememberSaved(form, config && config.formData);
      if (!differsFromSaved(form)) form.removeAttribute("data-dirty");
      /* A new warning asks for an explanation: open the 情况说明 box next to it. */
      var details = form.querySelector("details");
      if (details && /情况说明/.test((form.querySelector(".lg-problems") || {}).textContent || "")) details.open = true;
      /* The time the server stamped (China time), not the browser's clock. */
      var line = form.querySelector(".lg-save-status");
      var stamp = line && /\d{2}:\d{2}/.exec(line.textContent);
      if (!dirtyForms().length) pageStatus("全部修改已保存 " + (stamp ? stamp[0] : ""), "text-success");
    } else if (status === 409) {
      pageStatus("有与他人修改冲突的项目，请处理", "text-danger");
    } else if (status === 422) {
      pageStatus("有未能保存的内容，请查看提示", "text-danger");
    } else if (status === 403) {
      pageStatus("这份填报已不能修改（可能已提交或锁定），请刷新页面", "text-danger");
    } else {
      var failed = form.querySelector(".lg-save-status");
      if (failed) failed.innerHTML = '<span class="text-danger">保存失败（网络或服务器问题），内容仍在页面上，请稍后点“保存”重试</span>';
      pageStatus("有未保存的修改", "text-danger");
    }
  });

  document.body.addEventListener("htmx:afterSwap", function (event) { init(event.detail.target || document); });
  document.body.addEventListener("htmx:load", function (event) { init(event.detail.elt || document); });

  window.addEventListener("beforeunload", function (event) {
    if (dirtyForms().length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  /* Links to a field (#ind-12, from the checklist or the problem list) open its tab first. */
  function revealHash() {
    if (!location.hash || location.hash.length < 2) return;
    var target = document.getElementById(location.hash.slice(1));
    if (!target) return;
    var pane = target.closest(".tab-pane");
    if (pane && window.bootstrap) {
      var button = document.querySelector('[data-bs-target="#' + pane.id + '"]');
      if (button) window.bootstrap.Tab.getOrCreateInstance(button).show();
    }
    target.scrollIntoView({ block: "center" });
    var input = target.querySelector("input:not([type=hidden]), textarea, select");
    if (input) input.focus({ preventScroll: true });
  }
  window.addEventListener("hashchange", revealHash);

  init(document);
  revealHash();
})();
