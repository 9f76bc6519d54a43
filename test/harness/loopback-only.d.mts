/** True for loopback names and addresses (and Node's default host): the only places a test may connect to. */
export function isLoopbackTarget(host: string | undefined | null): boolean;
