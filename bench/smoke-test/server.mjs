#!/usr/bin/env node
// The service under load for bench/smoke-test.bench.mjs, in its own process so that
// neither client shares its event loop: `/` answers at once, `/delay/<ms>` after <ms>.
import { createServer } from 'node:http';

const body = Buffer.from('{"status":"ok","version":"bench"}');
const server = createServer((request, response) => {
  const answer = () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    response.end(body);
  };
  const delay = /^\/delay\/(\d+)$/.exec(request.url ?? '');
  if (delay) setTimeout(answer, Number(delay[1]));
  else answer();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
