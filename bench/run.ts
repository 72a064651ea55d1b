/**
 * `npm run bench [-- --only core,server,widget,reports,scale,answer]`: every benchmark section, each
 * against a baseline measured in the same run; prints markdown and writes docs/bench.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { runCoreBench } from './core.js';

type Section = { name: string; title: string; optIn?: boolean; run: () => Promise<string> };

const SECTIONS: Section[] = [
  { name: 'core', title: 'Answering core', run: () => runCoreBench() },
  {
    // Only with --only answer: the seed and 100× answer latency of core and scale, alone.
    name: 'answer',
    title: 'Answer latency',
    optIn: true,
    run: async () => (await import('./answer.js')).runAnswerBench(),
  },
  {
    name: 'widget',
    title: 'Widget size',
    run: async () => (await import('./widget-size.js')).widgetSizeReport(),
  },
  {
    name: 'server',
    title: 'Server',
    run: async () => (await import('./server.js')).runServerBench(),
  },
  {
    name: 'reports',
    title: 'Ingest: the shared work reports',
    run: async () => (await import('./reports-ingest.js')).runReportsIngestBench(),
  },
  {
    name: 'scale',
    title: 'Scale: many documents',
    run: async () => (await import('./scale.js')).runScaleBench(),
  },
];

async function main(): Promise<void> {
  const onlyArg = process.argv.find((a) => a.startsWith('--only'));
  const only = onlyArg
    ? (onlyArg.split('=')[1] ?? process.argv[process.argv.indexOf(onlyArg) + 1] ?? '').split(',')
    : null;
  const out: string[] = [
    `# Benchmarks (${new Date().toISOString().slice(0, 10)}, ${process.version})`,
    '',
  ];
  for (const s of SECTIONS) {
    if (only ? !only.includes(s.name) : s.optIn) continue;
    console.error(`bench: ${s.name}…`);
    out.push(`## ${s.title}`, '', await s.run(), '');
  }
  const text = out.join('\n');
  console.log(text);
  if (!only) {
    writeFileSync(path.join(PROJECT_ROOT, 'docs/bench.md'), text);
    updateReadme(
      text
        .replace(/^# .*\n/, '')
        .replace(/^## /gm, '### ')
        .replace(/^### ### /gm, '#### '),
    );
  }
}

/** Puts the figures between the README's bench markers. */
function updateReadme(figures: string): void {
  const file = path.join(PROJECT_ROOT, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (!readme.includes(start) || !readme.includes(end)) return;
  const [before] = readme.split(start);
  const after = readme.split(end)[1] ?? '';
  writeFileSync(file, `${before}${start}\n${figures.trim()}\n${end}${after}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
