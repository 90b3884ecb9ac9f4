// The page's one worker client (www/worker.js), wired to the page: the version in the footer, the
// controls and the error box when the engine is lost.

import { t } from '../i18n.js';
import { updateControls } from './controls.js';
import { state } from './state.js';
import { renderVersion, setStatus, showError } from './status.js';
import { createWorkerClient } from './worker-client.js';
import { WORKER_URL } from '../assets.js';

export const engine = createWorkerClient(WORKER_URL, {
  onReady(version) {
    state.version = version;
    renderVersion();
  },
  onReset() {
    state.workerHasFile = false;
    updateControls();
  },
  onIdleFailure() {
    showError({ key: 'errorEngine' });
    setStatus('error', 'statusEngine');
  },
  engineError: () => t('errorEngine'),
});
