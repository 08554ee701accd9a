/**
 * Case variants of `set-cookie`, one per cookie: the only way to send several through a result whose
 * `headers` map holds one string per key (ALB single-value mode, VPC Lattice); a comma join corrupts
 * `Expires=`. 512 exist: asked for a 513th, it throws (the handler answers a logged 500) rather than let
 * a cookie be dropped unseen. Its own module so that an adapter using it does not link the ALB adapter.
 * @example cookieHeaderName(1) // "Set-cookie"
 */
export function cookieHeaderName(index: number): string {
  if (index > 511) throw new TypeError("over 512 Set-Cookie (ALB: use multi-value mode)");
  let bit = 0;
  return "set-cookie".replace(/[a-z]/g, (letter) => ((index >> bit++) & 1 ? letter.toUpperCase() : letter));
}
