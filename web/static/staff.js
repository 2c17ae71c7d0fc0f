/* The staff pages' behaviour: the dashboard's charts (vendored Apache ECharts, no CDN) and the
 * publishing progress. The pages work without it: every figure is also in a table. */
(function () {
  "use strict";

  function json(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // ───────── dashboard ─────────
  var figures = json("figures");
  if (figures && window.echarts) {
    var periods = [], byPeriod = {};
    figures.rows.forEach(function (row) {
      if (!byPeriod[row.period]) { byPeriod[row.period] = { turns: 0, answered: 0, refused: 0, referred: 0 }; periods.push(row.period); }
      ["turns", "answered", "refused", "referred"].forEach(function (k) { byPeriod[row.period][k] += row[k]; });
    });
    var names = { turns: "提问", answered: "已回答", refused: "已拒答", referred: "转 12333" };
    echarts.init(document.getElementById("chart-periods")).setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: {},
      xAxis: { type: "category", data: periods }, yAxis: { type: "value", minInterval: 1 },
      series: Object.keys(names).map(function (k) {
        return { name: names[k], type: k === "turns" ? "bar" : "line", data: periods.map(function (p) { return byPeriod[p][k]; }) };
      })
    });
    echarts.init(document.getElementById("chart-hours")).setOption({
      animation: false, tooltip: { trigger: "axis" }, title: { text: "各小时提问数（北京时间）", textStyle: { fontSize: 14 } },
      xAxis: { type: "category", data: figures.hours.map(function (_, h) { return h + "时"; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: "提问", type: "bar", data: figures.hours }]
    });
  }

  // ───────── publishing ─────────
  var stateNode = document.getElementById("publish-state");
  if (stateNode) {
    var log = document.getElementById("publish-log");
    var confirmForm = document.querySelector("form.confirm");
    var startButton = document.querySelector('button[value="start"]');
    var show = function (state) {
      stateNode.textContent = state.message || "";
      log.textContent = "";
      (state.log || []).forEach(function (line) {
        var li = document.createElement("li");
        li.textContent = line;
        log.appendChild(li);
      });
      if (confirmForm) { confirmForm.hidden = state.stage !== "confirm"; }
      if (startButton) { startButton.disabled = !!state.running; }
      return state;
    };
    var poll = function () {
      fetch("/staff/api/publish", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) { if (state && show(state).running) { setTimeout(poll, 2000); } },
              function () { setTimeout(poll, 5000); });
    };
    var initial = show(json("publish-initial") || {});
    if (initial.running) { setTimeout(poll, 1000); }
  }
})();
