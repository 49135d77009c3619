import { html, type SafeHtml } from './html.js';

/** A plain table for a report section: column headings and rows of cells (all escaped). */
export interface ReportTable {
  readonly caption?: string;
  readonly columns: readonly string[];
  /** Each row as long as `columns`; numbers are printed as given (format them first). */
  readonly rows: readonly (readonly (string | number)[])[];
}

/**
 * Renders a {@link ReportTable} in the comparison tables' style (first
 * column as row headings, the others right-aligned). A row's cell count must
 * match the columns; a short row is padded with empty cells rather than
 * shifting the columns.
 */
export function renderReportTable(table: ReportTable): SafeHtml {
  const rows = table.rows.map((r) => {
    const cells = table.columns.map((_, j) => r[j] ?? '');
    return html`<tr><th scope="row">${cells[0] ?? ''}</th>${cells.slice(1).map((c) => html`<td>${c}</td>`)}</tr>`;
  });
  return html`<table class="comparison report-table">${table.caption === undefined ? '' : html`<caption>${table.caption}</caption>`}
<thead><tr>${table.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
<tbody>${rows}</tbody>
</table>`;
}
