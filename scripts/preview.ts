// `npm run preview [-- DIR]`: serves a built site (default: site/) on http://127.0.0.1:4321/.
import { serveStatic } from '../src/serve/static.ts';

const root = process.argv[2] ?? 'site';
const server = await serveStatic(root, { port: Number(process.env.PORT ?? 4321) });
console.log(`serving ${root}/ on ${server.url} (Ctrl-C to stop)`);
