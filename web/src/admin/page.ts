/** What every console page gets. */
export interface PageContext {
  /** Editors change things; viewers only look. */
  canEdit: boolean;
  /** Announces a message in the status region (read by screen readers). */
  notify(message: string): void;
  /** Goes to another page, e.g. `#/curated?q=…`. */
  go(hash: string): void;
  /** The query part of the page's address. */
  params: URLSearchParams;
}

export interface Page {
  id: string;
  title: string;
  /** Renders the page's content into `body` (below the page's <h1>). */
  render(body: HTMLElement, ctx: PageContext): Promise<void>;
}
