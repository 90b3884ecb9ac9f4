// A warm-up of the chart library (docs/speed.md#cold-start), kept apart from the charts themselves.

import { echartsLib } from './echarts.js';

/**
 * Draws throwaway charts in a hidden box inside `container` and removes them (docs/speed.md#cold-start):
 * ECharts' code runs slowly the first time (the browser compiles it as it goes), so the page's first
 * real charts, drawn right after the first result, were ~35 ms slower than the same ones again. Call it
 * while the page is idle. Nothing stays: the box and the chart are removed.
 */
export function warmCharts(container) {
  const ec = echartsLib();
  if (typeof ec?.init !== 'function' || !container) return;
  const box = document.createElement('div');
  box.setAttribute('aria-hidden', 'true');
  box.style.cssText = 'position:absolute;left:-10000px;top:0;width:480px;height:320px;visibility:hidden';
  container.append(box);
  let chart = null;
  try {
    chart = ec.init(box, null, { renderer: 'canvas' });
    const axes = { xAxis: { type: 'category', data: ['a', 'b', 'c'] }, yAxis: { type: 'value' } };
    const options = [
      { ...axes, tooltip: {}, legend: {}, series: [{ type: 'bar', data: [3, 1, 2], label: { show: true } }, { type: 'line', data: [1, 3, 2] }] },
      { tooltip: {}, series: [{ type: 'pie', radius: ['40%', '70%'], data: [{ name: 'a', value: 1 }, { name: 'b', value: 2 }] }] },
      {
        ...axes,
        yAxis: { type: 'category', data: ['x', 'y'] },
        visualMap: { min: 0, max: 3, show: false },
        series: [{ type: 'heatmap', data: [[0, 0, 1], [1, 1, 3], [2, 0, 2]], label: { show: true } }],
      },
    ];
    for (const option of options) chart.setOption({ animation: false, ...option }, true);
  } catch {
    // (a warm-up that fails changes nothing)
  } finally {
    chart?.dispose();
    box.remove();
  }
}
