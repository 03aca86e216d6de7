import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built with `vite build renderer`: the root is this folder, so paths here are relative to it.
export default defineConfig({
  // Relative asset URLs: the same build is loaded from file:// by the desktop shell and from the station over HTTP.
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or data-URL modules: the page runs under `script-src 'self'`.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
