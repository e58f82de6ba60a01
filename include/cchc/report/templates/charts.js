(function () {
  "use strict";
  // Line charts drawn into SVG from the page's JSON block. Text goes in with textContent only.
  var NS = "http://www.w3.org/2000/svg";
  var COLORS = { all: "#1f4e79", province: "#8e44ad", district: "#d35400", commune: "#1e8449" };
  var FALLBACK = ["#2e86c1", "#c0392b", "#7d3c98", "#148f77"];
  var W = 380, H = 230, M = { left: 52, right: 12, top: 22, bottom: 46 };
  var fmtCount = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 });
  var fmtRate = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) node.setAttribute(k, String(attrs[k])); }
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, content, attrs) {
    var t = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = content;
    return t;
  }
  function niceStep(span, n) {
    var raw = span / Math.max(1, n), mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
  }
  function yDomain(values, unit) {
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    if (unit === "count") { lo = Math.min(0, lo); }
    else {
      var pad = Math.max(1, (hi - lo) * 0.15);
      lo = Math.max(0, lo - pad); hi = hi > 100 ? hi + pad : Math.min(100, hi + pad);
    }
    if (hi === lo) { hi = lo + (unit === "count" ? Math.max(1, Math.abs(lo) * 0.1) : 1); }
    var step = niceStep(hi - lo, 4);
    return { lo: Math.floor(lo / step) * step, hi: Math.ceil(hi / step) * step, step: step };
  }
  function day(iso) { var t = Date.parse(iso + "T00:00:00Z"); return isNaN(t) ? 0 : t / 86400000; }

  function draw(host, chart, index) {
    var pts = [], xs = {};
    chart.series.forEach(function (s) { s.points.forEach(function (p) { pts.push(p.y); xs[p.x] = p.label; }); });
    var xKeys = Object.keys(xs).sort(), days = xKeys.map(day);
    var x0 = Math.min.apply(null, days), x1 = Math.max.apply(null, days);
    if (x1 === x0) { x0 -= 45; x1 += 45; }
    var yd = yDomain(pts, chart.unit);
    var pw = W - M.left - M.right, ph = H - M.top - M.bottom;
    var inset = 26;  // keep the first and last labels inside the plot
    function sx(iso) { return M.left + inset + (day(iso) - x0) / (x1 - x0) * (pw - 2 * inset); }
    function sy(v) { return M.top + (1 - (v - yd.lo) / (yd.hi - yd.lo)) * ph; }
    var fmt = chart.unit === "percent" ? fmtRate : fmtCount;

    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, class: "chart-svg", role: "img",
      "data-series": chart.series.length, "data-points": pts.length, id: chart.id || ("c" + index) });
    var title = el("title", {}, svg); title.textContent = chart.title || "";
    var grid = el("g", { class: "y-axis" }, svg);
    for (var v = yd.lo; v <= yd.hi + yd.step / 2; v += yd.step) {
      var y = sy(v);
      el("line", { class: "grid", x1: M.left, x2: W - M.right, y1: y, y2: y }, grid);
      text(grid, M.left - 5, y + 3, fmt.format(v), { "text-anchor": "end" });
    }
    el("line", { class: "axis", x1: M.left, x2: M.left, y1: M.top, y2: M.top + ph }, svg);
    el("line", { class: "axis", x1: M.left, x2: W - M.right, y1: M.top + ph, y2: M.top + ph }, svg);
    var xAxis = el("g", { class: "x-axis" }, svg);
    var every = Math.ceil(xKeys.length / 5);
    xKeys.forEach(function (k, i) {
      var x = sx(k);
      el("line", { class: "axis", x1: x, x2: x, y1: M.top + ph, y2: M.top + ph + 4 }, xAxis);
      if (i % every === 0 || i === xKeys.length - 1 && xKeys.length <= 5) {
        var label = xs[k] || k;
        if (label.length > 22) { label = label.slice(0, 21) + "…"; }
        text(xAxis, x, M.top + ph + 14, label,
          { "text-anchor": xKeys.length > 3 ? "end" : "middle", transform: xKeys.length > 3 ? "rotate(-25 " + x + " " + (M.top + ph + 14) + ")" : "" });
      }
    });
    var legend = el("g", { class: "legend" }, svg), lx = M.left;
    chart.series.forEach(function (s, i) {
      var color = COLORS[s.tier] || FALLBACK[i % FALLBACK.length];
      var g = el("g", { class: "series-group", "data-tier": s.tier }, svg);
      var coords = s.points.map(function (p) { return sx(p.x).toFixed(1) + "," + sy(p.y).toFixed(1); });
      el("polyline", { class: "series", points: coords.join(" "), stroke: color }, g);
      s.points.forEach(function (p) {
        var c = el("circle", { cx: sx(p.x).toFixed(1), cy: sy(p.y).toFixed(1), r: 3, fill: color }, g);
        var tip = el("title", {}, c);
        tip.textContent = s.name + " · " + p.label + ": " + (p.q || "") + fmt.format(p.y) + (chart.unit === "percent" ? "%" : "");
      });
      el("rect", { x: lx, y: 6, width: 10, height: 10, fill: color }, legend);
      text(legend, lx + 14, 15, s.name);
      lx += 24 + 6 * s.name.length;
    });
    host.appendChild(svg);
  }

  function main() {
    var node = document.getElementById("report-data");
    if (!node) { return; }
    var data = JSON.parse(node.textContent);
    var hosts = document.querySelectorAll("[data-chart]"), drawn = 0;
    for (var i = 0; i < hosts.length; i++) {
      var chart = data.charts[Number(hosts[i].getAttribute("data-chart"))];
      if (!chart || !chart.series || !chart.series.length) { continue; }
      try { draw(hosts[i], chart, i); drawn++; }
      catch (e) { hosts[i].textContent = "Không vẽ được biểu đồ: " + e; }
    }
    document.documentElement.setAttribute("data-charts-drawn", String(drawn));
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", main); } else { main(); }
})();
