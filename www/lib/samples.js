// The page's own data sets (the sample and the CDNOW sample) and the published fits the CDNOW one is
// set against.

import { CDNOW_URL, SAMPLE_URL } from '../assets.js';

// The two data sets the page serves itself. The CDNOW sample (built into www/data/cdnow/ by
// scripts/build.sh) is analysed as of the end of the 39-week calibration period of Fader, Hardie & Lee
// (2005), so that the purchase model can be set against their published fit (`docs/models.md`).
export const SAMPLES = {
  sample: { url: SAMPLE_URL.href, name: 'sample.csv', statusKey: 'statusLoadingSample' },
  cdnow: {
    url: CDNOW_URL.href,
    name: 'CDNOW_sample.txt',
    statusKey: 'statusLoadingCdnow',
    options: { analysisDate: '1997-09-30' }, // merged over the page's options; time unit: weeks (default)
    reference: 'cdnow',
  },
};

// Published fits on the CDNOW sample (`docs/models.md`) and how close a fitted value must come to count as a
// match: BG/NBD from Fader, Hardie & Lee (2005), Gamma-Gamma from Fader & Hardie (2013).
export const PUBLISHED_CDNOW = {
  analysisDate: '1997-09-30',
  timeUnit: 'week',
  bgnbd: {
    r: { value: 0.2426, digits: 4, rel: 0.001 },
    alpha: { value: 4.4135, digits: 4, rel: 0.001 },
    a: { value: 0.7929, digits: 4, rel: 0.001 },
    b: { value: 2.4258, digits: 4, rel: 0.001 },
    logLikelihood: { value: -9582.43, digits: 2, abs: 0.01 },
  },
  // Pareto/NBD from Fader & Hardie's note on the Pareto/NBD (2005)
  paretonbd: {
    r: { value: 0.5533, digits: 4, rel: 0.005 },
    alpha: { value: 10.5776, digits: 4, rel: 0.005 },
    s: { value: 0.6062, digits: 4, rel: 0.005 },
    beta: { value: 11.6679, digits: 4, rel: 0.005 },
    logLikelihood: { value: -9594.97, digits: 2, abs: 0.05 },
  },
  gammaGamma: {
    p: { value: 6.25, digits: 2, rel: 0.005 },
    q: { value: 3.74, digits: 2, rel: 0.005 },
    gamma: { value: 15.44, digits: 2, rel: 0.005 },
  },
};
