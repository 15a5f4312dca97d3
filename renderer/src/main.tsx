import './zod-jitless.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { AdminClient } from '../../shared/admin-client.js';
import { PushConnection } from './push-connection.js';
import { startLayoutWorker } from './topology/use-layered-layout.js';
import './styles.css';

// Before the first render: the mesh prepares its first batch, and the graph's layout worker loads,
// while React mounts (push-connection.ts, use-layered-layout.ts).
const push = new PushConnection(new AdminClient(window.location.origin));
push.start();
startLayoutWorker();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App push={push} />
  </StrictMode>,
);
