// The union console's Today page: check-ins per hour drawn with Debian's Chart.js (served by the
// hub, /assets/chart.min.js) and the figures refreshed in place from /console/today.json. The
// page shows its figures without script; this only draws and refreshes them.
(function() {
'use strict';
var today = document.getElementById('today');
if (!today) return;
var label = today.getAttribute('data-hour-label') || '';
var hoursAxis = [];
for (var h = 0; h < 24; h++)
    hoursAxis.push((h < 10 ? '0' : '') + h + ':00');
var charts = {};
function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
}
each('canvas.hour-chart', function(c) {
    var data = (c.getAttribute('data-hours') || '').split(',').map(Number);
    if (!window.Chart) return;
    charts[c.getAttribute('data-fair')] = new window.Chart(c, {
        type : 'bar',
        data : {
            labels : hoursAxis,
            datasets : [ {label : label, data : data, backgroundColor : '#c62828'} ]
        },
        options : {
            animation : false,
            responsive : false,
            scales : {y : {beginAtZero : true, ticks : {precision : 0}}}
        }
    });
});
var every = parseInt(today.getAttribute('data-refresh-ms'), 10) || 30000;
function refresh() {
    fetch('/console/today.json', {credentials : 'same-origin', cache : 'no-store'})
        .then(function(r) {
            if (!r.ok) throw new Error(r.status);
            return r.json();
        })
        .then(function(j) {
            var shown = [];
            each('tr.today-fair', function(tr) { shown.push(tr.getAttribute('data-fair')); });
            var ids = j.fairs.map(function(f) { return f.id; });
            // Another day, or a fair added or gone: the whole page again.
            if (ids.join('\n') !== shown.join('\n')) {
                window.location.reload();
                return;
            }
            j.fairs.forEach(function(f) {
                each('tr.today-fair', function(tr) {
                    if (tr.getAttribute('data-fair') !== f.id) return;
                    tr.querySelector('.fair-people').textContent = f.people;
                    tr.querySelector('.fair-check-ins').textContent = f.check_ins;
                    tr.querySelector('.fair-placements').textContent = f.placements;
                });
                var chart = charts[f.id];
                if (chart) {
                    chart.data.datasets[0].data = f.per_hour;
                    chart.update();
                }
            });
            today.setAttribute('data-refreshed', String(Date.now()));
        })
        .catch(function() {}) // offline for a moment: the next round tries again
        .then(function() { window.setTimeout(refresh, every); });
}
window.setTimeout(refresh, every);
})();
