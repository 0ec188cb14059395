import type { Store } from '../store';
import { buildReport, type Report, type ReportOptions } from './build';
import { reportHtml, type HtmlOptions } from './html';
import { reportMarkdown } from './markdown';

export { buildReport, adviseJob, classifyReason, type Report, type JobReport, type ReportOptions } from './build';
export { reportHtml } from './html';
export { reportMarkdown } from './markdown';

export type ReportFormat = 'md' | 'json' | 'html';

/** A report in one of its formats, ready to print or save. */
export function renderReport(store: Store, format: ReportFormat, options: ReportOptions & HtmlOptions = {}): { report: Report; text: string; mime: string } {
  const report = buildReport(store, options);
  switch (format) {
    case 'json':
      return { report, text: `${JSON.stringify(report, null, 2)}\n`, mime: 'application/json' };
    case 'html':
      return { report, text: reportHtml(report, options), mime: 'text/html' };
    case 'md':
      return { report, text: reportMarkdown(report), mime: 'text/markdown' };
  }
}
