/** What a pool worker is started with (its `workerData`). */
export interface ContainerData {
  /** `file:` URL of the bundled handler module. */
  bundleUrl: string;
  /** The handler's source file and export, for error messages. */
  file: string;
  exportName: string;
  functionName: string;
  region: string;
}

/** An error as it crosses the thread boundary. */
export interface WireError {
  name: string;
  message: string;
  stack: string;
}

/** What the parent asks of a pool worker. */
export type ToWorker =
  /** Load a fresh instance of the handler's module: a new container (a cold start). */
  | { type: 'create'; containerId: number }
  /** Run one invocation in a container; the event as JSON text, a fresh copy as over the wire. */
  | { type: 'invoke'; containerId: number; requestId: string; event: string; deadline: number };

/** What a pool worker reports. `crash` without a container could not be pinned on one. */
export type FromWorker =
  | { type: 'ready'; containerId: number }
  | { type: 'init-error'; containerId: number; error: WireError }
  | { type: 'result'; requestId: string; result: unknown }
  | { type: 'error'; requestId: string; error: WireError }
  | { type: 'crash'; containerId?: number; requestId?: string; error: WireError }
  | { type: 'exit'; containerId?: number; requestId?: string; code: number };
