// A horizontal bar chart as SVG, written by hand so the benchmark needs no charting dependency.

export interface Bar {
  label: string;
  value: number;
  highlight?: boolean;
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** One SVG with a title and one bar per entry, values printed with their unit. */
export function barChart(title: string, bars: Bar[], unit: string, digits = 1): string {
  const width = 720;
  const labelWidth = 190;
  const rowHeight = 28;
  const top = 44;
  const max = Math.max(...bars.map((b) => b.value), 1e-9);
  const plot = width - labelWidth - 110;
  const height = top + bars.length * rowHeight + 16;
  const rows = bars
    .map((b, i) => {
      const y = top + i * rowHeight;
      const w = Math.max(2, (b.value / max) * plot);
      const fill = b.highlight ? "#d9480f" : "#868e96";
      return [
        `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escape(b.label)}</text>`,
        `<rect x="${labelWidth}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowHeight - 10}" fill="${fill}" rx="2"/>`,
        `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 17}">${b.value.toFixed(digits)} ${escape(unit)}</text>`,
      ].join("");
    })
    .join("\n  ");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13">
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="16" y="26" font-size="15" font-weight="600">${escape(title)}</text>
  ${rows}
</svg>
`;
}
