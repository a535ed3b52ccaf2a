import type { ChildProcess } from 'node:child_process';

/** Sends `request` to a forked child and resolves with its next message; rejects if it exits first. */
export function askChild<Req extends { type: string }, Reply>(
  child: ChildProcess,
  request: Req,
  who: string,
): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const onMessage = (m: Reply) => {
      cleanup();
      resolve(m);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${who} exited (code ${code}) before answering ${request.type}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.send(request);
  });
}
