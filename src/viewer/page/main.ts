/**
 * The TsFile viewer page (a static page: served by `tsfile view`, or from any static host). Opens a
 * file from `?url=`, a URL field, the file picker or drag and drop; shows the devices/tables tree,
 * a table of each device's series with their statistics, and a chart of the checked series:
 * zoomed out it draws min/max envelopes from page statistics (nothing decoded), zoomed in it
 * decodes only the pages in view.
 */
import uPlot from 'uplot';
import { openUrl, TsFileReader, type ByteSource, type PageSummary, type SeriesInfo } from '../../../native-free/index.js';

/** At most this many points in view are decoded; above it the chart shows page envelopes. */
const DECODE_LIMIT = 20_000;
const COLORS = ['#1a4fa0', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490'];

interface ViewState {
  mode: 'empty' | 'envelope' | 'points';
  /** Pages whose statistics the chart draws (envelope) or whose points it decoded. */
  pagesInView: number;
  points: number;
  range: [number, number] | undefined;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLSpanElement>('status');
const tree = $<HTMLElement>('tree');
const tbody = $<HTMLTableElement>('series').tBodies[0]!;
const chartBox = $<HTMLDivElement>('chart');
const chartStatus = $<HTMLDivElement>('chart-status');

let reader: TsFileReader | undefined;
let device: string | undefined;
let infos: SeriesInfo[] = [];
const checked = new Set<string>();
const pageCache = new Map<string, Promise<PageSummary[]>>();
let plot: uPlot | undefined;
let drawing = Promise.resolve();
let generation = 0;
const state: ViewState = { mode: 'empty', pagesInView: 0, points: 0, range: undefined };

function say(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}

/** A ByteSource over a picked or dropped File: only the ranges asked for are read. */
function fileSource(file: File): ByteSource {
  return {
    byteLength: file.size,
    name: file.name,
    read: async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  };
}

async function open(what: string | File): Promise<void> {
  const label = typeof what === 'string' ? what : what.name;
  say(`opening ${label} …`);
  try {
    await reader?.close();
    reader = typeof what === 'string' ? await openUrl(new URL(what, location.href).href) : await TsFileReader.open(fileSource(what), { name: what.name });
    device = undefined;
    infos = [];
    checked.clear();
    pageCache.clear();
    tbody.replaceChildren();
    destroyPlot();
    const devices = await reader.devices();
    say(`${label}: TsFile v${reader.version}, ${devices.length} device${devices.length === 1 ? '' : 's'}`);
    renderTree(devices.map((d) => ({ path: d.path, group: d.model === 'table' ? d.table : parentOf(d.path) })));
    if (devices[0] !== undefined) await selectDevice(devices[0].path);
  } catch (e) {
    say(`${label}: ${(e as Error).message}`, true);
  }
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? path : path.slice(0, i);
}

function renderTree(devices: { path: string; group: string }[]): void {
  const groups = new Map<string, string[]>();
  for (const d of devices) groups.set(d.group, [...(groups.get(d.group) ?? []), d.path]);
  tree.replaceChildren(
    ...[...groups].map(([group, paths]) => {
      const details = document.createElement('details');
      details.open = groups.size <= 20;
      const summary = document.createElement('summary');
      summary.textContent = `${group} (${paths.length})`;
      details.append(
        summary,
        ...paths.map((p) => {
          const a = document.createElement('a');
          a.textContent = p.startsWith(`${group}.`) ? p.slice(group.length + 1) : p;
          a.title = p;
          a.dataset.device = p;
          a.addEventListener('click', () => void selectDevice(p));
          return a;
        }),
      );
      return details;
    }),
  );
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return v === 0 && 1 / v < 0 ? '-0' : String(v);
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return String(v);
}

async function selectDevice(path: string): Promise<void> {
  if (reader === undefined) return;
  device = path;
  for (const a of tree.querySelectorAll<HTMLAnchorElement>('a[data-device]')) a.classList.toggle('selected', a.dataset.device === path);
  infos = await reader.timeseries(path);
  checked.clear();
  pageCache.clear();
  const numeric = infos.filter((s) => ['INT32', 'INT64', 'FLOAT', 'DOUBLE', 'TIMESTAMP'].includes(s.dataType));
  if (numeric[0] !== undefined) checked.add(numeric[0].measurement);
  tbody.replaceChildren(
    ...infos.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.measurement = s.measurement;
      const st = s.statistics as unknown as Record<string, unknown>;
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = checked.has(s.measurement);
      box.disabled = !numeric.includes(s);
      box.addEventListener('change', () => {
        if (box.checked) checked.add(s.measurement);
        else checked.delete(s.measurement);
        void redraw(undefined);
      });
      const cells = [s.measurement, s.dataType, s.encoding, s.compression, s.points, s.startTime, s.endTime, st.min, st.max, st.first, st.last];
      const first = document.createElement('td');
      first.append(box);
      tr.append(first, ...cells.map((c) => Object.assign(document.createElement('td'), { textContent: text(c) })));
      return tr;
    }),
  );
  destroyPlot();
  await redraw(undefined);
}

function destroyPlot(): void {
  plot?.destroy();
  plot = undefined;
  state.mode = 'empty';
}

function pagesOf(measurement: string): Promise<PageSummary[]> {
  let p = pageCache.get(measurement);
  if (p === undefined) {
    p = reader!.pageStatistics(device!, measurement);
    pageCache.set(measurement, p);
  }
  return p;
}

/** x values and, per series, low and high values (equal where points were decoded). */
type Table = [number[], (number | null)[], (number | null)[]];

async function seriesTable(measurement: string, range: [number, number] | undefined): Promise<{ table: Table; pages: number; decoded: boolean; points: number }> {
  const all = await pagesOf(measurement);
  const inView = range === undefined ? all : all.filter((p) => Number(p.endTime) >= range[0] && Number(p.startTime) <= range[1]);
  const points = inView.reduce((n, p) => n + p.count, 0);
  if (range !== undefined && points <= DECODE_LIMIT) {
    const xs: number[] = [];
    const ys: (number | null)[] = [];
    for await (const { batch } of reader!.scan({ devices: [device!], measurements: [measurement], startTime: BigInt(Math.floor(range[0])), endTime: BigInt(Math.ceil(range[1])) })) {
      const t = batch.getChildAt(0)!;
      const v = batch.getChild(measurement)!;
      for (let i = 0; i < batch.numRows; i++) {
        const y = v.get(i) as number | bigint | null;
        if (y === null) continue;
        xs.push(Number(t.get(i) as bigint));
        ys.push(Number(y));
      }
    }
    return { table: [xs, ys, ys], pages: inView.length, decoded: true, points: xs.length };
  }
  const xs: number[] = [];
  const lo: (number | null)[] = [];
  const hi: (number | null)[] = [];
  for (const p of [...inView].sort((a, b) => (a.startTime < b.startTime ? -1 : 1))) {
    for (const t of p.startTime === p.endTime ? [p.startTime] : [p.startTime, p.endTime]) {
      xs.push(Number(t));
      lo.push(p.min ?? null);
      hi.push(p.max ?? null);
    }
  }
  return { table: [xs, lo, hi], pages: inView.length, decoded: false, points };
}

/** Joins per-series tables on their x values (sorted union; gaps are null). */
function join(tables: Table[]): uPlot.AlignedData {
  const xs = [...new Set(tables.flatMap((t) => t[0]))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const out: (number | null)[][] = [];
  for (const [tx, lo, hi] of tables) {
    const l = new Array<number | null>(xs.length).fill(null);
    const h = new Array<number | null>(xs.length).fill(null);
    tx.forEach((x, i) => {
      const j = at.get(x)!;
      if (l[j] === null) {
        l[j] = lo[i]!;
        h[j] = hi[i]!;
      }
    });
    out.push(l, h);
  }
  return [xs, ...out] as uPlot.AlignedData;
}

function redraw(range: [number, number] | undefined): Promise<void> {
  const mine = ++generation;
  drawing = drawing.then(() => (mine === generation ? draw(range, mine) : undefined)).catch((e: unknown) => say((e as Error).message, true));
  return drawing;
}

async function draw(range: [number, number] | undefined, mine: number): Promise<void> {
  const names = infos.filter((s) => checked.has(s.measurement)).map((s) => s.measurement);
  if (names.length === 0 || reader === undefined) {
    destroyPlot();
    chartStatus.textContent = 'check a numeric series to plot it';
    return;
  }
  const parts = await Promise.all(names.map((m) => seriesTable(m, range)));
  if (mine !== generation) return;
  const data = join(parts.map((p) => p.table));
  const decoded = parts.every((p) => p.decoded);
  state.mode = decoded ? 'points' : 'envelope';
  state.pagesInView = parts.reduce((n, p) => n + p.pages, 0);
  state.points = parts.reduce((n, p) => n + p.points, 0);
  state.range = range;
  chartStatus.textContent = decoded
    ? `${state.points} points decoded from ${state.pagesInView} pages in view`
    : `min/max envelope of ${state.pagesInView} pages from their statistics (nothing decoded; zoom in to see points)`;
  // A fresh chart per view: uPlot keeps per-data index windows that a new data set must not inherit.
  destroyPlot();
  state.mode = decoded ? 'points' : 'envelope';
  const series: uPlot.Series[] = [{}];
  const bands: uPlot.Band[] = [];
  names.forEach((m, i) => {
    const color = COLORS[i % COLORS.length]!;
    series.push({ label: `${m} min`, stroke: color, width: 1, spanGaps: true }, { label: `${m} max`, stroke: color, width: 1, spanGaps: true });
    bands.push({ series: [2 + 2 * i, 1 + 2 * i], fill: `${color}33` });
  });
  plot = new uPlot(
    {
      width: Math.max(400, chartBox.clientWidth || 800),
      height: 340,
      // Timestamps are milliseconds.
      ms: 1,
      scales: { x: { time: true } },
      series,
      bands,
      hooks: {
        setScale: [
          (u, scale) => {
            const min = u.scales.x.min;
            const max = u.scales.x.max;
            if (scale !== 'x' || min === undefined || max === undefined || min === null || max === null) return;
            // The page's own scale settings (a new chart, the view it was drawn for) are not zooms.
            const shown = state.range ?? [data[0][0] ?? min, data[0][data[0].length - 1] ?? max];
            if (u !== plot || (Math.abs(min - shown[0]) < 1 && Math.abs(max - shown[1]) < 1)) return;
            void redraw([min, max]);
          },
        ],
      },
    },
    data,
    chartBox,
  );
  if (range !== undefined) plot.setScale('x', { min: range[0], max: range[1] });
}

/** Zooms the chart to [from, to] (milliseconds), as a drag across the plot does. */
async function zoom(from: number, to: number): Promise<void> {
  plot?.setScale('x', { min: from, max: to });
  await settled();
}

async function settled(): Promise<void> {
  let seen: Promise<void> | undefined;
  while (seen !== drawing) {
    seen = drawing;
    await drawing;
  }
}

// Open from ?url=, the URL field, the picker, or a drop.
$<HTMLFormElement>('open-url').addEventListener('submit', (e) => {
  e.preventDefault();
  const url = $<HTMLInputElement>('url').value.trim();
  if (url !== '') void open(url);
});
$<HTMLInputElement>('file').addEventListener('change', (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f !== undefined) void open(f);
});
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  const f = e.dataTransfer?.files[0];
  if (f !== undefined) void open(f);
});
chartBox.addEventListener('dblclick', () => void redraw(undefined));

const initial = new URLSearchParams(location.search).get('url');
const ready = initial !== null ? open(initial).then(settled) : Promise.resolve();

/** For scripts and tests: the open reader, the chart's state, and zooming. */
(globalThis as unknown as { tsfileViewer: unknown }).tsfileViewer = {
  ready,
  state,
  zoom,
  settled,
  selectDevice: async (p: string) => {
    await selectDevice(p);
    await settled();
  },
  get reader() {
    return reader;
  },
  get plot() {
    return plot;
  },
};
