/** Polls without timers (works under a fake clock too); real time bounds it. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`contract: never ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}
