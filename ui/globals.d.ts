// What the page finds on `window` besides the DOM: Tauri's injected API (only api.js uses it),
// Chart.js (vendored, loaded by index.html), and the page's entry points for the E2E tests,
// which cannot drag real files, see desktop notifications or click native dialogs.
interface Window {
  __TAURI__: any;
  Chart: any;
  __kefudesk?: {
    drop(paths: string[], position?: unknown): void;
    nextSavePath?: string | null;
    background?: boolean;
    notifications?: { title: string; body: string }[];
  };
}
