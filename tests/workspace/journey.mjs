// The workspace's journey in headless Chromium (Debian's, through playwright-core; nothing
// downloads a browser): sign in, edit a rule in a draft, test it on the sample request, run
// an impact analysis, publish it, find the audit entry, open the test run's transaction.
// axe-core checks every page (a serious or critical violation fails); a screenshot is
// saved of each. Run by tests/workspace/test_journey.py, which passes:
//   IRX_URL, IRX_KEY, IRX_SAMPLE (a request file), IRX_BASELINE (its live premium),
//   IRX_SHOTS (the screenshots' directory), IRX_NODE_MODULES (playwright-core, axe-core),
//   IRX_CHROMIUM (the browser's executable).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const env = (name) => {
  if (!process.env[name]) throw new Error(`${name} is not set`);
  return process.env[name];
};
const require = createRequire(join(env('IRX_NODE_MODULES'), 'noop.js'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const URL_ = env('IRX_URL');
const shots = env('IRX_SHOTS');
const sample = readFileSync(env('IRX_SAMPLE'), 'utf8');
const baseline = Number(env('IRX_BASELINE'));

const browser = await chromium.launch({ executablePath: env('IRX_CHROMIUM'), headless: true, args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const problems = [];
page.on('console', (m) => {
  if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
});
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.setDefaultTimeout(20_000);

async function check(name) {
  // Evaluated by DevTools, so the page's CSP (no inline script) does not stand in the way.
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const serious = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of found) console.log(`axe ${name}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
  if (serious.length) problems.push(`axe found ${serious.length} serious violation(s) on ${name}`);
  await page.screenshot({ path: join(shots, `workspace-${name}.png`), fullPage: true });
  console.log(`page ${name}: checked, screenshot saved`);
}

const step = (text) => console.log(`== ${text}`);
try {
  step('sign in');
  const started = Date.now();
  await page.goto(`${URL_}/workspace/`);
  await page.getByLabel('API key').waitFor();
  const firstRender = Date.now() - started;
  console.log(`first render: ${firstRender} ms`);
  if (firstRender > 3000) problems.push(`first render took ${firstRender} ms`);
  await check('sign-in');
  await page.getByLabel('API key').fill(env('IRX_KEY'));
  await page.getByRole('button', { name: 'Sign in' }).click();

  step('products');
  await page.getByRole('link', { name: 'IMCE' }).waitFor();
  await page.locator('tr', { hasText: 'IMCE' }).getByText(/% of \d+/).waitFor();
  await page.getByText(/v1 from always/).first().waitFor();
  await check('products');

  step('the flow of IMCE');
  await page.getByRole('link', { name: 'IMCE' }).click();
  await page.getByRole('heading', { name: 'Flow' }).waitFor();
  await page.getByText('1. validate request').waitFor();
  await check('flow');

  step('edit a rule, validated live');
  await page.getByRole('link', { name: 'Rules' }).click();
  await page.getByRole('button', { name: 'NY Building Age Surcharge' }).click();
  const condition = page.getByRole('textbox', { name: 'Condition 1', exact: true });
  await condition.fill('building.yearBuilt <');
  await page.locator('#rule-condition-0-error').waitFor();
  await check('rule-invalid');
  await condition.fill('building.yearBuilt < 1950');
  await page.getByLabel('Value (number or expression)').fill('1.2');
  await page.getByText(/^Valid: /).waitFor();
  await check('rule');
  await page.getByRole('button', { name: 'Save to draft' }).click();
  await page.getByText(/Saved "NY Building Age Surcharge"\. Draft v2/).waitFor();

  step('test the draft on the sample');
  await page.getByRole('link', { name: 'Test' }).click();
  await page.getByLabel('Sample request (JSON)').fill(sample);
  await page.getByRole('combobox', { name: 'Version' }).selectOption('draft');
  await page.getByRole('button', { name: 'Run test' }).click();
  await page.getByTestId('mode').filter({ hasText: 'simulation' }).waitFor({ timeout: 60_000 });
  const premium = Number((await page.getByTestId('premium').innerText()).replace(/,/g, ''));
  console.log(`draft premium ${premium}, live ${baseline}`);
  if (!(premium > baseline)) problems.push(`the draft's premium ${premium} is not above the live ${baseline}`);
  await page.getByText(/Worksheet: \d+ of \d+ rules fired/).first().waitFor();
  const testRun = await page.locator('.run dl a').first().innerText();
  const webUi = await page.getByRole('link', { name: 'Open the run in the Web UI' }).getAttribute('href');
  if (!webUi?.endsWith(`/namespaces/default/workflows/rate-${testRun}`)) problems.push(`Web UI link ${webUi}`);
  await check('test');

  step('impact over the last day');
  await page.getByRole('link', { name: 'Impact' }).click();
  await page.getByLabel('Last days').fill('1');
  await page.getByLabel(/Group by/).fill('insured.address.state');
  await page.getByRole('button', { name: 'Analyse the draft' }).click();
  await page.getByTestId('impact-status').filter({ hasText: 'completed' }).waitFor({ timeout: 120_000 });
  const summary = await page.getByTestId('impact-summary').innerText();
  console.log(`impact summary: ${summary.replace(/\s+/g, ' ')}`);
  if (!/Changed\s+[1-9]/.test(summary)) problems.push('the impact analysis found no change');
  await page.getByRole('img', { name: /premium change/ }).waitFor();
  await check('impact');

  step('diff against the published version');
  await page.getByRole('link', { name: 'Diff' }).click();
  await page.getByText(/Draft v2/).waitFor();
  await check('diff');

  step('publish with a reason and an effective date');
  await page.getByRole('link', { name: 'Flow' }).click();
  await page.getByLabel('Reason', { exact: true }).fill('NY building age surcharge 1.20');
  await page.getByLabel('Effective from', { exact: true }).fill(new Date().toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText(/^Published v2 effective /).waitFor();
  await check('publish');

  step('the audit entry');
  await page.getByRole('link', { name: 'Audit' }).click();
  await page.locator('tr[data-action="PUBLISH"]', { hasText: 'NY building age surcharge 1.20' }).waitFor();
  await check('audit');

  step('versions');
  await page.getByRole('link', { name: 'Versions' }).click();
  await page.getByText(/v2 rates from \d{4}-/).waitFor();
  await check('versions');

  step('the test run in the transaction view');
  await page.getByRole('link', { name: 'Transactions', exact: true }).click();
  await page.getByLabel('Product').fill('IMCE');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByRole('link', { name: testRun.slice(0, 8) }).waitFor();
  await check('transactions');
  await page.getByRole('link', { name: testRun.slice(0, 8) }).click();
  await page.getByRole('heading', { name: `Transaction ${testRun}` }).waitFor();
  await page.getByTestId('mode').filter({ hasText: 'simulation' }).waitFor();
  await page.getByText(/Worksheet: \d+ of \d+ rules fired/).first().waitFor();
  await check('transaction');
} catch (exc) {
  problems.push(`journey stopped: ${exc.message}`);
  await page.screenshot({ path: join(shots, 'workspace-failure.png'), fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}
for (const p of problems) console.error(p);
process.exit(problems.length ? 1 : 0);
