/*
 * 12333 agent console: search as you type (GET /api/search), browse the ten packages
 * (GET /api/packages), show one sub-service, copy its plain-text answer, print its checklist.
 * Reads the knowledge base through this site's API only; it never calls the bot.
 * All text goes on the page with textContent.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  var q = document.getElementById("q");
  var clearButton = document.getElementById("clear");
  var form = document.getElementById("search-form");
  var statusLine = document.getElementById("status");
  var results = document.getElementById("results");
  var packagesBox = document.getElementById("packages");
  var sideHeading = document.getElementById("side-heading");
  var detail = document.getElementById("detail");
  var todayLine = document.getElementById("today");

  var timer = null;
  var sequence = 0;
  var controller = null;
  var currentId = null;
  var lastResults = [];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function clearNode(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function getJson(url, signal) {
    return fetch(url, { signal: signal, headers: { Accept: "application/json" } }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { throw new Error(body.error || ("HTTP " + r.status)); }
        return body;
      });
    });
  }

  function setStatus(text, isError) {
    statusLine.textContent = text || "";
    statusLine.classList.toggle("error", !!isError);
  }

  function showToday(isoDay) {
    if (!isoDay) { return; }
    var parts = isoDay.split("-");
    todayLine.textContent = "今天：" + Number(parts[1]) + "月" + Number(parts[2]) + "日";
  }

  // ───────────────────────── browse ─────────────────────────
  function itemButton(item, extraClass) {
    var b = el("button", "item-link" + (extraClass ? " " + extraClass : ""), item.name);
    b.type = "button";
    b.setAttribute("data-id", item.id);
    b.addEventListener("click", function () { openItem(item.id, true); });
    return b;
  }

  function loadPackages() {
    getJson("/api/packages").then(function (body) {
      showToday(body.day);
      clearNode(packagesBox);
      body.packages.forEach(function (p) {
        var box = el("details");
        var summary = el("summary");
        summary.appendChild(el("span", "ordinal", p.ordinal));
        summary.appendChild(document.createTextNode(p.name));
        box.appendChild(summary);
        var list = el("ul");
        p.items.forEach(function (item) {
          var li = el("li");
          li.appendChild(itemButton(item));
          list.appendChild(li);
        });
        box.appendChild(list);
        packagesBox.appendChild(box);
      });
      markCurrent();
    }).catch(function () {
      clearNode(packagesBox);
      packagesBox.appendChild(el("p", "status error", "无法加载服务包列表，请刷新页面重试。"));
    });
  }

  // ───────────────────────── search ─────────────────────────
  function showBrowse() {
    results.hidden = true;
    packagesBox.hidden = false;
    sideHeading.textContent = "按服务包浏览";
    setStatus("");
  }

  function hoursBadge(item, className) {
    if (!item.hours) { return null; }
    var open = item.hours.open_today;
    var label = (open ? "今天可办理" : "今天不办理") + "（" + item.hours.text + "）";
    return el("span", className + " " + (open ? "open" : "closed"), label);
  }

  function renderResults(query, list) {
    lastResults = list;
    clearNode(results);
    results.hidden = false;
    packagesBox.hidden = true;
    sideHeading.textContent = "搜索结果";
    if (!list.length) {
      setStatus("没有找到与“" + query + "”相关的事项。请换个说法，或清除搜索后按服务包浏览。");
      return;
    }
    setStatus("找到 " + list.length + " 个相关事项");
    // 失业金 is package 6's and package 7's: where results come from several packages, each says
    // whom it serves, in the guide's words, as the chat does
    var packages = {};
    list.forEach(function (item) { packages[item.package.id] = true; });
    var severalPackages = Object.keys(packages).length > 1;
    list.forEach(function (item) {
      var li = el("li");
      var b = el("button", "hit");
      b.type = "button";
      b.setAttribute("data-id", item.id);
      b.appendChild(el("span", "hit-pkg", item.package.ordinal + " " + item.package.name));
      b.appendChild(el("span", "hit-name", item.name));
      b.appendChild(el("span", "hit-place", item.place_lines.join("；")));
      if (severalPackages) { b.appendChild(el("span", "hit-audience", "服务对象：" + item.audience)); }
      var badge = hoursBadge(item, "hit-badge");
      if (badge) { b.appendChild(badge); }
      b.addEventListener("click", function () { showItem(item, true); });
      li.appendChild(b);
      results.appendChild(li);
    });
  }

  function runSearch(immediateOpen) {
    var query = q.value.trim();
    clearTimeout(timer);
    if (controller) { controller.abort(); }
    if (!query) {
      sequence++;
      showBrowse();
      return;
    }
    var mine = ++sequence;
    controller = typeof AbortController === "function" ? new AbortController() : null;
    setStatus("正在搜索…");
    getJson("/api/search?q=" + encodeURIComponent(query.slice(0, 200)), controller && controller.signal)
      .then(function (body) {
        if (mine !== sequence) { return; }
        showToday(body.day);
        renderResults(query, body.results);
        if (body.results.length) { showItem(body.results[0], !!immediateOpen); }
      })
      .catch(function (error) {
        if (mine !== sequence || (error && error.name === "AbortError")) { return; }
        results.hidden = false;
        packagesBox.hidden = true;
        clearNode(results);
        setStatus("搜索失败：" + (error && error.message ? error.message : "知识库服务无法访问"), true);
      });
  }

  q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { runSearch(false); }, DEBOUNCE_MS);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    runSearch(false);
  });
  q.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      var first = results.hidden ? packagesBox.querySelector("summary") : results.querySelector("button");
      if (first) { event.preventDefault(); first.focus(); }
    } else if (event.key === "Escape") {
      event.preventDefault();
      q.value = "";
      runSearch(false);
    }
  });
  results.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
    var buttons = Array.prototype.slice.call(results.querySelectorAll("button"));
    var index = buttons.indexOf(document.activeElement);
    if (index < 0) { return; }
    event.preventDefault();
    if (event.key === "ArrowDown" && index < buttons.length - 1) { buttons[index + 1].focus(); }
    if (event.key === "ArrowUp") { (index > 0 ? buttons[index - 1] : q).focus(); }
  });
  clearButton.addEventListener("click", function () {
    q.value = "";
    runSearch(false);
    q.focus();
  });

  // ───────────────────────── one sub-service ─────────────────────────
  function markCurrent() {
    Array.prototype.forEach.call(document.querySelectorAll(".hit, .item-link"), function (b) {
      if (b.getAttribute("data-id") === currentId) {
        b.setAttribute("aria-current", "true");
      } else {
        b.removeAttribute("aria-current");
      }
    });
  }

  function openItem(id, focus) {
    getJson("/api/items/" + encodeURIComponent(id)).then(function (item) {
      showItem(item, focus);
    }).catch(function (error) {
      setStatus("无法打开该事项：" + (error && error.message ? error.message : ""), true);
    });
  }

  function section(title) {
    var s = el("section");
    s.appendChild(el("h3", null, title));
    return s;
  }

  function list(tag, lines, className) {
    var node = el(tag, className);
    lines.forEach(function (line) { node.appendChild(el("li", null, line)); });
    return node;
  }

  function showItem(item, focus) {
    currentId = item.id;
    markCurrent();
    if (history.replaceState) { history.replaceState(null, "", "#" + encodeURIComponent(item.id)); }
    showToday(item.day);
    clearNode(detail);

    detail.appendChild(el("p", "detail-pkg", item.package.source));
    var heading = el("h2", "detail-title", item.name);
    heading.id = "detail-title";
    detail.appendChild(heading);

    var actions = el("div", "actions");
    var copyButton = el("button", "btn btn-primary", "复制答复");
    copyButton.type = "button";
    copyButton.id = "copy-answer";
    copyButton.setAttribute("aria-describedby", "copy-status");
    var printLink = el("a", "btn", "打印材料清单");
    printLink.href = "/agent/print/" + encodeURIComponent(item.id);
    printLink.target = "_blank";
    printLink.rel = "noopener";
    var copied = el("span", "copied");
    copied.id = "copy-status";
    copied.setAttribute("role", "status");
    actions.appendChild(copyButton);
    actions.appendChild(printLink);
    actions.appendChild(copied);
    detail.appendChild(actions);

    var where = section("办理地点");
    where.appendChild(list("ul", item.place_lines, "plain"));
    if (item.windows.length) {
      where.appendChild(el("p", "windows", "窗口：" + item.windows.join("、") + "号"));
    }
    detail.appendChild(where);

    var when = section("办理时间");
    var badge = hoursBadge(item, "badge");
    if (badge) { when.appendChild(badge); }
    when.appendChild(list("ul", item.hours_lines, "plain"));
    detail.appendChild(when);

    var materials = section("所需材料");
    if (item.materials.length) {
      var checklist = el("ul", "checklist");
      item.materials.forEach(function (m, i) {
        var li = el("li");
        var label = el("label");
        var box = el("input");
        box.type = "checkbox";
        box.id = "material-" + i;
        label.appendChild(box);
        label.appendChild(el("span", null, m.label));
        li.appendChild(label);
        checklist.appendChild(li);
      });
      materials.appendChild(checklist);
    } else {
      materials.appendChild(el("p", null, item.materials_note));
    }
    if (item.note) { materials.appendChild(el("p", null, "说明：" + item.note)); }
    detail.appendChild(materials);

    var steps = section("办理流程");
    var lines = item.steps.slice();
    if (item.see_also) { lines.push(item.see_also); }
    steps.appendChild(list(lines.length > 1 ? "ol" : "ul", lines, lines.length > 1 ? null : "plain"));
    var routes = [];
    if (item.online) { routes.push("网上办理：" + item.online.text); }
    if (item.phone) { routes.push("电话办理：" + item.phone.text); }
    if (item.duration) { routes.push("办理时限：" + item.duration); }
    if (routes.length) { steps.appendChild(list("ul", routes, "plain")); }
    detail.appendChild(steps);

    var audience = section("服务对象");
    audience.appendChild(el("p", null, item.audience));
    detail.appendChild(audience);

    var answer = el("details", "answer-text");
    answer.appendChild(el("summary", null, "答复全文（用于朗读或短信）"));
    var answerText = el("textarea");
    answerText.readOnly = true;
    answerText.value = item.answer;
    answerText.setAttribute("aria-label", "答复全文");
    answer.appendChild(answerText);
    detail.appendChild(answer);

    detail.appendChild(el("p", "source", item.source));

    copyButton.addEventListener("click", function () {
      copyText(item.answer).then(function () {
        copied.classList.remove("error");
        copied.textContent = "已复制";
        setTimeout(function () { if (copied.textContent === "已复制") { copied.textContent = ""; } }, 4000);
      }, function () {
        copied.classList.add("error");
        copied.textContent = "无法自动复制，请在下方全文中按 Ctrl+C 复制";
        answer.open = true;
        answerText.focus();
        answerText.select();
      });
    });

    if (focus) { detail.focus({ preventScroll: false }); }
  }

  // ───────────────────────── clipboard ─────────────────────────
  function fallbackCopy(text) {
    var active = document.activeElement;
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "sr-only";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    if (active && active.focus) { active.focus(); }
    return ok;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        if (!fallbackCopy(text)) { throw new Error("copy failed"); }
      });
    }
    return fallbackCopy(text) ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  // ───────────────────────── start ─────────────────────────
  loadPackages();
  var initial = decodeURIComponent((location.hash || "").slice(1));
  if (/^[a-z0-9_]{1,80}$/.test(initial)) { openItem(initial, false); }
  q.focus();
})();
