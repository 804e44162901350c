// Express's static middleware (serve-static) for condspec's real-server
// tests, with its defaults: `node express-server.js PORT DOCROOT`, on
// 127.0.0.1 only. Prints "listening on http://..." once it accepts.
'use strict';
const express = require('express');

const [port, docroot] = process.argv.slice(2);
const app = express();
app.use(express.static(docroot));
const server = app.listen(Number(port), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
