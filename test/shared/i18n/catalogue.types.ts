/**
 * Compile-time checks of the catalogue, run by `npm run typecheck` (not by vitest: nothing here
 * runs). Each `@ts-expect-error` line must be an error: if the catalogue's types were loosened (a
 * `Partial`, a `Record<string, …>`, parameters typed `any`), the directive would be unused and the
 * typecheck would fail.
 */
import { appError, type ErrorCode } from '../../../src/shared/errors';
import type { Words } from '../../../src/shared/i18n';
import { en } from '../../../src/shared/i18n/en';
import { zhCN } from '../../../src/shared/i18n/zh-CN';
import type { TopicName } from '../../../src/shared/topics';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T | undefined => undefined;

// A language without one of the window's words does not compile.
const { save: _save, ...withoutSave } = zhCN;
// @ts-expect-error: 'save' is missing
export const missingWord: Words = withoutSave;

// Nor one without the words of an error code.
const { memo_unknown: _memoUnknown, ...errorsWithoutOne } = en.errors;
// @ts-expect-error: 'memo_unknown' is missing
export const missingError: Words['errors'] = errorsWithoutOne;

// Nor one without the label of a TOP topic.
const { TradeBuyerPay: _paid, ...topicsWithoutOne } = zhCN.topics;
// @ts-expect-error: 'TradeBuyerPay' is missing
export const missingTopic: Words['topics'] = topicsWithoutOne;

// A topic added to src/shared/topics.ts is a key the catalogue must have: the keys are exactly the topics.
assertType<Equal<keyof Words['topics'], TopicName>>();
// And every error code has words.
assertType<Equal<keyof Words['errors'], ErrorCode>>();

// A word the catalogue does not know is not a word.
// @ts-expect-error: no such key
export const unknownWord: Words = { ...zhCN, saveAll: 'x' };

// Each message takes its own parameters, typed.
// @ts-expect-error: memo_too_long needs bytes, over and max
appError('validation', 'memo_too_long', { bytes: 1_001 });
// @ts-expect-error: a shop id is text
appError('validation', 'duplicate_shop', { id: 1 });
// @ts-expect-error: not a code
appError('validation', 'memo_is_too_long', {});
// @ts-expect-error: the words of a code take that code's parameters only
en.errors.gateway_code({ status: 502, sample: '' });
// @ts-expect-error: a notification title takes the news and an amount
zhCN.notify.title(12.5);
