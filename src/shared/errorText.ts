import type { AppError, ErrorKind } from './errors';
import type { Language } from './settings';

/** What to do about each kind of error, in the user's words. One place for CLI and UI. */
const ADVICE: Record<ErrorKind, { zh: string; en: string }> = {
  transient: { zh: '网关暂时繁忙，稍后会自动重试。', en: 'The gateway is busy; TradeBell retries by itself.' },
  server: {
    zh: '网关系统错误，会放慢重试；若持续出现请联系 vv-tool 客服。',
    en: 'Gateway system error; retrying slowly. Contact vv-tool support if it persists.',
  },
  auth: {
    zh: '访问令牌无效，请在设置中重新填写 access_token。',
    en: 'The access token is invalid: enter a new one in Settings.',
  },
  quota: {
    zh: '无该接口权限或调用次数不足，请到 vv-tool 官网开通接口或充值后点“继续”。',
    en: 'No permission or no calls left: enable the endpoint or recharge at vv-tool, then resume.',
  },
  shop_unauthorized: {
    zh: '店铺未授权，请用返回的链接扫码授权后点“继续”。',
    en: 'Shop not authorised: scan the authorisation link, then resume.',
  },
  bad_request: {
    zh: '请求参数有误，请检查店铺 ID 和订单号。',
    en: 'Bad request parameters: check the shop id and order number.',
  },
  unsupported: {
    zh: '当前版本不支持该接口，请检查 vvtype 设置。',
    en: 'This endpoint is not supported for your plan: check the vvtype setting.',
  },
  not_found: { zh: '接口地址错误，请检查网关地址设置。', en: 'Wrong endpoint: check the gateway URL in Settings.' },
  unknown_code: {
    zh: '网关返回了未知结果码，请联系 vv-tool 客服。',
    en: 'The gateway answered with an unknown code: contact vv-tool support.',
  },
  bad_answer: {
    zh: '网关返回了无法识别的内容（可能是代理或网络问题），稍后自动重试。',
    en: 'The gateway answered with something unreadable (a proxy or network problem?); retrying later.',
  },
  http: {
    zh: '网关返回 HTTP 错误，稍后自动重试；若持续出现请检查网络或代理。',
    en: 'The gateway answered with an HTTP error; retrying later. Check your network or proxy if it persists.',
  },
  timeout: { zh: '网关响应超时，稍后自动重试。', en: 'The gateway timed out; retrying later.' },
  network: { zh: '无法连接网关，请检查网络连接。', en: 'Cannot reach the gateway: check your network connection.' },
  validation: { zh: '请修改后再保存。', en: 'Please correct it and save again.' },
  top: {
    zh: '淘宝开放平台返回错误，请检查 App Key、Secret 和 SessionKey。',
    en: 'Taobao Open Platform error: check the app key, secret and session key.',
  },
  ipc: { zh: '内部请求无效，请重启 TradeBell。', en: 'Invalid internal request: restart TradeBell.' },
  storage: {
    zh: '请释放磁盘空间，或让杀毒、备份软件放行 TradeBell 的数据文件夹；已收到的消息保留在内存中，保存成功后自动继续接收。',
    en: "Free disk space, or let your antivirus or backup tool release TradeBell's data folder; the messages received are kept in memory and polling goes on once they are saved.",
  },
  internal: {
    zh: '内部错误，请重启 TradeBell；若持续出现请查看日志。',
    en: 'Internal error: restart TradeBell, and see the log if it persists.',
  },
};

export function errorAdvice(kind: ErrorKind, lang: Language): string {
  return lang === 'en' ? ADVICE[kind].en : ADVICE[kind].zh;
}

export function describeError(e: AppError, lang: Language): string {
  const code = e.code !== undefined ? ` (${e.code})` : '';
  return `${e.message}${code} — ${errorAdvice(e.kind, lang)}`;
}
