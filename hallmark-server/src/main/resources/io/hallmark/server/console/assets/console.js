// The console's only script: draws the charts from the data-* attributes the pages render (no inline script, so the
// Content-Security-Policy can forbid it), and shows the what-if slider's value.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var radar = document.getElementById('radar');
  if (radar && window.Chart) {
    var d = JSON.parse(radar.dataset.radar);
    var sets = [{label: 'now', data: d.scores, fill: true, backgroundColor: 'rgba(31,91,196,0.2)', borderColor: '#1f5bc4'}];
    if (d.whatIf) sets.push({label: 'what if', data: d.whatIf, fill: true, backgroundColor: 'rgba(222,120,0,0.18)', borderColor: '#de7800'});
    new Chart(radar, {type: 'radar', data: {labels: d.labels, datasets: sets},
      options: {animation: false, maintainAspectRatio: false, scales: {r: {min: 0, max: 100, ticks: {stepSize: 20}}}}});
    radar.dataset.drawn = 'true';
  }
  var expiry = document.getElementById('expiry');
  if (expiry && window.Chart) {
    var e = JSON.parse(expiry.dataset.expiry);
    var names = {'30d': 'within 30 days', '90d': '31-90 days', '1y': '91-365 days', 'later': 'later', 'never': 'never (IDevIDs)'};
    new Chart(expiry, {type: 'bar', data: {labels: e.labels.map(function (l) { return names[l] || l; }),
      datasets: [{label: 'valid certificates', data: e.counts, backgroundColor: ['#b3261e', '#de7800', '#c9b000', '#16794a', '#5d6b85']}]},
      options: {animation: false, maintainAspectRatio: false, plugins: {legend: {display: false}}, scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}});
    expiry.dataset.drawn = 'true';
  }
  var slider = document.getElementById('hardware-keys');
  var shown = document.getElementById('hardware-keys-value');
  if (slider && shown) slider.addEventListener('input', function () { shown.textContent = slider.value; });
});
