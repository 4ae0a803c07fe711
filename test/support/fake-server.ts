import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on 127.0.0.1 that a fake AWS service answers on; `url` once started. */
export abstract class FakeServer {
  url = '';
  private readonly server = createServer((req, res) => this.answer(req, res));

  /** Answers one request. */
  protected abstract answer(req: IncomingMessage, res: ServerResponse): void;

  async start() {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop() {
    this.server.closeAllConnections();
    this.server.close();
  }
}
