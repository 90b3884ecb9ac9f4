// The web components of tierwise (the npm package's `tierwise/components`): importing this module
// defines <tierwise-app> (the whole workbench, ./components/app.js) and the single cards
// <tierwise-segments>, <tierwise-grades>, <tierwise-rfm-heatmap> and <tierwise-customers>
// (./components/parts.js). Each lives in a shadow root: styles neither leak in nor out; theme them with
// the custom properties of style.css (:host) and ::part(root | card | header | footer).
// Defining is idempotent: a page that imports this twice (or defines a name itself) keeps the first.

import { TierwiseApp } from './components/app.js';
import { TierwiseCustomers, TierwiseGrades, TierwiseRfmHeatmap, TierwiseSegments } from './components/parts.js';

/** The elements this module defines, by tag name. */
export const ELEMENTS = {
  'tierwise-app': TierwiseApp,
  'tierwise-segments': TierwiseSegments,
  'tierwise-grades': TierwiseGrades,
  'tierwise-rfm-heatmap': TierwiseRfmHeatmap,
  'tierwise-customers': TierwiseCustomers,
};

for (const [name, ctor] of Object.entries(ELEMENTS)) {
  if (!customElements.get(name)) customElements.define(name, ctor);
}

export { TierwiseApp, TierwiseCustomers, TierwiseGrades, TierwiseRfmHeatmap, TierwiseSegments };
