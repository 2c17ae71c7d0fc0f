/*
 * 抚顺人社快办助手 — citizen chat widget.
 *
 * Embed with one tag (see docs/web.md):
 *   <script src="https://example.gov.cn/static/widget.js" data-bot-url="https://bot.example.gov.cn"
 *           data-title="抚顺人社快办助手" data-color="#c00000"></script>
 *
 * Talks to Rasa's REST channel: POST {sender, message} to `${botUrl}/webhooks/rest/webhook`,
 * which answers with a list of {text?, buttons?: [{title, payload}], custom?}. An answer from the
 * guide comes as its text and, right after it, {custom: {answer, related}}: the same answer as
 * headed blocks and 猜你想问 (see docs/web.md); the widget lays that out, and reads the text
 * only when there is no structure.
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

  // ───────────────────────── the bot's structured answers (Rasa's custom payload) ─────────────────────────
  function strings(list, max) {
    return Array.isArray(list) ? list.filter(function (s) { return typeof s === "string"; }).slice(0, max) : [];
  }

  // Only the fields the widget shows, with the types it expects; anything else is dropped.
  function cleanAnswer(answer) {
    if (!answer || typeof answer !== "object" || Array.isArray(answer)) { return null; }
    var sections = Array.isArray(answer.sections) ? answer.sections.filter(function (s) {
      return s && typeof s === "object" && typeof s.title === "string";
    }).slice(0, 20).map(function (s) {
      return { title: s.title, lines: strings(s.lines, 60), inline: s.inline === true, numbered: s.numbered === true };
    }) : [];
    return {
      title: typeof answer.title === "string" ? answer.title : "",
      lead: strings(answer.lead, 10),
      sections: sections,
      source: typeof answer.source === "string" ? answer.source : ""
    };
  }

  function cleanChoices(list) {
    return Array.isArray(list) ? list.filter(function (b) {
      return b && typeof b.title === "string" && b.title;
    }).map(function (b) {
      return { title: b.title, payload: typeof b.payload === "string" && b.payload ? b.payload : b.title };
    }).slice(0, 12) : [];
  }

  function loadTranscript() {
    try {
      var list = JSON.parse(local.getItem(prefix + "transcript") || "[]");
      if (!Array.isArray(list)) { return []; }
      return list.filter(function (e) {
        return e && (e.from === "user" || e.from === "bot") && typeof e.text === "string";
      }).map(function (e) {
        if (e.answer) { e.answer = cleanAnswer(e.answer); }
        if (e.buttons) { e.buttons = cleanChoices(e.buttons); }
        return e;
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
    // reloaded while it was being sent or still waiting: not answered
    if (e.from === "user" && (e.status === "sending" || e.status === "queued")) { e.status = "failed"; }
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

  // A plain div, not <header>: inside the dialog a <header> would be a second banner landmark.
  var header = el("div", "fsrs-header");
  var headerTop = el("div", "fsrs-header-top");
  var title = attrs(el("h2", "fsrs-title", config.title), { id: "fsrs-chat-title" });
  var closeButton = button("fsrs-close", "×", "关闭在线咨询");
  headerTop.appendChild(title);
  headerTop.appendChild(closeButton);
  var toolbar = el("div", "fsrs-toolbar");
  var callLink = attrs(el("a", "fsrs-call"), {
    href: "tel:" + config.hotline, "aria-label": "拨打人社服务热线 " + config.hotline
  });
  callLink.appendChild(attrs(el("span", "fsrs-call-icon", "☎"), { "aria-hidden": "true" }));
  callLink.appendChild(document.createTextNode(" " + config.hotline));
  var careButton = attrs(button("fsrs-care-toggle", "关怀模式"), { "aria-pressed": "false", title: "大字体、大按钮、高对比度" });
  var newButton = attrs(button("fsrs-new", "新对话", "清空记录，开始新对话"), {
    "aria-controls": "fsrs-chat-confirm", "aria-expanded": "false"
  });
  toolbar.appendChild(callLink);
  toolbar.appendChild(careButton);
  toolbar.appendChild(newButton);
  header.appendChild(headerTop);
  header.appendChild(toolbar);

  var confirmBox = attrs(el("div", "fsrs-confirm"), {
    id: "fsrs-chat-confirm", role: "group", "aria-labelledby": "fsrs-chat-confirm-text"
  });
  confirmBox.hidden = true;
  confirmBox.appendChild(attrs(el("p", "fsrs-confirm-text", "清空本次对话记录，开始新对话吗？"), { id: "fsrs-chat-confirm-text" }));
  var wipeButton = button("fsrs-wipe", "清空记录");
  var keepButton = button("fsrs-keep", "取消");
  var confirmActions = el("p", "fsrs-confirm-actions");
  confirmActions.appendChild(wipeButton);
  confirmActions.appendChild(keepButton);
  confirmBox.appendChild(confirmActions);

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
  // No maxlength: a longer paste is kept and the citizen is told it will be cut (limitNote).
  var input = attrs(el("textarea", "fsrs-input"), {
    id: "fsrs-chat-input", rows: "1", placeholder: "请输入您的问题",
    enterkeyhint: "send", autocomplete: "off", "aria-describedby": "fsrs-chat-limit"
  });
  var sendButton = attrs(el("button", "fsrs-send", "发送"), { type: "submit" });
  var limitNote = attrs(el("p", "fsrs-limit"), { id: "fsrs-chat-limit", role: "status" });
  form.appendChild(limitNote);
  form.appendChild(inputLabel);
  form.appendChild(input);
  form.appendChild(sendButton);

  var foot = el("p", "fsrs-foot");
  foot.appendChild(el("span", "fsrs-foot-source", "答复依据《抚顺市人社服务快办行动打包办服务指南（试行）》。"));
  foot.appendChild(el("span", "fsrs-foot-hotline", "人工咨询请拨打 " + config.hotline + "。"));

  panel.appendChild(header);
  panel.appendChild(confirmBox);
  panel.appendChild(scroller);
  panel.appendChild(form);
  panel.appendChild(foot);
  root.appendChild(launcher);
  root.appendChild(panel);

  // ───────────────────────── reading the bot's plain-text answers ─────────────────────────
  // The bot sends plain text (WeChat and SMS get the same): 【服务名】, lead lines, sections
  // ("办理地点：" then lines, or one line "办理时间：每月1-15号"), and a last line "来源：…".
  var TITLE_LINE = /^【(.+)】$/;
  var SOURCE_LINE = /^来源：/;
  var HEADING_LINE = /^[^，。,：]{2,20}：$/;
  // Only these labels start a one-line section; other "X：…" lines (参公单位：…, 新宾县：…)
  // belong to the section they are in.
  var ONE_LINE_SECTION = /^(办理地点|办理时间|办理时限|网上办理|电话办理|服务对象|说明|网上经办大厅)：(.+)$/;
  var NUMBERED_LINE = /^(\d+)\.\s*/;
  var SEVERAL_SERVICES = /^您的问题涉及以下\d+项业务/;
  var COLLAPSE_OVER_LINES = 4;

  function parseAnswer(text) {
    var lines = text.split(/\r?\n/).map(function (line) { return line.trim(); }).filter(Boolean);
    var answer = { title: "", lead: [], sections: [], source: "" };
    var titled = lines.length ? TITLE_LINE.exec(lines[0]) : null;
    if (titled) {
      answer.title = titled[1];
      lines.shift();
    }
    if (lines.length && SOURCE_LINE.test(lines[lines.length - 1])) { answer.source = lines.pop(); }
    var section = null;
    lines.forEach(function (line) {
      var oneLine = ONE_LINE_SECTION.exec(line);
      if (oneLine) {
        section = { heading: oneLine[1], oneLine: true, lines: [oneLine[2]] };
        answer.sections.push(section);
      } else if (HEADING_LINE.test(line)) {
        section = { heading: line.slice(0, -1), oneLine: false, lines: [] };
        answer.sections.push(section);
      } else if (section) {
        section.lines.push(line);
      } else {
        answer.lead.push(line);
      }
    });
    return answer;
  }

  // A real answer comes from the guide: it has a service title or a source line. Connector lines,
  // questions back and refusals (抱歉 … 12333) are not rated.
  function isAnswer(entry) {
    var text = entry.text;
    return Boolean(entry.answer) ||
      (!/^抱歉/.test(text) && (TITLE_LINE.test(text.split("\n")[0]) || /(^|\n)来源：/.test(text)));
  }

  // Follow-up buttons that ask for a section the answer already shows add nothing.
  function buttonsNotShown(buttons, text) {
    var lines = text.split("\n");
    return buttons.filter(function (b) {
      return !lines.some(function (line) { return line.indexOf(b.title + "：") === 0; });
    });
  }

  // ───────────────────────── links inside bot text ─────────────────────────
  var LINKABLE = /https?:\/\/[A-Za-z0-9\-._~:\/?#\[\]@!$&'()*+,;=%]+|12333/g;

  function webLink(text) {
    var url;
    try { url = new URL(text); } catch (e) { return null; }
    if (url.protocol !== "http:" && url.protocol !== "https:") { return null; }
    var a = attrs(el("a", "fsrs-link", text), { href: url.href, target: "_blank", rel: "noopener noreferrer" });
    a.appendChild(el("span", "fsrs-sr-only", "（在新窗口打开）"));
    return a;
  }

  function telLink(number) {
    return attrs(el("a", "fsrs-link", number), { href: "tel:" + number });
  }

  // Text with its URLs and the hotline number as links; everything else stays a text node.
  function linkify(text) {
    var fragment = document.createDocumentFragment();
    var done = 0;
    var match;
    LINKABLE.lastIndex = 0;
    while ((match = LINKABLE.exec(text)) !== null) {
      var found = match[0];
      var link;
      if (found === "12333") {
        // not part of a longer number
        link = /\d/.test(text.charAt(match.index - 1) + text.charAt(match.index + 5)) ? null : telLink(found);
      } else {
        found = found.replace(/[.,;:!?'")\]]+$/, ""); // sentence punctuation after a URL
        link = webLink(found);
      }
      if (!link) { continue; }
      fragment.appendChild(document.createTextNode(text.slice(done, match.index)));
      fragment.appendChild(link);
      done = match.index + found.length;
      LINKABLE.lastIndex = done;
    }
    fragment.appendChild(document.createTextNode(text.slice(done)));
    return fragment;
  }

  function paragraph(line, className) {
    var p = el("p", className);
    p.appendChild(linkify(line));
    return p;
  }

  // ───────────────────────── answer blocks ─────────────────────────
  var partCount = 0;

  // A button with aria-expanded that shows or hides `part`; the part starts hidden.
  function disclosure(label, part) {
    part.id = "fsrs-part-" + (++partCount);
    part.hidden = true;
    var toggle = attrs(button("fsrs-toggle"), { "aria-expanded": "false", "aria-controls": part.id });
    toggle.appendChild(el("span", "fsrs-toggle-label", label));
    var hint = attrs(el("span", "fsrs-toggle-hint", "展开"), { "aria-hidden": "true" });
    toggle.appendChild(hint);
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      hint.textContent = open ? "收起" : "展开";
      part.hidden = !open;
    });
    return toggle;
  }

  function isNumberedList(lines) {
    return lines.length > 0 && lines.every(function (line, i) {
      var n = NUMBERED_LINE.exec(line);
      return n && Number(n[1]) === i + 1;
    });
  }

  function sectionLines(lines) {
    if (isNumberedList(lines)) {
      var list = el("ol", "fsrs-list");
      lines.forEach(function (line) {
        var item = el("li");
        item.appendChild(linkify(line.replace(NUMBERED_LINE, "")));
        list.appendChild(item);
      });
      return list;
    }
    var box = el("div", "fsrs-lines");
    lines.forEach(function (line) { box.appendChild(paragraph(line)); });
    return box;
  }

  function sectionNode(section, collapsed) {
    var node = el("div", "fsrs-sec" + (section.oneLine ? " fsrs-sec-line" : ""));
    var heading = el("h4", "fsrs-sec-title");
    var content = sectionLines(section.lines);
    if (collapsed) {
      var count = isNumberedList(section.lines) ? "（" + section.lines.length + "项）" : "";
      heading.appendChild(disclosure(section.heading + count, content));
    } else {
      heading.textContent = section.heading;
    }
    node.appendChild(heading);
    node.appendChild(content);
    return node;
  }

  // The bot's structure in the shape parseAnswer gives for a text.
  function fromStructure(answer) {
    return {
      title: answer.title,
      lead: answer.lead,
      sections: answer.sections.map(function (s) {
        return {
          heading: s.title, oneLine: s.inline,
          lines: s.numbered ? s.lines.map(function (line, i) { return (i + 1) + ". " + line; }) : s.lines
        };
      }),
      source: answer.source
    };
  }

  // Answer first, details on demand: the title, the lead lines and, when there is no lead, the
  // first section show; other long sections fold, and so does each service of a several-service
  // answer (entry.group).
  function answerBubble(entry) {
    var answer = entry.answer ? fromStructure(entry.answer) : parseAnswer(entry.text);
    var bubble = el("div", "fsrs-bubble fsrs-answer");
    var body = el("div", "fsrs-answer-body");
    answer.lead.forEach(function (line) { body.appendChild(paragraph(line, "fsrs-lead")); });
    answer.sections.forEach(function (section, i) {
      var long = !section.oneLine && section.lines.length > COLLAPSE_OVER_LINES;
      body.appendChild(sectionNode(section, long && (i > 0 || answer.lead.length > 0)));
    });
    if (answer.source) { body.appendChild(paragraph(answer.source, "fsrs-source")); }
    if (answer.title) {
      var heading = el("h3", "fsrs-answer-title");
      if (entry.group) {
        heading.appendChild(disclosure(answer.title, body));
      } else {
        heading.textContent = answer.title;
      }
      bubble.appendChild(heading);
    }
    bubble.appendChild(body);
    return bubble;
  }

  // ───────────────────────── read aloud (speechSynthesis, where the browser has it) ─────────────────────────
  var speech = window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function" ?
    window.speechSynthesis : null;
  var speakingButton = null;

  function showSpeaking(b, on) {
    b.lastChild.textContent = on ? "停止朗读" : "朗读";
    b.firstChild.textContent = on ? "⏹" : "🔊";
  }

  function stopReading() {
    if (!speakingButton) { return; }
    showSpeaking(speakingButton, false);
    speakingButton = null;
    speech.cancel();
  }

  // What is read: the answer in the order it is shown (title, the lines that answer first, the
  // sections), without the source line.
  function spokenLines(entry) {
    if (!entry.answer) {
      return entry.text.split("\n").filter(function (line) { return line.trim() && !SOURCE_LINE.test(line); });
    }
    var lines = [entry.answer.title].concat(entry.answer.lead);
    entry.answer.sections.forEach(function (s) { lines = lines.concat([s.title], s.lines); });
    return lines.filter(function (line) { return line.trim(); });
  }

  // One utterance per line: Chrome stops long utterances after about 15 seconds.
  function readAloud(entry, b) {
    var lines = spokenLines(entry);
    speakingButton = b;
    showSpeaking(b, true);
    lines.forEach(function (line, i) {
      var utterance = new window.SpeechSynthesisUtterance(line.replace(/[【】]/g, ""));
      utterance.lang = "zh-CN";
      if (i === lines.length - 1) {
        utterance.onend = utterance.onerror = function () {
          if (speakingButton === b) { stopReading(); }
        };
      }
      speech.speak(utterance);
    });
  }

  function readButton(entry) {
    var b = button("fsrs-speak");
    b.appendChild(attrs(el("span", "fsrs-speak-icon", "🔊"), { "aria-hidden": "true" }));
    b.appendChild(el("span", "fsrs-speak-label", "朗读"));
    b.addEventListener("click", function () {
      var wasReading = speakingButton === b;
      stopReading();
      if (!wasReading) { readAloud(entry, b); }
    });
    return b;
  }

  // ───────────────────────── messages ─────────────────────────
  var STATE_TEXT = { queued: "等待发送", failed: "未发送" };

  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  // After a reply, its first line is read first: the panel shows where the reply starts.
  function scrollToStart(node) {
    scroller.scrollTop += node.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
  }

  function lastQuickReplyIndex() {
    for (var i = transcript.length - 1; i >= 0; i--) {
      if (transcript[i].from === "user") { return -1; }
      if (transcript[i].buttons && transcript[i].buttons.length) { return i; }
    }
    return -1;
  }

  // Keyboard and mouse users keep typing in the input; a tap on a phone does not pop up the
  // on-screen keyboard over the answer (the log takes focus instead).
  function keepFocus(event) {
    var tapped = event.detail > 0 && window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    if (tapped) {
      log.focus({ preventScroll: true });
    } else {
      input.focus({ preventScroll: true });
    }
  }

  var guessCount = 0;

  // `heading` (猜你想问) is shown above the choices and names the group.
  function quickReplies(choices, heading) {
    var group = attrs(el("div", "fsrs-quick"), { role: "group", "aria-label": "可选问题" });
    if (heading) {
      var id = "fsrs-guess-" + (++guessCount);
      group.appendChild(attrs(el("p", "fsrs-guess-title", heading), { id: id }));
      group.removeAttribute("aria-label");
      group.setAttribute("aria-labelledby", id);
    }
    choices.forEach(function (choice) {
      var b = button("fsrs-quick-button", choice.title);
      b.addEventListener("click", function (event) {
        keepFocus(event); // before send() removes this button with the focus in it
        send(choice.payload, choice.title);
      });
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
      postFeedback(entry, value).then(function (saved) {
        entry.rating = value;
        save();
        (value === "up" ? up : down).setAttribute("aria-pressed", "true");
        note.textContent = "感谢您的反馈";
        if (value === "down" && saved && saved.id) { bar.appendChild(reasonPrompt(saved.id, note)); }
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

  function answerTools(entry) {
    var tools = el("div", "fsrs-tools");
    if (speech) { tools.appendChild(readButton(entry)); }
    tools.appendChild(ratingBar(entry));
    return tools;
  }

  function userNode(entry) {
    var node = el("div", "fsrs-msg fsrs-msg-user");
    node.appendChild(el("span", "fsrs-sr-only", "您："));
    node.appendChild(el("div", "fsrs-bubble", entry.text));
    // Seen, not announced: the log would read the message again on every change of state.
    node.appendChild(attrs(el("span", "fsrs-msg-state"), { "aria-hidden": "true" }));
    entry._node = node;
    showState(entry);
    return node;
  }

  function botNode(entry, index) {
    var node = el("div", "fsrs-msg fsrs-msg-bot");
    node.appendChild(el("span", "fsrs-sr-only", "助手："));
    if (entry.text) { node.appendChild(answerBubble(entry)); }
    if (entry.buttons && entry.buttons.length && index === lastQuickReplyIndex()) {
      node.appendChild(quickReplies(entry.buttons, entry.guess ? "猜你想问" : ""));
    }
    if (entry.text && !entry.note && isAnswer(entry)) { node.appendChild(answerTools(entry)); }
    entry._node = node;
    return node;
  }

  function renderEntry(entry, index) {
    return entry.from === "user" ? userNode(entry) : botNode(entry, index);
  }

  function greetingNode() {
    var node = el("div", "fsrs-msg fsrs-msg-bot fsrs-greeting");
    node.appendChild(el("span", "fsrs-sr-only", "助手："));
    node.appendChild(el("div", "fsrs-bubble", config.greeting));
    if (config.suggestions.length && !transcript.length) {
      node.appendChild(quickReplies(config.suggestions.map(function (s) {
        return { title: s, payload: s };
      })));
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
  }

  // Changed in place, never re-rendered: a new node would be announced by the log again.
  function showState(entry) {
    var node = entry._node;
    if (!node) { return; }
    node.classList.toggle("fsrs-msg-failed", entry.status === "failed");
    node.classList.toggle("fsrs-msg-queued", entry.status === "queued");
    node.querySelector(".fsrs-msg-state").textContent = STATE_TEXT[entry.status] || "";
  }

  function setStatus(entry, status) {
    entry.status = status;
    showState(entry);
    save();
  }

  // The replies go right after their question, before any message still waiting in the queue.
  function insertReplies(question, entries) {
    var at = transcript.indexOf(question);
    if (at < 0) { return; } // 新对话 wiped the conversation while the bot was answering
    var next = at + 1;
    while (next < transcript.length && transcript[next].from !== "user") { next++; }
    var before = next < transcript.length ? transcript[next]._node : null;
    Array.prototype.splice.apply(transcript, [next, 0].concat(entries));
    entries.forEach(function (entry) {
      log.insertBefore(renderEntry(entry, transcript.indexOf(entry)), before);
    });
    save();
    scrollToStart(entries[0]._node);
  }

  function repliesTo(question, replies) {
    if (!replies.length) {
      return [{ from: "bot", note: true, text: "助手暂时没有答复，请换个说法，或拨打人社服务热线 " + config.hotline + "。" }];
    }
    var several = replies.length > 1 && SEVERAL_SERVICES.test(replies[0].text);
    return replies.map(function (r, i) {
      var entry = { from: "bot", text: r.text, buttons: buttonsNotShown(r.buttons, r.text), question: question.text };
      if (r.answer) { entry.answer = r.answer; }
      if (r.related.length) { // 猜你想问 offers what the buttons offer, and the next sub-services
        entry.buttons = r.related;
        entry.guess = true;
      }
      if (several && i > 0) { entry.group = true; }
      return entry;
    });
  }

  // ───────────────────────── talking to the bot ─────────────────────────
  var queue = []; // messages typed while the bot answers an earlier one, sent in order
  var busy = false;
  var failedEntry = null;

  function lastFailed() {
    var last = transcript[transcript.length - 1];
    return last && last.from === "user" && last.status === "failed" ? last : null;
  }

  // Retry-After in seconds, or null when absent or not readable (a bot on another origin must
  // list it in Access-Control-Expose-Headers).
  function retryAfter(response) {
    var value = response.headers.get("Retry-After");
    if (!value) { return null; }
    if (/^\d+$/.test(value.trim())) { return parseInt(value, 10); }
    var when = Date.parse(value);
    return isNaN(when) ? null : Math.max(1, Math.ceil((when - Date.now()) / 1000));
  }

  function waitText(seconds) {
    if (seconds === null) { return "请稍等一会儿"; }
    return seconds < 120 ? "请等 " + seconds + " 秒" : "请等 " + Math.ceil(seconds / 60) + " 分钟";
  }

  function showError(entry, error) {
    failedEntry = entry;
    errorText.textContent = error && error.tooFast ?
      "您发送得太快了，" + waitText(error.wait) + "后再点“重试发送”。急事请拨打人社服务热线 " + config.hotline + "。" :
      "暂时无法连接在线助手，您的消息还没有发出。请点击“重试发送”，或拨打人社服务热线 " + config.hotline + "。";
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
    root.classList.toggle("fsrs-busy", value);
  }

  // Rasa sends a message's custom payload as a message of its own, right after its text: it is
  // joined to that text (a structure without a text before it is not shown: the text is what is
  // read aloud, copied and rated).
  function parseReplies(list) {
    if (!Array.isArray(list)) { throw new Error("unexpected reply"); }
    var replies = [];
    list.forEach(function (m) {
      if (!m || typeof m !== "object") { return; }
      var text = typeof m.text === "string" ? m.text : "";
      var buttons = cleanChoices(m.buttons);
      var custom = m.custom && typeof m.custom === "object" ? m.custom : null;
      var answer = custom ? cleanAnswer(custom.answer) : null;
      var related = custom ? cleanChoices(custom.related).slice(0, 3) : [];
      var last = replies[replies.length - 1];
      if (!text && !buttons.length && answer && last && last.text && !last.answer) {
        last.answer = answer;
        last.related = related;
      } else if (text || buttons.length) {
        replies.push({ text: text, buttons: buttons, answer: text ? answer : null, related: related });
      }
    });
    return replies;
  }

  function tooFast(response) {
    var error = new Error("HTTP 429");
    error.tooFast = true;
    error.wait = retryAfter(response);
    return error;
  }

  function request(entry) {
    hideError();
    setStatus(entry, "sending");
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
      // 429 (the bot's or the proxy's limit): the message was not answered, say how long to wait
      if (response.status === 429) { throw tooFast(response); }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(parseReplies).then(function (replies) {
      clearTimeout(timer);
      setStatus(entry, "sent");
      insertReplies(entry, repliesTo(entry, replies));
      setBusy(false);
      sendNext();
    }).catch(function (error) {
      clearTimeout(timer);
      setStatus(entry, "failed");
      setBusy(false);
      showError(entry, error);
    });
  }

  // One request at a time, so the bot reads the questions in the order they were asked; a failed
  // message holds the queue until it is retried or a newer message is sent.
  function sendNext() {
    if (busy || failedEntry || !queue.length) { return; }
    request(queue.shift());
  }

  function send(payload, shown) {
    payload = String(payload || "").trim().slice(0, MAX_INPUT);
    if (!payload) { return false; }
    removeQuickReplies();
    hideError(); // a newer message replaces the retry
    var entry = { from: "user", text: String(shown || payload), payload: payload, status: "queued" };
    append(entry);
    save();
    queue.push(entry);
    sendNext();
    scrollToEnd();
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
      return response.json();
    });
  }

  // After a 👎: why, optionally (one of the reasons of web/feedback.py; 其他 with a short note).
  function reasonPrompt(id, note) {
    var box = attrs(el("div", "fsrs-reason"), { role: "group", "aria-label": "哪里不好？（可不填）" });
    var other = attrs(el("input", "fsrs-reason-note"), { type: "text", maxlength: "200", "aria-label": "其他原因（可不填）", placeholder: "其他原因（可不填）" });
    function choose(reason) {
      Array.prototype.forEach.call(box.querySelectorAll("button"), function (b) { b.disabled = true; });
      fetch(config.apiUrl + "/api/feedback/" + id + "/reason", {
        method: "POST", headers: { "Content-Type": "application/json" }, credentials: "omit",
        body: JSON.stringify({ sender: sender, reason: reason, note: reason === "其他" ? other.value : "" })
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        box.remove();
        note.textContent = "已记录原因，感谢您的反馈";
      }, function () {
        box.remove();
        note.textContent = "原因未能提交，感谢您的反馈";
      });
    }
    box.appendChild(el("span", "fsrs-reason-title", "哪里不好？（可不填）"));
    ["与问题无关", "答案不完整", "答案有错误", "其他"].forEach(function (reason) {
      var b = button("fsrs-reason-choice", reason, reason);
      b.addEventListener("click", function () { choose(reason); });
      box.appendChild(b);
    });
    box.appendChild(other);
    return box;
  }

  // ───────────────────────── the input ─────────────────────────
  // Said before sending, once when the text goes over the limit (a status region re-reads changes).
  function checkLength() {
    var message = input.value.trim().length > MAX_INPUT ?
      "已超过 " + MAX_INPUT + " 字：发送时只保留前 " + MAX_INPUT + " 字，后面的内容不会发出。" : "";
    if (limitNote.textContent !== message) { limitNote.textContent = message; }
  }

  function autosize() {
    input.style.removeProperty("height");
    if (input.value && input.scrollHeight > input.clientHeight) {
      input.style.height = Math.min(input.scrollHeight + 4, 160) + "px";
    }
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
    stopReading();
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
    stopReading();
    transcript = [];
    queue = [];
    sender = newSenderId();
    local.setItem(prefix + "sender", sender);
    save();
    renderAll();
    input.focus();
  }

  // Wiping a conversation cannot be undone: ask first (focus on 取消, the safe choice).
  function askRestart() {
    if (!transcript.length) {
      restart();
      return;
    }
    confirmBox.hidden = false;
    newButton.setAttribute("aria-expanded", "true");
    keepButton.focus();
  }

  function closeConfirm() {
    confirmBox.hidden = true;
    newButton.setAttribute("aria-expanded", "false");
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) { open(); } else { close(); }
  });
  closeButton.addEventListener("click", close);
  careButton.addEventListener("click", function () {
    setCare(careButton.getAttribute("aria-pressed") !== "true");
    scrollToEnd();
  });
  newButton.addEventListener("click", askRestart);
  keepButton.addEventListener("click", function () {
    closeConfirm();
    newButton.focus();
  });
  wipeButton.addEventListener("click", function () {
    closeConfirm();
    restart();
  });
  retryButton.addEventListener("click", function () {
    if (failedEntry && !busy) {
      request(failedEntry);
      input.focus();
    }
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      if (confirmBox.hidden) {
        close();
      } else { // Esc answers the question 清空？ with 取消 first
        closeConfirm();
        newButton.focus();
      }
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
      checkLength();
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
  input.addEventListener("input", function () {
    autosize();
    checkLength();
  });
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
