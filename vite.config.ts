import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The renderer: built into dist/renderer, served by the web-mode server or Electron's app:// protocol. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
