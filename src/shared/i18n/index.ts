/**
 * The catalogue: every word TradeBell shows, in Simplified Chinese (the default) and English, and
 * the few rules that put words together from data. Every face words what the core hands it here:
 * the window (useT), the tray, notifications and dialogs (src/main/electron), and the CLI.
 */
import type { NotificationSpec } from '../domain';
import type { AppError } from '../errors';
import { formatFen } from '../money';
import type { Language } from '../settings';
import { isKnownTopic, shortTopic } from '../topics';
import { en } from './en';
import type { Words } from './words';
import { zhCN } from './zh-CN';

export type { Words } from './words';

/** Tids written out in a summary's body; the notification carries all of them. */
const SUMMARY_TIDS_SHOWN = 5;
/** Item titles written out in an order's body. */
const ITEMS_SHOWN = 2;

export interface Catalogue extends Words {
  /** A trade status; one without words shows as it came, none as a dash. */
  statusWord(status: string | undefined): string;
  /** A topic's name in lists, by its full or short name; one without words shows its short name. */
  topicName(topic: string): string;
  /** A topic as news (a notification's title). */
  topicNews(topic: string): string;
  /** What happened, from the error's code and parameters. */
  errorText(error: AppError): string;
  /** What happened and what to do about it. */
  describe(error: AppError): string;
  /** A notification's title and body. */
  notification(spec: NotificationSpec): { title: string; body: string };
}

function catalogue(w: Words): Catalogue {
  const topic = (name: string) => {
    const short = shortTopic(name);
    return isKnownTopic(short) ? w.topics[short] : { name: short, news: short };
  };
  const errorText = (e: AppError) => (w.errors[e.code] as (params: AppError['params']) => string)(e.params);
  const money = (fen: number | undefined) => (fen === undefined ? undefined : `¥${formatFen(fen)}`);
  return {
    ...w,
    statusWord: (s) => (s === undefined ? '—' : Object.hasOwn(w.statuses, s) ? w.statuses[s as never] : s),
    topicName: (name) => topic(name).name,
    topicNews: (name) => topic(name).news,
    errorText,
    describe: (e) => w.errorLine(errorText(e), w.advice[e.kind]),
    notification: (spec) => {
      const news = topic(spec.topic).news;
      const n = w.notify;
      if (spec.kind === 'summary') {
        const lines: string[] = [];
        if (spec.tids.length > 0) lines.push(n.summaryOrders(spec.tids.slice(0, SUMMARY_TIDS_SHOWN), spec.tids.length));
        if (spec.shopNames.length > 0) lines.push(n.summaryShops(spec.shopNames));
        return {
          title: n.summaryTitle(news, spec.count, spec.tids.length > 0, money(spec.totalFen)),
          body: lines.join('\n'),
        };
      }
      const lines: string[] = [];
      if (spec.buyer) lines.push(n.buyer(spec.buyer));
      if (spec.items.length > 0) lines.push(n.items(spec.items.slice(0, ITEMS_SHOWN), spec.items.length));
      if (spec.memo !== undefined) lines.push(n.memo(spec.memo));
      if (spec.shopName) lines.push(n.shop(spec.shopName));
      const tid = spec.tids[0];
      if (tid !== undefined) lines.push(n.order(tid));
      return { title: n.title(news, money(spec.amountFen)), body: lines.join('\n') };
    },
  };
}

export const MESSAGES: Readonly<Record<Language, Catalogue>> = { 'zh-CN': catalogue(zhCN), en: catalogue(en) };

export function messagesFor(language: Language): Catalogue {
  return MESSAGES[language];
}
