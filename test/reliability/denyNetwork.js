/**
 * Preloaded with `node --require` (through NODE_OPTIONS) by the security tests: every outbound network attempt
 * (net/tls socket connects, dns lookups and resolutions, http(s) requests, fetch) is recorded, one line each, in the
 * file named by ONUS_NETWORK_LOG, and fails loudly with an exception. The tests pass only when the log stays empty.
 */
'use strict';
const fs = require('node:fs');

const log = process.env.ONUS_NETWORK_LOG;

function attempt(what) {
  return function denied() {
    const line = `${process.pid} ${what} ${JSON.stringify(Array.from(arguments).slice(0, 2), (_k, v) => (typeof v === 'function' ? 'fn' : v))}\n`;
    if (log) {
      fs.appendFileSync(log, line);
    }
    throw new Error(`network access denied during the test: ${what}`);
  };
}

const net = require('node:net');
const tls = require('node:tls');
const dns = require('node:dns');
const http = require('node:http');
const https = require('node:https');

net.connect = net.createConnection = attempt('net.connect');
net.Socket.prototype.connect = attempt('net.Socket.connect');
tls.connect = attempt('tls.connect');
for (const name of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'reverse']) {
  if (typeof dns[name] === 'function') {
    dns[name] = attempt(`dns.${name}`);
  }
  if (dns.promises && typeof dns.promises[name] === 'function') {
    dns.promises[name] = attempt(`dns.promises.${name}`);
  }
}
http.request = http.get = attempt('http.request');
https.request = https.get = attempt('https.request');
if (typeof globalThis.fetch === 'function') {
  globalThis.fetch = attempt('fetch');
}
