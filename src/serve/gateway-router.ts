import { undiciJsonPost } from "../providers/hosted/undici-post.ts";
import { networkProviderLoader } from "../providers/network-loader.ts";
import { withOfflineProviders } from "../providers/offline-loader.ts";
import { type CreateRouter, routerFactory } from "../runtime/create-router.ts";

// The gateway's createRouter: routegate/runtime's (the same built-in providers, each loaded when a
// config names it), with the adapters handed a plain HTTP transport for non-streamed calls. The
// SDKs' fetch (WHATWG Request/Response, web streams) was the largest share of the gateway's CPU
// per request; the adapters keep building the bodies and reading the replies and errors.

const post = undiciJsonPost();

export const createGatewayRouter: CreateRouter = routerFactory(() =>
  withOfflineProviders(networkProviderLoader({ post })),
);
