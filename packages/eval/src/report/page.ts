import { html, type SafeHtml } from './html.js';

/**
 * A complete, self-contained HTML document: inline CSS only, no script, no
 * network access (no CDN, fonts or images), so it opens from disk anywhere.
 */
export function renderHtmlPage(page: { readonly title: string; readonly body: SafeHtml | readonly SafeHtml[] }): string {
  return String(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
<style>${STYLE}</style>
</head>
<body>
${page.body}
</body>
</html>
`);
}

// A literal without interpolations: trusted markup, inserted verbatim (escaping would corrupt CSS quotes).
const STYLE: SafeHtml = html`
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; margin: 24px auto; max-width: 1200px; padding: 0 20px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d8dce3; padding-bottom: 4px; } h3 { font-size: 15px; margin: 16px 0 6px; }
.meta { color: #5b6474; margin: 0 0 12px; }
table.comparison { border-collapse: collapse; margin: 8px 0 18px; font-variant-numeric: tabular-nums; }
table.comparison caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.comparison caption .direction { font-weight: 400; color: #5b6474; }
table.comparison th, table.comparison td { border: 1px solid #d8dce3; padding: 4px 10px; text-align: right; white-space: nowrap; }
table.comparison th[scope=row], table.comparison thead th:first-child { text-align: left; }
table.comparison thead th { background: #f2f4f7; }
table.comparison .average { background: #e8ecf2; }
table.comparison td.best { background: #eef7ee; }
table.comparison td.missing { color: #98a0ad; text-align: center; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
svg.line-chart { background: #fff; border: 1px solid #e3e6eb; border-radius: 4px; max-width: 100%; height: auto; }
svg.line-chart text { font: 11px system-ui, sans-serif; fill: #1d2330; }
svg.line-chart .chart-title { font-size: 13px; font-weight: 600; }
svg.line-chart .axis-label { font-size: 12px; fill: #3c4453; }
svg.line-chart .grid { stroke: #eceef2; }
svg.line-chart .frame { stroke: #9aa3b1; }
pre { background: #f6f8fa; border: 1px solid #e3e6eb; padding: 10px; overflow: auto; font-size: 12px; }
`;
