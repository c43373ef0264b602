/**
 * End to end in a real browser: Debian's Chromium, driven by playwright-core (no browser
 * download). Fills the category form and the segment form as a person would, submits, and
 * reads the result pages; `UPDATE_SCREENSHOTS=1` keeps the screenshots in docs/ for the README. Skips with a note where
 * /usr/bin/chromium is missing (.ci/run installs it).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';
import { startService, type RunningService } from './service-process.js';

const CHROMIUM = '/usr/bin/chromium';
// npm test writes only under the temp folder; UPDATE_SCREENSHOTS=1 refreshes the README's pictures in docs/.
const shots = process.env.UPDATE_SCREENSHOTS === '1' ? join(repoRoot, 'docs') : tmpdir();
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

describe.skipIf(!hasChromium)('in Chromium', () => {
  let service: RunningService;
  let browser: Browser;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'retail-ml-browser-'));
    service = await startService(dataDir, { SHARED_DATA: '/nonexistent' });
    // playwright-core gives every launch a fresh, temporary profile.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fills the customer form and reads the Top Recommendations', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    await page.goto(service.url + '/');
    await page.fill('#name', 'Asha <b>');
    await page.fill('#email', 'asha@example.com');
    await page.fill('#customer_id', 'c-1001');
    await page.fill('#age', '35');
    await page.fill('#location', 'Delhi');
    await page.fill('#last_login_days', '30');
    await page.selectOption('#prefers_discount', 'No');
    await page.screenshot({ path: join(shots, 'service-form.png') });
    await Promise.all([page.waitForURL(/category-recommendations/), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toBe('Top Recommendations');
    // XGBoost 1.7.4 for this customer: Home, Clothing, Electronics (../shared/README.md).
    expect(await page.locator('#top td.label').allTextContents()).toEqual(['Home', 'Clothing', 'Electronics']);
    expect(await page.textContent('body')).toContain('For Asha <b>:');
    await page.screenshot({ path: join(shots, 'service-top-recommendations.png') });
    await page.close();
  });

  it('shows the form again with the problems when the input is bad', async () => {
    const page = await browser.newPage();
    await page.goto(service.url + '/');
    await page.fill('#name', 'A');
    await page.fill('#email', 'a@example.com');
    await page.fill('#age', '35');
    await page.fill('#location', ' ');
    await page.fill('#last_login_days', '3');
    await page.click('button[type=submit]');
    await page.waitForSelector('[role=alert]');
    expect(await page.textContent('[role=alert]')).toContain('location');
    await page.close();
  });

  it('fills the 21-attribute segment form and reads the cluster', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1100 } });
    await page.goto(service.url + '/segment');
    const values: Record<string, string> = {
      Age: '42', Education: '2', Marital_Status: '1', Parental_Status: '1', Children: '1', Income: '58000', Total_Spending: '600', Days_as_Customer: '3400', Recency: '40',
      Wines: '300', Fruits: '20', Meat: '150', Fish: '30', Sweets: '20', Gold: '40', Web: '5', Catalog: '3', Store: '6', Discount_Purchases: '2', Total_Promo: '0', NumWebVisitsMonth: '5',
    };
    for (const [name, value] of Object.entries(values)) await page.fill(`#${name}`, value);
    await page.screenshot({ path: join(shots, 'service-segment-form.png') });
    await Promise.all([page.waitForURL(/segment/), page.click('button[type=submit]')]);
    await page.waitForSelector('#cluster');
    expect(await page.textContent('#cluster')).toMatch(/^Cluster [0-2]$/);
    await page.close();
  });
});
