/** What a container is started with (its `workerData`). */
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

/** An invocation for the container: the event as JSON text (a fresh copy, as over the wire). */
export interface ToContainer {
  requestId: string;
  event: string;
  /** Epoch ms at which the invocation times out. */
  deadline: number;
}

/** What a container reports. */
export type ToParent =
  | { type: 'ready' }
  | { type: 'init-error'; error: WireError }
  | { type: 'result'; requestId: string; result: unknown }
  | { type: 'error'; requestId: string; error: WireError }
  | { type: 'crash'; error: WireError };
