// Preloaded (node --require) into a tool a test runs: any attempt to open a connection fails
// and is reported on stderr with NETWORK_ATTEMPT, for the test to assert there were none.
const net = require('node:net');

const MARKER = 'NETWORK_ATTEMPT';
const report = (what) => process.stderr.write(`${MARKER} ${what}\n`);

net.Socket.prototype.connect = function connect(options) {
  const target =
    typeof options === 'object' && options !== null ? `${options.host ?? options.path}:${options.port ?? ''}` : String(options);
  report(target);
  process.nextTick(() => this.destroy(new Error(`network access denied in tests (${target})`)));
  return this;
};

globalThis.fetch = async (input) => {
  report(`fetch ${String(input)}`);
  throw new TypeError('network access denied in tests');
};
