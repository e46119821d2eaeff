// Draws every chart of the page. The figures travel as JSON data blocks
// (<script type="application/json" data-chart="ELEMENT-ID">), never as inline script:
// the Content-Security-Policy allows only scripts served by Accord itself.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("script[type='application/json'][data-chart]").forEach(function (block) {
    var figure = JSON.parse(block.textContent);
    Plotly.newPlot(block.dataset.chart, figure.data, figure.layout, {displayModeBar: false, responsive: true});
  });
});
