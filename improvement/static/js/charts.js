// Draws every [data-chart] element from the plotly figure JSON held in the
// <script type="application/json"> whose id is in its data-chart-src attribute.
// Every chart has a table of the same numbers beside it for screen readers and print.
(function () {
  'use strict'
  function draw () {
    if (!window.Plotly) return
    document.querySelectorAll('[data-chart]').forEach(function (element) {
      var source = document.getElementById(element.getAttribute('data-chart-src'))
      if (!source) return
      var figure = JSON.parse(source.textContent)
      window.Plotly.newPlot(element, figure.data, figure.layout || {}, {
        displaylogo: false,
        responsive: true,
        modeBarButtonsToRemove: ['select2d', 'lasso2d']
      })
    })
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw)
  } else {
    draw()
  }
})()
