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
  vite: {
    logLevel: 'warn',
    build: {
      rollupOptions: {
        // MDX content modules carry Astro's own "use astro:head-inject" directive; the bundler's note about it is noise.
        onwarn(warning, warn) {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
        },
      },
    },
  },
});
