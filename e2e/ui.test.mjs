// End-to-end test of the web UI in headless Chromium (Debian's, never a downloaded browser).
// Started by crates/levee/tests/ui_e2e.rs, which runs `levee serve` on loopback and passes:
//   LEVEE_E2E_URL        the server's base URL
//   LEVEE_E2E_USER/PASS  an assessor's credentials
//   LEVEE_E2E_SBOM       a CycloneDX SBOM to upload
//   LEVEE_E2E_ASSET      the asset to attach it to
//   LEVEE_E2E_SHOTS      where the screenshots go (CI keeps them as artefacts)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const need = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set; run this through cargo test -p levee --test ui_e2e`);
  return v;
};
const base = need('LEVEE_E2E_URL');
const shots = need('LEVEE_E2E_SHOTS');
const project = process.env.LEVEE_E2E_PROJECT || 'water-treatment';
mkdirSync(shots, { recursive: true });

async function openFindings(page) {
  const text = await page.locator(`tr[data-project-id="${project}"] [data-open-findings]`).getAttribute('data-open-findings');
  return Number(text);
}

test('sign in, upload an SBOM, triage a finding, see the dashboard change', async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const errors = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    // The refused sign-in (401) and triage (422) are logged by the browser as failed loads: expected.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });

    // Signed out, a page sends to /login and back.
    await page.goto(`${base}/projects`);
    assert.match(new URL(page.url()).pathname, /^\/login$/);
    await page.fill('input[name="username"]', need('LEVEE_E2E_USER'));
    await page.fill('input[name="password"]', 'not the password');
    await page.click('button[type="submit"]');
    assert.match(await page.locator('main').innerText(), /not valid|wrong|incorrect|refused/i);
    await page.fill('input[name="username"]', need('LEVEE_E2E_USER'));
    await page.fill('input[name="password"]', need('LEVEE_E2E_PASS'));
    await page.click('button[type="submit"]');
    await page.waitForURL(`${base}/projects`);
    const before = await openFindings(page);
    await page.screenshot({ path: `${shots}/dashboard-before.png`, fullPage: true });

    // The project page: diagram and heat map.
    await page.goto(`${base}/projects/${project}`);
    assert.equal(await page.locator('#zone-diagram').count(), 1);
    assert.ok(await page.locator('tr[data-zone-id]').count() > 0);
    await page.screenshot({ path: `${shots}/project.png`, fullPage: true });

    // Upload an SBOM onto an asset; the project is assessed again.
    await page.goto(`${base}/projects/${project}/upload`);
    await page.selectOption('#u-kind', 'sbom');
    await page.selectOption('#u-asset', need('LEVEE_E2E_ASSET'));
    await page.setInputFiles('#u-file', need('LEVEE_E2E_SBOM'));
    await page.click('#upload button[type="submit"]');
    await page.locator('#u-findings').waitFor({ timeout: 60000 });
    await page.click('#u-findings');
    await page.waitForURL(/\/findings$/);

    const rows = page.locator('tr[data-finding-id][data-state="open"]');
    const openRows = await rows.count();
    assert.ok(openRows > before, `the upload adds findings (${before} before, ${openRows} rows after)`);
    await page.goto(`${base}/projects`);
    const afterUpload = await openFindings(page);
    assert.equal(afterUpload, openRows, 'the dashboard counts the uploaded SBOM\'s findings');

    // Triage without a justification is refused and nothing changes.
    await page.goto(`${base}/projects/${project}/findings`);
    const row = page.locator('tr[data-finding-id][data-state="open"]').first();
    const fid = await row.getAttribute('data-finding-id');
    await row.locator('summary').click();
    const form = row.locator('form.triage');
    await form.locator('select[name="state"]').selectOption('not-affected');
    // The browser itself asks for the field; remove that so the server's refusal is tested.
    await form.locator('select[name="justification"]').evaluate((s) => { s.required = false; s.value = ''; });
    await form.locator('button[type="submit"]').click();
    await page.waitForLoadState();
    assert.match(await page.locator('main').innerText(), /justification/i);
    assert.equal(await page.locator(`tr[data-finding-id="${fid}"]`).getAttribute('data-state'), 'open');

    // Triage as not affected with a justification.
    const again = page.locator(`tr[data-finding-id="${fid}"]`);
    // The refused form comes back open with what was sent.
    if (!(await again.locator('details').evaluate((d) => d.open))) await again.locator('summary').click();
    const f2 = again.locator('form.triage');
    await f2.locator('select[name="state"]').selectOption('not-affected');
    await f2.locator('select[name="justification"]').selectOption('vulnerable_code_not_in_execute_path');
    await f2.locator('textarea[name="detail"]').fill('The web server of this CPU is disabled in the project.');
    await f2.locator('button[type="submit"]').click();
    await page.waitForLoadState();
    assert.match(await page.locator('main').innerText(), /Recorded the triage/);
    assert.equal(await page.locator(`tr[data-finding-id="${fid}"]`).getAttribute('data-state'), 'not-affected');
    await page.screenshot({ path: `${shots}/findings.png`, fullPage: true });

    // The dashboard counts one open finding less.
    await page.goto(`${base}/projects`);
    assert.equal(await openFindings(page), afterUpload - 1);
    await page.screenshot({ path: `${shots}/dashboard.png`, fullPage: true });
    // The project page says what the upload changed and records a review.
    await page.goto(`${base}/projects/${project}`);
    const diff = page.locator('.diff-summary');
    assert.ok(Number(await diff.getAttribute('data-new-findings')) > 0, 'the diff names the new findings');
    assert.match(await diff.innerText(), /new finding/);
    await page.fill('#r-note', 'Reviewed after the filtration PLC SBOM was added.');
    await page.click('form.review button[type="submit"]');
    await page.waitForLoadState();
    assert.match(await page.locator('section.monitor').innerText(), /Last review: by alice/);
    await page.screenshot({ path: `${shots}/project-monitoring.png`, fullPage: true });
    await page.goto(`${base}/projects`);
    assert.equal(await page.locator(`tr[data-project-id="${project}"] [data-review-state]`).getAttribute('data-review-state'), 'ok');
    assert.deepEqual(errors, [], 'no script or console errors');
  } finally {
    await browser.close();
  }
});
