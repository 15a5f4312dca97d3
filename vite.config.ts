import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is a plain web app: the admin server serves this build headless, and the Electron
// window loads the same files.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
  },
  server: {
    // `npm run dev:renderer` talks to a running `meshdesk serve`.
    proxy: { '/api': 'http://127.0.0.1:9990' },
  },
});
