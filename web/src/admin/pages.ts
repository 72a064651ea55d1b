/** The console's pages, in the order of the navigation. */
import type { Page } from './page.js';
import { analyticsPage } from './pages/analytics.js';
import { auditPage } from './pages/audit.js';
import { curatedPage } from './pages/curated.js';
import { documentsPage } from './pages/documents.js';
import { feedbackPage } from './pages/feedback.js';
import { gapsPage } from './pages/gaps.js';
import { settingsPage } from './pages/settings.js';
import { synonymsPage } from './pages/synonyms.js';

export const PAGES: Page[] = [
  documentsPage,
  gapsPage,
  curatedPage,
  synonymsPage,
  feedbackPage,
  analyticsPage,
  settingsPage,
  auditPage,
];
