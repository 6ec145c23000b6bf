// Preloaded (node --require) into the offline-build test: any attempt to reach the network from the
// build process fails loudly, so a passing build proves it needed nothing but node_modules.
const dns = require("node:dns");
const net = require("node:net");
const fail = (what) => {
  const err = new Error(`network access attempted during offline build: ${what}`);
  err.code = "EOFFLINE";
  return err;
};
globalThis.fetch = async (input) => {
  throw fail(`fetch ${typeof input === "string" ? input : input && input.url}`);
};
const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  if (hostname === "localhost" || hostname === "127.0.0.1" || hostname === "::1") return lookup.call(this, hostname, ...rest);
  const cb = rest[rest.length - 1];
  process.nextTick(() => cb(fail(`dns ${hostname}`)));
};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const opts = typeof args[0] === "object" && args[0] !== null ? args[0] : {host: args[1], port: args[0]};
  if (opts.path) return connect.apply(this, args); // unix sockets (IPC with tsx) are local
  const host = opts.host || "localhost";
  if (host === "localhost" || host === "127.0.0.1" || host === "::1") return connect.apply(this, args);
  throw fail(`connect ${host}:${opts.port}`);
};
