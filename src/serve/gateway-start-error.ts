/** Options the gateway refuses to start with (unsafe, or a shadow it cannot run): exit 2 from the CLI. */
export class GatewayStartError extends Error {
  override readonly name = "GatewayStartError";
}
