/*
 * 抚顺人社快办助手 — citizen chat widget.
 *
 * Embed with one tag (see docs/web.md):
 *   <script src="https://example.gov.cn/static/widget.js" data-bot-url="https://bot.example.gov.cn"
 *           data-title="抚顺人社快办助手" data-color="#c00000"></script>
 *
 * Talks to Rasa's REST channel: POST {sender, message} to `${botUrl}/webhooks/rest/webhook`,
 * which answers with a list of {text?, buttons?: [{title, payload}]}.
 * Safety: every bot or user string is put on the page with textContent, never as HTML.
 * No third-party requests: only the bot URL, this widget's own CSS and its /api/feedback.
 */
(function () {
  "use strict";

  if (window.FushunChat) {
    return; // loaded twice on the same page
  }

  var script = document.currentScript || (function () {
    var all = document.querySelectorAll("script[src*='widget.js']");
    return all[all.length - 1];
  })();
  var data = (script && script.dataset) || {};
  var scriptUrl = new URL((script && script.src) || "widget.js", document.baseURI);

  function clean(value, fallback) {
    value = typeof value === "string" ? value.trim() : "";
    return value || fallback;
  }

  var config = {
    botUrl: clean(data.botUrl, scriptUrl.origin).replace(/\/+$/, ""),
    title: clean(data.title, "抚顺人社快办助手"),
    color: /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(clean(data.color, "")) ? data.color.trim() : "#c00000",
    apiUrl: clean(data.apiUrl, scriptUrl.origin).replace(/\/+$/, ""),
    cssUrl: clean(data.css, new URL("widget.css", scriptUrl).href),
    hotline: clean(data.hotline, "12333"),
    greeting: clean(data.greeting,
      "您好！我可以解答社保卡、失业、退休、工伤等业务的办理材料、地点、时间和流程。请直接输入您的问题，例如：社保卡丢了怎么办？"),
    suggestions: clean(data.suggestions, "社保卡丢了怎么办|失业保险金怎么领|丧葬补助金申领要带什么")
      .split("|").map(function (s) { return s.trim(); }).filter(Boolean).slice(0, 6),
    timeoutMs: parseInt(clean(data.timeout, "20000"), 10) || 20000
  };

  var MAX_ENTRIES = 80;
  var MAX_INPUT = 500;
  var prefix = "fsrs-chat:" + config.botUrl + ":";

  // ───────────────────────── storage (falls back to memory) ─────────────────────────
  var memory = {};
  function storage(kind) {
    try {
      var s = window[kind];
      var probe = prefix + "probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return {
        getItem: function (k) { return Object.prototype.hasOwnProperty.call(memory, k) ? memory[k] : null; },
        setItem: function (k, v) { memory[k] = String(v); },
        removeItem: function (k) { delete memory[k]; }
      };
    }
  }
  var local = storage("localStorage");
  var session = storage("sessionStorage");

  function newSenderId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function loadTranscript() {
    try {
      var list = JSON.parse(local.getItem(prefix + "transcript") || "[]");
      if (!Array.isArray(list)) { return []; }
      return list.filter(function (e) {
        return e && (e.from === "user" || e.from === "bot") && typeof e.text === "string";
      });
    } catch (e) {
      return [];
    }
  }

  var sender = local.getItem(prefix + "sender");
  if (!sender || !/^[\w-]{8,64}$/.test(sender)) {
    sender = newSenderId();
    local.setItem(prefix + "sender", sender);
  }
  var transcript = loadTranscript();
  transcript.forEach(function (e) {
    if (e.from === "user" && e.status === "sending") { e.status = "failed"; } // reloaded mid-request
  });

  function save() {
    if (transcript.length > MAX_ENTRIES) { transcript = transcript.slice(-MAX_ENTRIES); }
    try {
      local.setItem(prefix + "transcript", JSON.stringify(transcript, function (key, value) {
        return key.charAt(0) === "_" ? undefined : value;
      }));
    } catch (e) { /* quota: keep going in memory */ }
  }

  // ───────────────────────── DOM helpers (text only, never HTML) ─────────────────────────
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function attrs(node, map) {
    Object.keys(map).forEach(function (k) { node.setAttribute(k, map[k]); });
    return node;
  }
  function button(className, text, label) {
    var b = attrs(el("button", className, text), { type: "button" });
    if (label) { b.setAttribute("aria-label", label); }
    return b;
  }

  // ───────────────────────── build the widget ─────────────────────────
  var root = attrs(el("div", "fsrs-chat"), { "data-fsrs-chat": "" });
  root.style.setProperty("--fsrs-color", config.color);
  root.hidden = true; // shown once the stylesheet has loaded (no flash of unstyled widget)

  var launcher = attrs(button("fsrs-launcher", null, "在线咨询：" + config.title), {
    "aria-haspopup": "dialog", "aria-expanded": "false", "aria-controls": "fsrs-chat-panel"
  });
  launcher.appendChild(attrs(el("span", "fsrs-launcher-icon", "💬"), { "aria-hidden": "true" }));
  launcher.appendChild(el("span", "fsrs-launcher-text", "在线咨询"));

  var panel = attrs(el("section", "fsrs-panel"), {
    id: "fsrs-chat-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "fsrs-chat-title"
  });
  panel.hidden = true;

  var header = el("header", "fsrs-header");
  var title = attrs(el("h2", "fsrs-title", config.title), { id: "fsrs-chat-title" });
  var careButton = attrs(button("fsrs-care-toggle", "关怀模式"), { "aria-pressed": "false", title: "大字体、高对比度" });
  var newButton = button("fsrs-new", "新对话", "清空记录，开始新对话");
  var closeButton = button("fsrs-close", "×", "关闭在线咨询");
  header.appendChild(title);
  header.appendChild(careButton);
  header.appendChild(newButton);
  header.appendChild(closeButton);

  var scroller = el("div", "fsrs-scroll");
  var log = attrs(el("div", "fsrs-log"), {
    role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "对话记录", tabindex: "0"
  });
  var typing = attrs(el("div", "fsrs-typing"), { role: "status" });
  typing.hidden = true;
  var dots = attrs(el("span", "fsrs-dots"), { "aria-hidden": "true" });
  dots.appendChild(el("span"));
  dots.appendChild(el("span"));
  dots.appendChild(el("span"));
  typing.appendChild(dots);
  typing.appendChild(el("span", "fsrs-sr-only", "助手正在输入"));

  var errorBox = attrs(el("div", "fsrs-error"), { role: "alert" });
  errorBox.hidden = true;
  var errorText = el("p", "fsrs-error-text");
  var retryButton = button("fsrs-retry", "重试发送");
  var hotlineLink = attrs(el("a", "fsrs-hotline", "拨打 " + config.hotline), { href: "tel:" + config.hotline });
  var errorActions = el("p", "fsrs-error-actions");
  errorActions.appendChild(retryButton);
  errorActions.appendChild(hotlineLink);
  errorBox.appendChild(errorText);
  errorBox.appendChild(errorActions);

  scroller.appendChild(log);
  scroller.appendChild(typing);
  scroller.appendChild(errorBox);

  var form = attrs(el("form", "fsrs-form"), { novalidate: "" });
  var inputLabel = attrs(el("label", "fsrs-sr-only", "输入您的问题"), { "for": "fsrs-chat-input" });
  var input = attrs(el("textarea", "fsrs-input"), {
    id: "fsrs-chat-input", rows: "1", maxlength: String(MAX_INPUT), placeholder: "请输入您的问题",
    enterkeyhint: "send", autocomplete: "off"
  });
  var sendButton = attrs(el("button", "fsrs-send", "发送"), { type: "submit" });
  form.appendChild(inputLabel);
  form.appendChild(input);
  form.appendChild(sendButton);

  var foot = el("p", "fsrs-foot");
  foot.appendChild(el("span", "fsrs-foot-source", "答复依据《抚顺市人社服务快办行动打包办服务指南（试行）》。"));
  foot.appendChild(el("span", "fsrs-foot-hotline", "人工咨询请拨打 " + config.hotline + "。"));

  panel.appendChild(header);
  panel.appendChild(scroller);
  panel.appendChild(form);
  panel.appendChild(foot);
  root.appendChild(launcher);
  root.appendChild(panel);

  // ───────────────────────── rendering ─────────────────────────
  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  function lastQuickReplyIndex() {
    for (var i = transcript.length - 1; i >= 0; i--) {
      if (transcript[i].from === "user") { return -1; }
      if (transcript[i].buttons && transcript[i].buttons.length) { return i; }
    }
    return -1;
  }

  function quickReplies(choices, onChoose) {
    var group = attrs(el("div", "fsrs-quick"), { role: "group", "aria-label": "可选问题" });
    choices.forEach(function (choice) {
      var b = button("fsrs-quick-button", choice.title);
      b.addEventListener("click", function () { onChoose(choice); });
      group.appendChild(b);
    });
    return group;
  }

  function ratingBar(entry) {
    var bar = attrs(el("div", "fsrs-rate"), { role: "group", "aria-label": "这条答复有帮助吗？" });
    var up = attrs(button("fsrs-rate-up", "👍", "有帮助"), { "aria-pressed": String(entry.rating === "up") });
    var down = attrs(button("fsrs-rate-down", "👎", "没帮助"), { "aria-pressed": String(entry.rating === "down") });
    var note = attrs(el("span", "fsrs-rate-note", entry.rating ? "感谢您的反馈" : ""), { "aria-live": "polite" });
    if (entry.rating) { up.disabled = true; down.disabled = true; }
    function rate(value) {
      up.disabled = true;
      down.disabled = true;
      note.textContent = "正在提交…";
      postFeedback(entry, value).then(function () {
        entry.rating = value;
        save();
        (value === "up" ? up : down).setAttribute("aria-pressed", "true");
        note.textContent = "感谢您的反馈";
      }, function () {
        up.disabled = false;
        down.disabled = false;
        note.textContent = "反馈未能提交，请稍后再试";
      });
    }
    up.addEventListener("click", function () { rate("up"); });
    down.addEventListener("click", function () { rate("down"); });
    bar.appendChild(up);
    bar.appendChild(down);
    bar.appendChild(note);
    return bar;
  }

  function renderEntry(entry, index) {
    var who = entry.from === "user" ? "您" : "助手";
    var node = el("div", "fsrs-msg fsrs-msg-" + entry.from + (entry.status === "failed" ? " fsrs-msg-failed" : ""));
    node.appendChild(el("span", "fsrs-sr-only", who + "："));
    if (entry.text) {
      node.appendChild(el("div", "fsrs-bubble", entry.text));
    }
    if (entry.from === "user" && entry.status === "failed") {
      node.appendChild(el("span", "fsrs-msg-state", "未发送"));
    }
    if (entry.from === "bot" && entry.buttons && entry.buttons.length && index === lastQuickReplyIndex()) {
      node.appendChild(quickReplies(entry.buttons, function (choice) {
        send(choice.payload, choice.title);
      }));
    }
    if (entry.from === "bot" && entry.text && !entry.note) {
      node.appendChild(ratingBar(entry));
    }
    entry._node = node;
    return node;
  }

  function greetingNode() {
    var node = el("div", "fsrs-msg fsrs-msg-bot fsrs-greeting");
    node.appendChild(el("span", "fsrs-sr-only", "助手："));
    node.appendChild(el("div", "fsrs-bubble", config.greeting));
    if (config.suggestions.length && !transcript.length) {
      node.appendChild(quickReplies(config.suggestions.map(function (s) {
        return { title: s, payload: s };
      }), function (choice) { send(choice.payload, choice.title); }));
    }
    return node;
  }

  function renderAll() {
    while (log.firstChild) { log.removeChild(log.firstChild); }
    log.appendChild(greetingNode());
    transcript.forEach(function (entry, i) { log.appendChild(renderEntry(entry, i)); });
    var failed = lastFailed();
    if (failed) { showError(failed); } else { hideError(); }
    scrollToEnd();
  }

  function removeQuickReplies() {
    Array.prototype.forEach.call(log.querySelectorAll(".fsrs-quick"), function (group) {
      group.parentNode.removeChild(group);
    });
  }

  function append(entry) {
    transcript.push(entry);
    log.appendChild(renderEntry(entry, transcript.length - 1));
    scrollToEnd();
  }

  function refresh(entry) {
    var index = transcript.indexOf(entry);
    if (index < 0 || !entry._node) { return; }
    var old = entry._node;
    old.parentNode.replaceChild(renderEntry(entry, index), old);
  }

  // ───────────────────────── talking to the bot ─────────────────────────
  var busy = false;
  var failedEntry = null;

  function lastFailed() {
    var last = transcript[transcript.length - 1];
    return last && last.from === "user" && last.status === "failed" ? last : null;
  }

  function showError(entry) {
    failedEntry = entry;
    errorText.textContent = "暂时无法连接在线助手，您的消息还没有发出。请点击“重试发送”，或拨打人社服务热线 " + config.hotline + "。";
    errorBox.hidden = false;
    scrollToEnd();
  }

  function hideError() {
    failedEntry = null;
    errorBox.hidden = true;
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    sendButton.disabled = value;
    root.classList.toggle("fsrs-busy", value);
    if (value) { scrollToEnd(); }
  }

  function parseReplies(list) {
    if (!Array.isArray(list)) { throw new Error("unexpected reply"); }
    var replies = [];
    list.forEach(function (m) {
      if (!m || typeof m !== "object") { return; }
      var text = typeof m.text === "string" ? m.text : "";
      var buttons = Array.isArray(m.buttons) ? m.buttons.filter(function (b) {
        return b && typeof b.title === "string" && b.title;
      }).map(function (b) {
        return { title: b.title, payload: typeof b.payload === "string" && b.payload ? b.payload : b.title };
      }).slice(0, 12) : [];
      if (text || buttons.length) { replies.push({ text: text, buttons: buttons }); }
    });
    return replies;
  }

  function request(entry) {
    hideError();
    entry.status = "sending";
    refresh(entry);
    save();
    setBusy(true);
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) { controller.abort(); } }, config.timeoutMs);
    return fetch(config.botUrl + "/webhooks/rest/webhook", {
      method: "POST",
      // X-Sender-Id lets a load balancer keep a conversation on one Rasa instance
      headers: { "Content-Type": "application/json", "X-Sender-Id": sender },
      body: JSON.stringify({ sender: sender, message: entry.payload }),
      credentials: "omit",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      // 429: the bot's own polite "too fast" reply, shown like any answer
      if (!response.ok && response.status !== 429) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(parseReplies).then(function (replies) {
      clearTimeout(timer);
      entry.status = "sent";
      refresh(entry);
      if (!replies.length) {
        append({ from: "bot", note: true, text: "助手暂时没有答复，请换个说法，或拨打人社服务热线 " + config.hotline + "。" });
      }
      replies.forEach(function (r) {
        append({ from: "bot", text: r.text, buttons: r.buttons, question: entry.text });
      });
      save();
      setBusy(false);
    }).catch(function () {
      clearTimeout(timer);
      entry.status = "failed";
      refresh(entry);
      save();
      setBusy(false);
      showError(entry);
    });
  }

  function send(payload, shown) {
    payload = String(payload || "").trim().slice(0, MAX_INPUT);
    if (!payload || busy) { return false; }
    removeQuickReplies();
    var previous = lastFailed();
    if (previous) { previous.status = "failed"; } // a newer message replaces the retry
    var entry = { from: "user", text: String(shown || payload), payload: payload, status: "sending" };
    append(entry);
    save();
    request(entry);
    return true;
  }

  function postFeedback(entry, rating) {
    return fetch(config.apiUrl + "/api/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "omit",
      body: JSON.stringify({
        sender: sender, question: entry.question || "", answer: entry.text, rating: rating
      })
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
    });
  }

  // ───────────────────────── open, close, care mode, new chat ─────────────────────────
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 479.98px)") : { matches: false };

  function fitViewport() {
    var vv = window.visualViewport;
    if (!panel.hidden && narrow.matches && vv) {
      // Follow the visual viewport so the input stays above the on-screen keyboard.
      panel.style.height = Math.round(vv.height) + "px";
      panel.style.top = Math.round(vv.offsetTop) + "px";
    } else {
      panel.style.removeProperty("height");
      panel.style.removeProperty("top");
    }
  }

  function open() {
    panel.hidden = false;
    root.classList.add("fsrs-open");
    launcher.setAttribute("aria-expanded", "true");
    session.setItem(prefix + "open", "1");
    fitViewport();
    scrollToEnd();
    input.focus();
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("fsrs-open");
    launcher.setAttribute("aria-expanded", "false");
    session.setItem(prefix + "open", "0");
    fitViewport();
    launcher.focus();
  }

  function setCare(on) {
    root.classList.toggle("fsrs-care", on);
    careButton.setAttribute("aria-pressed", String(on));
    local.setItem("fsrs-chat:care", on ? "1" : "0");
    autosize();
  }

  function restart() {
    transcript = [];
    sender = newSenderId();
    local.setItem(prefix + "sender", sender);
    save();
    renderAll();
    input.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) { open(); } else { close(); }
  });
  closeButton.addEventListener("click", close);
  careButton.addEventListener("click", function () {
    setCare(careButton.getAttribute("aria-pressed") !== "true");
    scrollToEnd();
  });
  newButton.addEventListener("click", restart);
  retryButton.addEventListener("click", function () {
    if (failedEntry && !busy) {
      request(failedEntry);
      input.focus();
    }
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab" && narrow.matches) {
      // Full screen on a phone: keep Tab inside the panel (the page behind is covered).
      var focusable = Array.prototype.filter.call(
        panel.querySelectorAll("button, textarea, a[href], [tabindex='0']"),
        function (node) { return !node.disabled && node.offsetParent !== null; });
      var first = focusable[0];
      var last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (send(input.value)) {
      input.value = "";
      autosize();
    }
    input.focus();
  });
  input.addEventListener("keydown", function (event) {
    // Enter sends, Shift+Enter is a new line; Enter that confirms an IME candidate does not send.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { sendButton.click(); }
    }
  });
  function autosize() {
    input.style.removeProperty("height");
    if (input.value && input.scrollHeight > input.clientHeight) {
      input.style.height = Math.min(input.scrollHeight + 4, 160) + "px";
    }
  }
  input.addEventListener("input", autosize);
  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", fitViewport);
    window.visualViewport.addEventListener("scroll", fitViewport);
  }
  if (narrow.addEventListener) { narrow.addEventListener("change", fitViewport); }

  // ───────────────────────── start ─────────────────────────
  function mount() {
    var link = document.querySelector("link[data-fsrs-chat]");
    if (!link) {
      link = attrs(document.createElement("link"), { rel: "stylesheet", href: config.cssUrl, "data-fsrs-chat": "" });
      document.head.appendChild(link);
    }
    var shown = false;
    function show() {
      if (shown) { return; }
      shown = true;
      root.hidden = false;
      if (session.getItem(prefix + "open") === "1") { open(); }
    }
    link.addEventListener("load", show);
    link.addEventListener("error", show);
    setTimeout(show, 1500);
    if (link.sheet) { show(); }
    setCare(local.getItem("fsrs-chat:care") === "1");
    renderAll();
    document.body.appendChild(root);
  }

  window.FushunChat = {
    open: open,
    close: close,
    send: function (text) { open(); return send(text); },
    config: config
  };

  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
