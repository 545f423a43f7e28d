/** Whether we run on Deno: `Deno` is a global only there, looked up through globalThis so Node's typings need not know it. */
export const isDeno = (): boolean => typeof (globalThis as { readonly Deno?: unknown }).Deno !== "undefined"
