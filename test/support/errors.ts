/** Errors as the gateway client makes them, for fakes: a result code and the gateway's msg. */
import { appError, type AppErrorOf, type ErrorKind } from '../../src/shared/errors';

/** The gateway answered `gatewayCode`; a kind the wire has no code for gets code 0. */
export function gatewayError(
  kind: ErrorKind,
  gatewayCode = 0,
  extra: { endpoint?: string; authUrl?: string; msg?: string } = {},
): AppErrorOf<'gateway_code'> {
  const { msg = `fake ${kind}`, ...rest } = extra;
  return appError(kind, 'gateway_code', { gatewayCode, msg }, rest);
}
