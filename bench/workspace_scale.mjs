// The workspace at scale, in headless Chromium: a product's 300 rules listed and
// filtered, its 1,500-row decision table opened, paged and edited. Prints each
// interaction's time, from the input to the page showing its effect. Run by
// bench/workspace_scale.py, which defines the product and passes IRX_URL, IRX_KEY,
// IRX_NODE_MODULES (playwright-core) and IRX_CHROMIUM.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const env = (name) => {
  if (!process.env[name]) throw new Error(`${name} is not set`);
  return process.env[name];
};
const require = createRequire(join(env('IRX_NODE_MODULES'), 'noop.js'));
const { chromium } = require('playwright-core');

const browser = await chromium.launch({ executablePath: env('IRX_CHROMIUM'), headless: true, args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.setDefaultTimeout(60_000);
const timings = [];

async function timed(what, act, done) {
  const started = performance.now();
  await act();
  await done();
  const ms = performance.now() - started;
  timings.push([what, ms]);
  console.log(`${what.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms`);
}

try {
  await page.goto(`${env('IRX_URL')}/workspace/`);
  await page.getByLabel('API key').fill(env('IRX_KEY'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'BIG' }).waitFor();
  const rules = page.getByRole('list', { name: 'Rules' }).getByRole('button');

  await timed('open the rules tab: 300 rules listed',
    () => page.goto(`${env('IRX_URL')}/workspace/products/BIG/rules`),
    () => rules.nth(299).waitFor());
  await timed('filter the list ("rule 12": 10 rules)',
    () => page.getByLabel('Filter rules').fill('rule 12'),
    async () => { while ((await rules.count()) !== 10) await page.waitForTimeout(5); });
  await timed('clear the filter: 300 rules again',
    () => page.getByLabel('Filter rules').fill(''),
    () => rules.nth(299).waitFor());
  await timed('open a rule with a 1,500-row table (first 100 rows)',
    () => page.getByRole('button', { name: 'Equipment class factor' }).click(),
    () => page.getByLabel('Row 100 Primary class', { exact: true }).waitFor());
  await timed('next rows (101-200)',
    () => page.getByRole('button', { name: 'Next rows' }).click(),
    () => page.getByLabel('Row 200 Primary class', { exact: true }).waitFor());
  const cell = page.getByLabel('Row 150 Factor', { exact: true });
  await cell.fill('');
  await timed('type into a cell of row 150 (6 keys)',
    () => cell.pressSequentially('1.2345'),
    async () => {
      const until = performance.now() + 5000;
      while ((await cell.inputValue()) !== '1.2345') {
        if (performance.now() > until) throw new Error(`the cell holds ${await cell.inputValue()}`);
        await page.waitForTimeout(5);
      }
    });
  await timed('13 pages on, to rows 1,401-1,500 (13 clicks)',
    async () => { for (let i = 0; i < 13; i++) await page.getByRole('button', { name: 'Next rows' }).click(); },
    () => page.getByLabel('Row 1500 Primary class', { exact: true }).waitFor());
  const worst = Math.max(...timings.map(([, ms]) => ms));
  console.log(`slowest interaction: ${worst.toFixed(0)} ms`);
} finally {
  await browser.close();
}
