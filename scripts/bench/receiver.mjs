// A local webhook receiver for benchmarks: answers 200 to every POST, counts them, and prints the
// count on SIGTERM. Runs in its own process so it does not share the benchmark's event loop.
import { createServer } from 'node:http';

let count = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    count += 1;
    res.writeHead(200, { 'content-length': '0' });
    res.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => {
  process.stdout.write(`received ${count}\n`);
  process.exit(0);
});
