/**
 * The catalogue, walked: every error code in both languages (the samples below are typed per
 * code, so a new code without one does not compile), every kind's advice, both languages' keys.
 * The English words hold no Chinese and the Chinese words no English beyond the names a Chinese
 * seller sees in English anyway (TradeBell, App Key, HTTP...). Text quoted from outside (a
 * gateway's msg, a path) is data and is left out of the check.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appError,
  type AppError,
  type ConnectionCause,
  type ErrorCode,
  type ErrorKind,
  type ErrorParams,
  type StorageCause,
  type TimeoutStage,
} from '../../../src/shared/errors';
import { MESSAGES } from '../../../src/shared/i18n';
import type { OrderNotification, SummaryNotification } from '../../../src/shared/domain';
import { TOP_TOPICS, TOPIC_GROUPS } from '../../../src/shared/topics';

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
/** Full-width punctuation belongs to the Chinese words. */
const CJK_PUNCTUATION = /[\u3000-\u303f\uff00-\uffef]/;
/** Latin words the Chinese UI uses as they are: names, and the technical terms a seller sees in English. */
const LATIN_IN_CHINESE = [
  'taobao_trade_TradeBuyerPay',
  'access_token',
  'TradeBell',
  'SessionKey',
  'App Secret',
  'App Key',
  'Secret',
  'vv-tool',
  'https://',
  'http://',
  'rediss://',
  'redis://',
  'quantity',
  'vvtype',
  'HTTP',
  'DNS',
  'ID',
];

const all = <K extends string>(r: Record<K, true>) => Object.keys(r) as K[];
const STAGES = all<TimeoutStage>({ connect: true, headers: true, body: true });
const CAUSES = all<ConnectionCause>({
  refused: true,
  reset: true,
  closed_by_peer: true,
  closed: true,
  broken_pipe: true,
  host_not_found: true,
  dns_failed: true,
  host_unreachable: true,
  network_unreachable: true,
});
const STORAGE = all<StorageCause>({ disk_full: true, io: true, locked: true, other: true });
const KINDS = all<ErrorKind>({
  transient: true,
  server: true,
  auth: true,
  quota: true,
  shop_unauthorized: true,
  bad_request: true,
  unsupported: true,
  not_found: true,
  unknown_code: true,
  bad_answer: true,
  http: true,
  timeout: true,
  network: true,
  validation: true,
  top: true,
  ipc: true,
  storage: true,
  internal: true,
});

/** Parameters for every code, each branch of its words at least once. Quoted text is ASCII, so
 * what is left after removing it is the catalogue's own. */
const SAMPLES: { [C in ErrorCode]: ErrorParams[C][] } = {
  bad_url: [{ url: 'ftp://x.example' }],
  answer_too_large: [{ maxBytes: 4_194_304, status: 200 }],
  body_deadline: [{ ms: 20_000 }],
  cancelled: [{}],
  timed_out: STAGES.map((stage) => ({ stage, sys: 'ETIMEDOUT' })),
  connection_failed: CAUSES.map((cause) => ({ cause, sys: 'ECONNRESET' })),
  network_failed: [{ detail: 'socket hang up' }, { sys: 'EPROTO', detail: 'EPROTO wrong version' }],
  http_status: [
    { status: 502, sample: 'Bad Gateway' },
    { status: 404, sample: '' },
  ],
  token_missing: [{}],
  token_invalid: [{}],
  unreadable_answer: [
    { status: 200, sample: 'login page' },
    { status: 200, sample: '' },
  ],
  answer_shape: [{ field: 'data.msg' }],
  gateway_code: [
    { gatewayCode: 204, msg: 'no calls left' },
    { gatewayCode: 999, msg: '' },
  ],
  over_quantity: [{ count: 250, quantity: 200 }],
  undecodable: [{ reason: 'msg_data is not base64' }],
  bad_shop_id: [{}, { id: 'a b' }],
  bad_tid: [{}],
  bad_flag: [{}],
  memo_not_text: [{}],
  memo_too_long: [{ bytes: 1_001, over: 1, max: 1_000 }],
  bad_quantity: [{ min: 10, max: 200, got: '9' }],
  bad_msg_type: [{}],
  memo_unknown: [{}],
  flag_unknown: [{}],
  keep_unknown: [{ field: 'memo' }, { field: 'flag' }],
  top_unreadable: [{ status: 200, sample: 'login' }],
  top_missing_root: [{ root: 'jindoucloud_message_authorize_permit_response', sample: '{}' }],
  top_credentials_missing: [{ missing: ['session'] }, { missing: ['appKey', 'appSecret', 'session'] }],
  top_error: [{ code: 'isv.invalid-parameter', msg: 'Remote service error', subMsg: 'invalid parameter' }, {}],
  consume_threw: [{ detail: 'TypeError: x is undefined' }],
  store_failed: STORAGE.map((cause) => ({ cause, messages: 5, sys: 'ENOSPC', detail: 'ENOSPC: no space' })),
  held_saved: [{ messages: 5, folders: ['/data/a', '/data/b'] }],
  held_lost: [{ messages: 5, batches: 2, detail: 'EIO' }],
  bad_secret: [{}],
  duplicate_shop: [{ id: 'shop1' }],
  bad_custom_ceiling: [{ minSeconds: 1, maxSeconds: 3_600 }],
  bad_address: [
    { setting: 'gatewayBaseUrl', url: 'ftp://x' },
    { setting: 'topBaseUrl', url: 'ftp://y' },
  ],
  bad_team_url: (['empty_or_long', 'scheme', 'no_host', 'query', 'database'] as const).map((problem) => ({ problem })),
  bad_team_password: [{}],
  bad_seat_name: [{ max: 32 }],
  bad_setting: [{ path: 'notify.quietHours.start' }],
  host_change_declined: [
    { setting: 'gatewayBaseUrl', host: 'gw.example' },
    { setting: 'teamUrl', host: 'team.example:6380' },
  ],
  host_change_unconfirmable: [{ setting: 'topBaseUrl', host: 'router.example' }],
  ipc_untrusted_sender: [{}],
  ipc_bad_payload: [{ fields: ['0.flag', '0.tid'] }],
  link_not_allowed: [{}],
  browser_failed: [{ detail: 'no browser' }],
  folder_in_use: [
    { dir: '/data', pid: 42 },
    { dir: '/data', pid: 42, host: 'shop-pc', lockFile: '/data/tradebell.lock' },
  ],
  folder_lock_contended: [{ dir: '/data', lockFile: 'tradebell.lock' }],
  journal_too_new: [{ file: '/data/inbox/journal.jsonl', found: '2.0', supported: 1 }],
  inbox_read_only: [{}],
  disk_full_at_start: [{ dir: '/data' }],
  internal: [{ detail: 'boom' }],
};

function samples(): AppError[] {
  return (Object.keys(SAMPLES) as ErrorCode[]).flatMap((code) =>
    (SAMPLES[code] as ErrorParams[ErrorCode][]).map(
      (params) => appError('internal', code, params as never) as AppError,
    ),
  );
}

/** The words with every quoted value taken out. */
function ownWords(text: string, e: AppError): string {
  const values = Object.values(e.params).flatMap((v) => (Array.isArray(v) ? v : [v]));
  let out = text;
  for (const v of values.map(String).sort((a, b) => b.length - a.length)) out = out.split(v).join(' ');
  return out;
}

function withoutLatinNames(text: string): string {
  let out = text;
  for (const name of LATIN_IN_CHINESE) out = out.split(name).join(' ');
  return out;
}

describe('the catalogue: errors in both languages', () => {
  it('words every code and every branch of it in English without Chinese', () => {
    for (const e of samples()) {
      const text = MESSAGES.en.errorText(e);
      expect(text.trim().length, e.code).toBeGreaterThan(0);
      const own = ownWords(text, e);
      expect(own, `${e.code}: ${text}`).not.toMatch(HAN);
      expect(own, `${e.code}: ${text}`).not.toMatch(CJK_PUNCTUATION);
    }
  });

  it('words every code and every branch of it in Chinese without English', () => {
    for (const e of samples()) {
      const text = MESSAGES['zh-CN'].errorText(e);
      expect(text, e.code).toMatch(HAN);
      expect(withoutLatinNames(ownWords(text, e)), `${e.code}: ${text}`).not.toMatch(/[A-Za-z]{2,}/);
    }
  });

  it('advises on every kind in both languages, and puts it after what happened', () => {
    for (const kind of KINDS) {
      expect(MESSAGES.en.advice[kind]).not.toMatch(HAN);
      expect(MESSAGES['zh-CN'].advice[kind]).toMatch(HAN);
      expect(withoutLatinNames(MESSAGES['zh-CN'].advice[kind])).not.toMatch(/[A-Za-z]{2,}/);
    }
    const e = appError('quota', 'gateway_code', { gatewayCode: 204, msg: '调用次数不足' });
    expect(MESSAGES.en.describe(e)).toBe(
      'The gateway answered with code 204 — No permission or no calls left: enable the endpoint or recharge at vv-tool, then resume.',
    );
    expect(MESSAGES['zh-CN'].describe(e)).toBe(
      '网关返回 204：调用次数不足 — 无该接口权限或调用次数不足，请到 vv-tool 官网开通接口或充值后点“继续”。',
    );
  });

  it('English shows TOP’s own English message, Chinese its Chinese detail', () => {
    const e = appError('top', 'top_error', {
      code: 'isv.invalid-parameter',
      msg: 'Remote service error',
      subMsg: '非法参数',
    });
    expect(MESSAGES.en.errorText(e)).toBe('Taobao Open Platform error: Remote service error (isv.invalid-parameter)');
    expect(MESSAGES['zh-CN'].errorText(e)).toBe('淘宝开放平台错误：非法参数（isv.invalid-parameter）');
  });
});

describe('the catalogue: both languages', () => {
  /** Every key path, objects walked, so a nested key missing from one language shows. */
  function keyPaths(v: unknown, at = ''): string[] {
    if (v === null || typeof v !== 'object') return [at];
    return Object.entries(v).flatMap(([k, x]) => keyPaths(x, `${at}.${k}`));
  }

  it('have the same keys at every depth', () => {
    expect(keyPaths(MESSAGES.en).sort()).toEqual(keyPaths(MESSAGES['zh-CN']).sort());
  });

  it('English holds no Chinese but the name of the Chinese language', () => {
    const source = readFileSync(resolve(import.meta.dirname, '../../../src/shared/i18n/en.ts'), 'utf8');
    const lines = source.split('\n').filter((l) => HAN.test(l));
    expect(lines).toEqual([expect.stringContaining("languages: { 'zh-CN': '简体中文', en: 'English' }")]);
  });

  it('names statuses, flags and refunds, and shows an unknown status as it came', () => {
    const zh = MESSAGES['zh-CN'];
    const en = MESSAGES.en;
    expect(zh.statusWord('WAIT_SELLER_SEND_GOODS')).toBe('待发货');
    expect(en.statusWord('WAIT_SELLER_SEND_GOODS')).toBe('To ship');
    expect(zh.statusWord('SOMETHING_NEW')).toBe('SOMETHING_NEW');
    expect(zh.statusWord('constructor')).toBe('constructor');
    expect(zh.statusWord(undefined)).toBe('—');
    expect([0, 1, 2, 3, 4, 5].map((f) => zh.flags[f as 0])).toEqual(['灰', '红', '黄', '绿', '蓝', '粉']);
    expect(en.flags[5]).toBe('Pink');
    expect(zh.refundWord('WAIT_SELLER_AGREE')).toBe('退款中');
    expect(zh.refundWord('SUCCESS')).toBe('退款成功');
    expect(zh.refundWord('CLOSED')).toBe('退款关闭');
  });

  it('names every TOP topic in lists and as news, by full or short name; an unknown one by its short name', () => {
    for (const m of Object.values(MESSAGES))
      for (const group of TOPIC_GROUPS) {
        expect(m.topicGroups[group].length).toBeGreaterThan(0);
        for (const topic of TOP_TOPICS[group]) {
          expect(m.topicName(topic)).not.toBe(topic);
          expect(m.topicNews(`taobao_${group}_${topic}`)).toBe(m.topics[topic].news);
        }
      }
    expect(MESSAGES['zh-CN'].topicName('TradeBuyerPay')).toBe('买家付款');
    expect(MESSAGES['zh-CN'].topicNews('taobao_trade_TradeBuyerPay')).toBe('新付款订单');
    expect(MESSAGES.en.topicName('taobao_trade_TradeSomethingNew')).toBe('TradeSomethingNew');
  });
});

describe('the catalogue: notifications', () => {
  const order: OrderNotification = {
    key: 'k',
    kind: 'order',
    shop: 'shop1',
    tids: ['1588826713157361977'],
    topic: 'taobao_refund_RefundCreated',
    sound: true,
    amountFen: 1_250,
    buyer: 'tb_buyer',
    items: ['T-shirt', 'Hat', 'Socks'],
    shopName: 'Shop One',
  };
  const summary: SummaryNotification = {
    key: 's',
    kind: 'summary',
    tids: ['1', '2', '3', '4', '5', '6', '7'],
    topic: 'taobao_trade_TradeBuyerPay',
    sound: true,
    count: 7,
    totalFen: 1_234_500,
    shopNames: ['Shop One', 'Shop Two'],
  };

  it('words an order and a summary in Chinese', () => {
    expect(MESSAGES['zh-CN'].notification(order)).toEqual({
      title: '新退款申请 ¥12.50',
      body: '买家：tb_buyer\nT-shirt、Hat 等 3 件商品\n店铺：Shop One\n订单号：1588826713157361977',
    });
    expect(MESSAGES['zh-CN'].notification(summary)).toEqual({
      title: '7 笔新付款订单，共 ¥12,345.00',
      body: '订单号：1、2、3、4、5 等 7 笔\n店铺：Shop One、Shop Two',
    });
    expect(MESSAGES['zh-CN'].notification({ ...summary, tids: [], totalFen: undefined }).title).toBe('7 条新付款订单');
  });

  it('words them in English without Chinese', () => {
    const o = MESSAGES.en.notification(order);
    const s = MESSAGES.en.notification(summary);
    expect(o).toEqual({
      title: 'New refund request ¥12.50',
      body: 'Buyer: tb_buyer\nT-shirt, Hat and 1 more\nShop: Shop One\nOrder 1588826713157361977',
    });
    expect(s).toEqual({
      title: 'New paid order ×7, ¥12,345.00 in total',
      body: 'Orders 1, 2, 3, 4, 5 and 2 more\nShops: Shop One, Shop Two',
    });
    for (const text of [o.title, o.body, s.title, s.body]) expect(text).not.toMatch(HAN);
  });
});
