// The review site's Astro project. `kpi-review build` runs it through Astro's JavaScript API with the results
// computed beforehand (see src/site/build.ts); pages never open DuckDB or read raw exports.
import mdx from '@astrojs/mdx';
import { defineConfig } from 'astro/config';

export default defineConfig({
  srcDir: './src',
  publicDir: './public',
  output: 'static',
  trailingSlash: 'always',
  build: { format: 'directory', inlineStylesheets: 'always' },
  integrations: [mdx()],
  devToolbar: { enabled: false },
  vite: { logLevel: 'warn' },
});
