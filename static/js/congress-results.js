// Charts of the survey results page. The figures come from the json_script block
// "congress-charts"; the tables beside each chart carry the exact values.
// Tooltips render as rich text on the canvas: ECharts' HTML tooltips carry style="" attributes,
// which the CSP (style-src 'self', no 'unsafe-inline') refuses.
(function () {
  "use strict";
  var source = document.getElementById("congress-charts");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var RED = "#a8201a";
  var font = { fontFamily: "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif" };

  function percentLabel(value) {
    return value === null || value === undefined ? "—" : value.toFixed(2) + "%";
  }

  function samplesOption(samples) {
    return {
      textStyle: font,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { data: ["有效问卷", "无效问卷"] },
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      xAxis: { type: "category", data: samples.groups, axisLabel: { interval: 0 } },
      yAxis: { type: "value", name: "份" },
      series: [
        { name: "有效问卷", type: "bar", stack: "n", data: samples.valid, itemStyle: { color: RED } },
        { name: "无效问卷", type: "bar", stack: "n", data: samples.invalid, itemStyle: { color: "#c9ccd1" } },
      ],
    };
  }

  // Bars for the rates, with whiskers drawn by a custom series for the 95% interval.
  function satisfactionOption(question) {
    var whiskers = question.groups.map(function (_, i) {
      return [i, question.low[i], question.high[i]];
    });
    return {
      textStyle: font,
      tooltip: {
        trigger: "axis",
        renderMode: "richText",
        formatter: function (items) {
          var i = items[0].dataIndex;
          return question.groups[i] + "\n满意率 " + percentLabel(question.rates[i]) +
            "\n95%置信区间 " + percentLabel(question.low[i]) + "～" + percentLabel(question.high[i]);
        },
      },
      grid: { left: 48, right: 16, top: 24, bottom: 32 },
      xAxis: { type: "category", data: question.groups, axisLabel: { interval: 0 } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        {
          type: "bar",
          data: question.rates.map(function (rate, i) {
            var last = i === question.rates.length - 1;
            return { value: rate, itemStyle: { color: last ? "#6c757d" : RED } };
          }),
          label: { show: true, position: "insideBottom", color: "#fff", formatter: function (p) { return percentLabel(p.value); } },
        },
        {
          type: "custom",
          data: whiskers,
          renderItem: function (params, api) {
            if (api.value(1) === null || isNaN(api.value(1))) {
              return null;
            }
            var low = api.coord([api.value(0), api.value(1)]);
            var high = api.coord([api.value(0), api.value(2)]);
            var half = api.size([1, 0])[0] * 0.12;
            var style = { stroke: "#212529", lineWidth: 1.5 };
            return {
              type: "group",
              children: [
                { type: "line", shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style: style },
                { type: "line", shape: { x1: low[0] - half, y1: low[1], x2: low[0] + half, y2: low[1] }, style: style },
                { type: "line", shape: { x1: high[0] - half, y1: high[1], x2: high[0] + half, y2: high[1] }, style: style },
              ],
            };
          },
          z: 10,
          tooltip: { show: false },
        },
      ],
    };
  }

  function problemsOption(question) {
    var labels = question.labels.slice().reverse();
    var shares = question.shares.slice().reverse();
    return {
      textStyle: font,
      tooltip: { trigger: "axis", valueFormatter: percentLabel, renderMode: "richText" },
      grid: { left: 8, right: 56, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: labels, axisLabel: { width: 220, overflow: "truncate" } },
      series: [
        {
          type: "bar",
          data: shares,
          itemStyle: { color: RED },
          label: { show: true, position: "right", formatter: function (p) { return percentLabel(p.value); } },
        },
      ],
    };
  }

  var builders = {
    samples: function () { return samplesOption(data.samples); },
    satisfaction: function (i) { return satisfactionOption(data.satisfaction[i]); },
    problems: function (i) { return problemsOption(data.problems[i]); },
  };
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var build = builders[element.getAttribute("data-chart")];
    if (!build) {
      return;
    }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(build(Number(element.getAttribute("data-index") || 0)));
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
