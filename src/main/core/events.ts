/** The core's events on one typed emitter: the parts publish, the faces listen. */
import { EventEmitter } from 'node:events';
import type { AppState, Unsubscribe } from '../../shared/api';
import type { NotificationSpec, Tid, TmcMessage, UndecodedMessage } from '../../shared/domain';
import type { AppError } from '../../shared/errors';

export interface CoreEvents {
  state: AppState;
  /** Tids whose order changed: new messages, a seen mark, a memo saved, a compaction. */
  orders: Tid[];
  /** A notification the policy decided to show. */
  notify: NotificationSpec;
  /** Each newly stored message (the CLI prints these). */
  message: TmcMessage;
  undecoded: UndecodedMessage;
  error: { shop?: string; error: AppError };
}

export class CoreEventHub {
  private readonly emitter = new EventEmitter();

  /** `state` reads the current AppState, for publishState(). */
  constructor(private readonly state: () => AppState) {}

  on<K extends keyof CoreEvents>(event: K, listener: (payload: CoreEvents[K]) => void): Unsubscribe {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  emit<K extends keyof CoreEvents>(event: K, payload: CoreEvents[K]): void {
    // An EventEmitter throws an 'error' nobody listens to: into the scheduler that reported it.
    // The error is in the state (the shop's status) and the log whether or not a face listens.
    if (event === 'error' && this.emitter.listenerCount('error') === 0) return;
    this.emitter.emit(event, payload);
  }

  /** Sends the current state, when anyone listens: a state nobody reads is not worth assembling. */
  publishState(): void {
    if (this.emitter.listenerCount('state') > 0) this.emit('state', this.state());
  }
}
