import net from 'node:net';

/** A port free on `host` right now (the tests' stand-in for the user's network address is 127.0.0.2). */
export function freePort(host = '127.0.0.2'): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, host, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
