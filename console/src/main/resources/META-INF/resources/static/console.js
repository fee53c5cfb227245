// The console's progressive enhancement: the board's rows live from Server-Sent Events, charts drawn with ECharts
// from the JSON in data-chart attributes, and the dataset filter submitting itself. Everything works without it,
// only not live.
(function () {
  'use strict';

  function recount() {
    var counts = {};
    document.querySelectorAll('#rows tr.row').forEach(function (row) {
      var outcome = row.getAttribute('data-outcome');
      counts[outcome] = (counts[outcome] || 0) + 1;
    });
    var list = document.getElementById('counts');
    if (!list) return;
    list.textContent = '';
    Object.keys(counts).sort().forEach(function (outcome) {
      var item = document.createElement('li');
      item.className = 'outcome-' + outcome;
      var number = document.createElement('span');
      number.textContent = counts[outcome];
      item.appendChild(number);
      item.appendChild(document.createTextNode(' ' + outcome));
      list.appendChild(item);
    });
  }

  function toast(text) {
    var box = document.getElementById('toasts');
    if (!box) return;
    var note = document.createElement('div');
    note.className = 'toast';
    note.textContent = text;
    box.appendChild(note);
    setTimeout(function () { note.remove(); }, 15000);
  }

  function live(tbody) {
    var status = document.getElementById('live');
    var source = new EventSource(tbody.getAttribute('data-stream'));
    source.onopen = function () { if (status) { status.textContent = 'live'; status.className = 'live on'; } };
    source.onerror = function () { if (status) { status.textContent = 'reconnecting…'; status.className = 'live off'; } };
    source.addEventListener('row', function (event) {
      var template = document.createElement('template');
      template.innerHTML = event.data.trim();
      var row = template.content.firstElementChild;
      if (!row) return;
      var existing = document.getElementById(row.id);
      if (existing) {
        existing.replaceWith(row);
      } else {
        tbody.insertBefore(row, tbody.firstChild);
        var empty = document.getElementById('empty');
        if (empty) empty.remove();
      }
      row.classList.add('changed');
      recount();
    });
    source.addEventListener('dead-letter', function (event) { toast('Dead letter on ' + event.data); });
  }

  function chart(element) {
    if (!window.echarts) return;
    var spec = JSON.parse(element.getAttribute('data-chart'));
    var chart = window.echarts.init(element, null, { renderer: 'canvas' });
    var option;
    if (spec.type === 'distribution') {
      option = {
        animation: false,
        tooltip: { trigger: 'axis', valueFormatter: function (v) { return (v * 100).toFixed(1) + ' %'; } },
        legend: { data: [spec.baseLabel, spec.currentLabel] },
        grid: { left: 50, right: 10, bottom: 60, top: 30 },
        xAxis: { type: 'category', data: spec.bins, axisLabel: { rotate: spec.bins.length > 6 ? 30 : 0 } },
        yAxis: { type: 'value', axisLabel: { formatter: function (v) { return Math.round(v * 100) + ' %'; } } },
        series: [
          { name: spec.baseLabel, type: 'bar', data: spec.base },
          { name: spec.currentLabel, type: 'bar', data: spec.current }
        ]
      };
    } else if (spec.type === 'confusion') {
      var cells = [];
      var max = 0;
      spec.matrix.forEach(function (row, actual) {
        row.forEach(function (count, predicted) { cells.push([predicted, actual, count]); max = Math.max(max, count); });
      });
      option = {
        animation: false,
        tooltip: { formatter: function (p) { return 'actual ' + spec.labels[p.value[1]] + ', predicted ' + spec.labels[p.value[0]] + ': ' + p.value[2]; } },
        grid: { left: 90, right: 20, bottom: 70, top: 10 },
        xAxis: { type: 'category', data: spec.labels, name: 'predicted', nameLocation: 'middle', nameGap: 30 },
        yAxis: { type: 'category', data: spec.labels, name: 'actual', inverse: true },
        visualMap: { min: 0, max: Math.max(max, 1), calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 80 },
        series: [{ type: 'heatmap', data: cells, label: { show: true } }]
      };
    }
    if (option) {
      chart.setOption(option);
      element.setAttribute('data-drawn', 'true');
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    var tbody = document.getElementById('rows');
    if (tbody && window.EventSource) live(tbody);
    document.querySelectorAll('[data-chart]').forEach(chart);
    document.querySelectorAll('select.autosubmit').forEach(function (select) {
      select.addEventListener('change', function () { select.form.submit(); });
    });
    document.querySelectorAll('form[data-confirm]').forEach(function (form) {
      form.addEventListener('submit', function (event) {
        if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
      });
    });
  });
})();
