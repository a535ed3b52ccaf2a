/**
 * An order's state as a snapshot keeps it: JSON, so -Infinity ("never") is written as null and
 * the refunds map as its entries. A snapshot line's checksum already proved the bytes are ours;
 * the schema makes sure the view can trust every field it will read.
 */
import { z } from 'zod';
import { orderKey, type Order } from '../../../shared/domain';
import { flagSchema } from '../../../shared/ipc';
import type { OrderState, RefundState } from './fold';

export interface SavedOrder {
  order: Order;
  statusAt: number | null;
  statusRank: number;
  paymentAt: number | null;
  memoAt: number | null;
  refunds: [string, RefundState][];
}

const time = z.number().nullable();
const text = z.string().optional();

const itemSchema = z.object({ oid: text, title: text, num: z.number().optional(), price: text });
const eventSchema = z.object({ msgId: z.string(), topic: z.string(), at: z.number(), status: text, refundId: text });
const refundSchema = z.object({ id: text, fee: text, status: z.string(), at: z.number() });

const orderSchema = z.object({
  shop: z.string(),
  tid: z.string(),
  status: text,
  payment: text,
  buyerNick: text,
  items: z.array(itemSchema),
  memo: text,
  flag: flagSchema.optional(),
  refund: z.object({ id: text, fee: text, status: z.string() }).optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  seen: z.boolean(),
  events: z.array(eventSchema),
});

export const savedOrderSchema = z.object({
  order: orderSchema,
  statusAt: time,
  statusRank: z.number(),
  paymentAt: time,
  memoAt: time,
  refunds: z.array(z.tuple([z.string(), refundSchema])),
}) satisfies z.ZodType<SavedOrder>;

export function isSavedOrder(v: unknown): v is SavedOrder {
  return savedOrderSchema.safeParse(v).success;
}

const saveTime = (t: number): number | null => (t === -Infinity ? null : t);
const loadTime = (t: number | null): number => t ?? -Infinity;

/** The saved form of a state; its order is the view's own object: write it out, do not keep it. */
export function toSaved(s: OrderState): SavedOrder {
  return {
    order: s.order,
    statusAt: saveTime(s.statusAt),
    statusRank: s.statusRank,
    paymentAt: saveTime(s.paymentAt),
    memoAt: saveTime(s.memoAt),
    refunds: s.refunds ? [...s.refunds] : [],
  };
}

/** The state a saved order holds; the saved order becomes its own. */
export function fromSaved(s: SavedOrder): OrderState {
  return {
    key: orderKey(s.order),
    order: s.order,
    sortAt: s.order.updatedAt,
    statusAt: loadTime(s.statusAt),
    statusRank: s.statusRank,
    paymentAt: loadTime(s.paymentAt),
    memoAt: loadTime(s.memoAt),
    refunds: s.refunds.length > 0 ? new Map(s.refunds) : undefined,
    haystack: undefined,
  };
}
