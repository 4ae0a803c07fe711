import WebSocket from 'ws';

interface Seen {
  id?: string;
  text: string;
}

/**
 * A chat member for the soak: keeps its view of the room by seq, resumes with `since` after
 * every drop, and follows a capped resume (`hasMore`) until it has everything.
 */
export class SoakClient {
  view = new Map<number, Seen>();
  /** Seqs the server said hold no message and never will. */
  skipped = new Set<number>();
  reconnects = 0;
  private ws: WebSocket | undefined;
  private acks = new Map<string, () => void>();
  private caughtUp: (() => void) | undefined;

  constructor(
    private url: string,
    readonly room: string,
    readonly name: string,
  ) {}

  /** Highest seq such that 1..seq are all resolved (in view or skipped): where a resume starts. */
  contiguous() {
    let seq = 0;
    while (this.view.has(seq + 1) || this.skipped.has(seq + 1)) seq++;
    return seq;
  }

  get open() {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Connects (again) with `since`; resolves when the replay has fully arrived. */
  connect(): Promise<void> {
    // One socket per client: a reconnect replaces (and drops) whatever it had.
    this.kill();
    const since = this.contiguous();
    const query = new URLSearchParams({ room: this.room, name: this.name, since: String(since) });
    const ws = new WebSocket(`${this.url}/?${query}`);
    this.ws = ws;
    const done = new Promise<void>((resolve) => {
      this.caughtUp = resolve;
    });
    ws.on('message', (data) =>
      this.receive(JSON.parse(data.toString()) as Record<string, unknown>),
    );
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.ws === ws) this.caughtUp?.();
    });
    return done;
  }

  /** Drops the connection without a close handshake, as a lost network would. */
  kill() {
    this.ws?.terminate();
    this.ws = undefined;
    // Whoever waits for this connection's replay stops waiting: it is gone.
    this.caughtUp?.();
  }

  /** Sends with an id and resolves when its echo arrives, or rejects after `ms`. */
  send(id: string, text: string, ms: number) {
    return new Promise<void>((resolve, reject) => {
      if (!this.open) return reject(new Error('not connected'));
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error('timeout'));
      }, ms);
      this.acks.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws?.send(JSON.stringify({ action: 'sendmessage', message: text, id }));
    });
  }

  private add(message: Record<string, unknown>) {
    this.view.set(message.seq as number, {
      text: message.text as string,
      ...(typeof message.id === 'string' ? { id: message.id } : {}),
    });
    if (typeof message.id === 'string') this.acks.get(message.id)?.();
  }

  private receive(frame: Record<string, unknown>) {
    if (frame.type === 'message') this.add(frame);
    if (frame.type !== 'history') return;
    for (const message of frame.messages as Record<string, unknown>[]) this.add(message);
    for (const seq of (frame.skipped as number[] | undefined) ?? []) this.skipped.add(seq);
    if (!frame.hasMore) {
      this.caughtUp?.();
      return;
    }
    // A capped resume: come back for the rest.
    const outer = this.caughtUp;
    this.caughtUp = undefined;
    this.reconnects++;
    this.kill();
    void this.connect().then(() => outer?.());
  }
}
