import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { WireMessage, WireUpdate } from '../../src/protocol/frames.js';
import { CHAT_PROTOCOL, KEY_BYTES, keyProtocol } from '../../src/protocol/subprotocol.js';
import { framesOf } from '../message-frames.js';
import { RoomView } from './room-view.js';

/** How long a client waits for its replay before it reconnects. */
const REPLAY_WAIT_MS = 10_000;

/** When the author was told that the message at `seq` of this room was deleted (epoch ms). */
export type DeletionAcks = (seq: number) => number | undefined;

/**
 * A chat member for the soak: keeps its view of the room in current state, resumes with `since`
 * after every drop, and follows a capped resume (`hasMore`) until it has everything. It sends,
 * edits and deletes with acknowledgements, and may say it is typing.
 */
export class SoakClient {
  view = new RoomView();
  reconnects = 0;
  /** Connections whose replay did not arrive within `REPLAY_WAIT_MS` (the client reconnected). */
  replaysMissing = 0;
  typingSent = 0;
  typingReceived = 0;
  /** Typing frames naming this client that reached the only connection of it that typed. */
  typingEchoes = 0;
  /** Error frames received, by code. */
  errors = new Map<string, number>();
  /** What the server got wrong as this client saw it (deleted text read back, unexpected errors). */
  problems: string[] = [];
  private ws: WebSocket | undefined;
  /**
   * Its key, offered on every connection as the page offers its own: what makes it the author of
   * its messages again after a drop (its retried ids and its edits depend on it).
   */
  private key = randomBytes(KEY_BYTES);
  /** Which of this client's connections is the current one, and when it was opened. */
  private generation = 0;
  private openedAt = 0;
  /** The connections on which this client sent `typing`. */
  private typedOn = new Set<number>();
  /** Requests waiting for their acknowledgement, by what will acknowledge them. */
  private acks = new Map<string, { resolve: (seq: number) => void; reject: (e: Error) => void }>();
  private caughtUp: (() => void) | undefined;

  constructor(
    private url: string,
    readonly room: string,
    readonly name: string,
    private deletionAcks: DeletionAcks = () => undefined,
  ) {}

  get open() {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Connects (again) with `since`; resolves when the replay has fully arrived. */
  connect(): Promise<void> {
    // One socket per client: a reconnect replaces (and drops) whatever it had.
    this.kill();
    const since = this.view.contiguous();
    const query = new URLSearchParams({ room: this.room, name: this.name, since: String(since) });
    const ws = new WebSocket(`${this.url}/?${query}`, [CHAT_PROTOCOL, keyProtocol(this.key)]);
    this.ws = ws;
    this.generation++;
    this.openedAt = Date.now();
    const generation = this.generation;
    let settled = false;
    const done = new Promise<void>((resolve) => {
      this.caughtUp = () => {
        settled = true;
        resolve();
      };
    });
    // A replay that does not come in time (a `$connect` or its replay held up under load): the
    // client reconnects, as a person would reload.
    setTimeout(() => {
      if (settled || this.ws !== ws) return;
      this.replaysMissing++;
      const outer = this.caughtUp;
      this.caughtUp = undefined;
      void this.connect().then(() => outer?.());
    }, REPLAY_WAIT_MS);
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      for (const one of framesOf(frame)) this.receive(one, generation);
    });
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
    // What was waiting for an acknowledgement on it is sent again on the next connection.
    for (const { reject } of [...this.acks.values()]) reject(new Error('dropped'));
    // Whoever waits for this connection's replay stops waiting: it is gone.
    this.caughtUp?.();
  }

  /** Sends with an id; resolves with its seq when its echo arrives, or rejects after `ms`. */
  send(id: string, text: string, ms: number, loseAck = false) {
    return this.request(`id:${id}`, { action: 'sendmessage', message: text, id }, ms, loseAck);
  }

  /** Edits the message at `seq`; resolves when the edit (or a read showing it) arrives. */
  edit(seq: number, text: string, ms: number, loseAck = false) {
    const frame = { action: 'editmessage', seq, message: text };
    return this.request(`edit:${seq}:${text}`, frame, ms, loseAck);
  }

  /** Deletes the message at `seq`; resolves when a delete frame (or a read showing it) arrives. */
  delete(seq: number, ms: number, loseAck = false) {
    return this.request(`delete:${seq}`, { action: 'deletemessage', seq }, ms, loseAck);
  }

  /** One keystroke's `typing` frame (the server coalesces them). */
  typing() {
    if (!this.open) return;
    this.typedOn.add(this.generation);
    this.typingSent++;
    this.ws?.send(JSON.stringify({ action: 'typing' }));
  }

  /**
   * Sends `frame` and resolves with the seq that acknowledges it, or rejects after `ms` or when
   * the connection drops. `loseAck` drops the connection as soon as the frame is written, so the
   * acknowledgement is lost (whether or not the server acted on the frame).
   */
  private request(key: string, frame: Record<string, unknown>, ms: number, loseAck = false) {
    return new Promise<number>((resolve, reject) => {
      const ws = this.ws;
      if (ws === undefined || !this.open) return reject(new Error('not connected'));
      const settle = () => {
        this.acks.delete(key);
        clearTimeout(timer);
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error('timeout'));
      }, ms);
      this.acks.set(key, {
        resolve: (seq) => {
          settle();
          resolve(seq);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      ws.send(JSON.stringify(frame), () => {
        if (loseAck && this.ws === ws) this.kill();
      });
    });
  }

  private addMessage(message: WireMessage, read: boolean) {
    this.view.addMessage(message);
    if (read) this.checkNotDeleted(message.seq, message.text);
    // Only the author's own frame (its acknowledgement) carries the id.
    if (message.id !== undefined) this.acks.get(`id:${message.id}`)?.resolve(message.seq);
    if (message.deleted) this.acks.get(`delete:${message.seq}`)?.resolve(message.seq);
    else if (message.editedAt !== undefined)
      this.acks.get(`edit:${message.seq}:${message.text}`)?.resolve(message.seq);
  }

  private applyUpdate(update: WireUpdate, read: boolean) {
    this.view.applyUpdate(update);
    if ('deleted' in update) {
      this.acks.get(`delete:${update.target}`)?.resolve(update.seq);
      return;
    }
    if (read) this.checkNotDeleted(update.target, update.text);
    this.acks.get(`edit:${update.target}:${update.text}`)?.resolve(update.seq);
  }

  /**
   * A read made on a connection opened after a deletion was acknowledged must not carry the
   * deleted message's text. (A live edit broadcast before the deletion may still be on its way,
   * so only reads and new `message` frames are held to it.)
   */
  private checkNotDeleted(seq: number, text: string) {
    const acknowledged = this.deletionAcks(seq);
    if (acknowledged !== undefined && acknowledged < this.openedAt && text !== '') {
      this.problems.push(`${this.name} in ${this.room}: read deleted message ${seq}'s text`);
    }
  }

  /** One frame (a busy room's batch comes here as the `message` frames it stands for). */
  private receive(frame: Record<string, unknown>, generation: number) {
    switch (frame.type) {
      case 'message':
        return this.addMessage(frame as unknown as WireMessage, true);
      case 'edit':
      case 'delete':
        return this.applyUpdate(frame as unknown as WireUpdate, false);
      case 'typing':
        return this.typed(frame.name as string, generation);
      case 'error':
        return this.refused(frame.code as string, frame.message as string, generation);
      case 'history':
        return this.page(frame);
    }
  }

  /**
   * Errors the soak's clients may meet: `rate_limited` and `internal` (a send, edit or delete is
   * retried on its timeout), and a connection the store no longer knows (the client reconnects,
   * as told). Any other error answers something the soak never does wrong: a problem.
   */
  private refused(code: string, message: string, generation: number) {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
    if (code === 'rate_limited' || code === 'internal') return;
    if (message.includes('not registered')) {
      if (generation === this.generation) void this.connect();
      return;
    }
    this.problems.push(`${this.name} got error ${code}: ${message}`);
  }

  /**
   * A typing frame naming this client is an echo of its own only when the connection it reached
   * is the only one of this client that typed: another of its connections (an earlier one whose
   * broadcast was still on its way) is a member like any other.
   */
  private typed(name: string, generation: number) {
    this.typingReceived++;
    if (name !== this.name) return;
    if (this.typedOn.size === 1 && this.typedOn.has(generation)) this.typingEchoes++;
  }

  private page(frame: Record<string, unknown>) {
    for (const message of frame.messages as WireMessage[]) this.addMessage(message, true);
    for (const update of (frame.updates as WireUpdate[] | undefined) ?? [])
      this.applyUpdate(update, true);
    for (const seq of (frame.skipped as number[] | undefined) ?? []) this.view.skipped.add(seq);
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
