/**
 * Which gateway the core talks to: the real one when a token is set, otherwise (demo mode) the
 * local one, started through the factory the face passes in, so the core never imports the
 * simulator. Whatever calls the gateway holds this connection rather than a client, so switching
 * between demo and real needs no new wiring.
 *
 * The real gateway is documented at an http:// address only, which sends the token in clear. When
 * the user prefers HTTPS (the default), the same host is checked for HTTPS once per process
 * (httpsProbe.ts, which bills nothing) and used over HTTPS when it answers.
 */
import type { Dispatcher } from 'undici';
import {
  DEMO_SHOP_NAMES,
  DEMO_SHOPS,
  DEMO_TOKEN,
  DEMO_TOP_APP_KEY,
  DEMO_TOP_SECRET,
  DEMO_TOP_SESSION,
} from '../../../shared/demo';
import type { ShopId } from '../../../shared/domain';
import type { Settings, ShopSettings } from '../../../shared/settings';
import type { Clock } from '../clock';
import type { Logger } from '../ports';
import type { LiveSettings } from '../settings';
import { GatewayClient } from './client';
import type { CostMeter } from './cost';
import type { HttpTimeouts } from './http';
import { httpsUrlOf, probeHttps, type HttpsProbe } from './httpsProbe';
import type { RateBudgets } from './rate';
import type { CallOptions, ConsumeRequest, Gateway, RemarkCall } from './types';

/** The local gateway of demo mode, as the core needs it. */
export interface DemoGateway {
  readonly url: string;
  close(): Promise<void>;
}

export interface DemoGatewayOptions {
  seed?: number;
  traffic: { ordersPerMinute: number };
  serviceTimeMs: number;
  shops: readonly string[];
}

/** Starts the local gateway; the faces pass the simulator's `startSimulator`. */
export type StartDemoGateway = (options: DemoGatewayOptions) => Promise<DemoGateway>;

export interface DemoOptions {
  start: StartDemoGateway;
  seed?: number;
  ordersPerMinute?: number;
  serviceTimeMs?: number;
}

/** Where subscriptions are managed, and with which credentials. */
export interface TopTarget {
  baseUrl: string;
  appKey: string;
  secret: () => string | null;
  session: () => string | null;
}

export interface ConnectionOptions {
  settings: LiveSettings;
  meter: CostMeter;
  clock: Clock;
  logger: Logger;
  /** Demo mode when no token is set; without it (or `false`), no token means no polling. */
  demo?: false | DemoOptions;
  dispatcher?: Dispatcher;
  budgets?: RateBudgets;
  timeouts?: Partial<HttpTimeouts>;
  /** Checks an https:// URL (tests pass a fake; the default is httpsProbe.ts). */
  probeHttps?: (httpsUrl: string) => Promise<HttpsProbe>;
}

const DEMO_SHOP_SETTINGS: ShopSettings[] = DEMO_SHOPS.map((id, i) => ({
  id,
  name: DEMO_SHOP_NAMES[i] ?? id,
  colour: i === 0 ? '#ff7a45' : '#597ef7',
  enabled: true,
}));

export class Connection implements Gateway {
  private client: GatewayClient;
  private demoGateway?: DemoGateway;
  private demoActive = false;
  private urlInUse: string;
  /** Per https:// URL, whether it answered: checked once per process. */
  private readonly probes = new Map<string, Promise<HttpsProbe>>();

  constructor(private readonly opts: ConnectionOptions) {
    this.urlInUse = opts.settings.current.gatewayBaseUrl;
    this.client = this.makeClient(this.urlInUse);
  }

  /** The base URL calls go to now. */
  get gatewayUrl(): string {
    return this.urlInUse;
  }

  /** True while the local gateway stands in for the real one. */
  get demo(): boolean {
    return this.demoActive;
  }

  consume(shop: string, req: ConsumeRequest, opts?: CallOptions): ReturnType<Gateway['consume']> {
    return this.client.consume(shop, req, opts);
  }

  remark(shop: string, req: RemarkCall, opts?: CallOptions): ReturnType<Gateway['remark']> {
    return this.client.remark(shop, req, opts);
  }

  /** Points the client at the real gateway when a token is set, at the local one otherwise. */
  async connect(): Promise<void> {
    const demo = this.opts.demo;
    const wantDemo = !this.opts.settings.secret('token') && demo !== false && demo !== undefined;
    if (wantDemo && !this.demoGateway) {
      this.demoGateway = await demo.start({
        seed: demo.seed,
        traffic: { ordersPerMinute: demo.ordersPerMinute ?? 4 },
        serviceTimeMs: demo.serviceTimeMs ?? 300,
        shops: DEMO_SHOPS,
      });
      this.opts.logger.info('demo mode: local gateway started', { url: this.demoGateway.url });
    }
    if (!wantDemo && this.demoGateway) {
      await this.closeDemo();
      this.opts.logger.info('token set: demo mode ended');
    }
    this.demoActive = wantDemo;
    // Without a token nothing is called, so there is nothing to check either.
    const configured = this.opts.settings.current.gatewayBaseUrl;
    const hasToken = this.opts.settings.secret('token') !== null;
    const url = this.demoGateway?.url ?? (hasToken ? await this.realUrl() : configured);
    await this.client.close();
    this.urlInUse = url;
    this.client = this.makeClient(url);
  }

  /** Whether a settings change moves the real gateway in use (its address, or whether HTTPS is
   * preferred), so connect() must run again; demo mode's local gateway stays where it is. */
  movedBy(before: Settings, after: Settings): boolean {
    return (
      !this.demoActive && (before.gatewayBaseUrl !== after.gatewayBaseUrl || before.preferHttps !== after.preferHttps)
    );
  }

  /** The configured base URL, or its https:// form when preferred and the host answers over HTTPS. */
  private async realUrl(): Promise<string> {
    const configured = this.opts.settings.current.gatewayBaseUrl;
    const https = this.opts.settings.current.preferHttps === false ? undefined : httpsUrlOf(configured);
    if (https === undefined) return configured;
    let probe = this.probes.get(https);
    if (!probe) {
      probe = (this.opts.probeHttps ?? ((u) => probeHttps(u, { dispatcher: this.opts.dispatcher })))(https);
      this.probes.set(https, probe);
    }
    const answer = await probe;
    if (answer.ok) return https;
    this.opts.logger.info('gateway: no HTTPS on this host, using http', { url: https, reason: answer.reason });
    return configured;
  }

  /** The shops polled: the user's, or in demo mode with none configured, the demo shops. */
  shopsInUse(): ShopSettings[] {
    const shops = this.opts.settings.current.shops;
    return this.demoActive && shops.length === 0 ? DEMO_SHOP_SETTINGS : shops;
  }

  enabledShopIds(): ShopId[] {
    return this.shopsInUse()
      .filter((s) => s.enabled)
      .map((s) => s.id);
  }

  /** The TOP router and credentials in use; undefined when the user has not entered them all. */
  top(): TopTarget | undefined {
    if (this.demoActive && this.demoGateway) {
      return {
        baseUrl: `${this.demoGateway.url}/router/rest`,
        appKey: DEMO_TOP_APP_KEY,
        secret: () => DEMO_TOP_SECRET,
        session: () => DEMO_TOP_SESSION,
      };
    }
    const s = this.opts.settings;
    if (!s.current.topAppKey || s.secret('topSecret') === null || s.secret('topSession') === null) return undefined;
    return {
      baseUrl: s.current.topBaseUrl,
      appKey: s.current.topAppKey,
      secret: () => s.secret('topSecret'),
      session: () => s.secret('topSession'),
    };
  }

  async close(): Promise<void> {
    await this.closeDemo();
    await this.client.close();
  }

  private async closeDemo(): Promise<void> {
    const demo = this.demoGateway;
    this.demoGateway = undefined;
    await demo?.close();
  }

  private makeClient(baseUrl: string): GatewayClient {
    return new GatewayClient({
      baseUrl,
      token: () => (this.demoActive ? DEMO_TOKEN : this.opts.settings.secret('token')),
      vvtype: () => this.opts.settings.current.vvtype,
      meter: this.opts.meter,
      clock: this.opts.clock,
      dispatcher: this.opts.dispatcher,
      budgets: this.opts.budgets,
      timeouts: this.opts.timeouts,
    });
  }
}
