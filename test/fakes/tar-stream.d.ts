/** The part of tar-stream 1.x (a dependency of @vercel/client's tar-fs) that the Vercel fake reads archives with. */
declare module "tar-stream" {
  import type { Readable, Writable } from "node:stream";

  interface Header {
    name: string;
    size: number;
    type: string;
    mode: number;
  }
  interface Extract extends Writable {
    on(event: "entry", listener: (header: Header, stream: Readable, next: () => void) => void): this;
    on(event: "finish" | "close", listener: () => void): this;
    on(event: "error", listener: (error: Error) => void): this;
  }
  export function extract(): Extract;
}
