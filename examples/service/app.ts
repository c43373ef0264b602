import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import {
  buildSegmentPopularity,
  churnRisk,
  customerLifetimeValue,
  expectedPurchases,
  prepareCatalogue,
  probabilityAlive,
  recommendCategories,
  RecommendationCache,
  recommendHybrid,
  scorePurchaseIntent,
  segmentCustomer,
  validateCustomerForm,
  ValidationError,
  type CatalogueProduct,
  type FieldIssue,
} from 'retail-ml';
import { createPredictionRecord, openPredictionLogFromEnv, type PredictionLog } from 'retail-ml/adapters/log';
import { createMailerFromEnv, type Mailer } from 'retail-ml/adapters/email';
import { HttpError, Router, type Reply } from './http.js';
import type { Models } from './models.js';
import { customerFormPage, escapeHtml, page, segmentFormPage, segmentResultPage, topRecommendationsPage } from './pages.js';
import { openServiceStore } from './open-service-store.js';
import { DuplicateCustomerError, type CustomerAddress, type CustomerProfile, type RecommendationContext, type ServiceStore } from './service-store.js';

/** Where the service keeps its state and how it talks to the world. */
export interface ServiceConfig {
  /** Folder for the store (unless MONGODB_URI is set), the prediction log (or its MongoDB outbox) and the e-mail outbox. */
  dataDir: string;
  models: Models;
  /** Largest request body accepted. Default 64 KiB. */
  maxBodyBytes?: number;
  /**
   * Environment: MONGODB_URI (and MONGODB_DB) put the store and the prediction log in MongoDB;
   * SMTP_URL sends e-mail over SMTP (default: `.eml` files in dataDir/mail-outbox).
   */
  env?: Readonly<Record<string, string | undefined>>;
  log?: (line: string) => void;
  /** The clock; tests move it to check the 24 h reuse of recommendations. */
  now?: () => number;
}

/** The running service: its HTTP server and a graceful `close`. */
export interface Service {
  server: Server;
  store: ServiceStore;
  close(): Promise<void>;
}

/**
 * The five seed systems as one HTTP service on retail-ml (see README "A service on
 * retail-ml"). Returns an unstarted server; `listen` it.
 *
 * @example
 * const service = await createService({ dataDir: '.data', models: await loadModels(root, shared, console.log) });
 * service.server.listen(3000, '127.0.0.1');
 */
export async function createService(config: ServiceConfig): Promise<Service> {
  const log = config.log ?? ((line: string) => console.log(line));
  const now = config.now ?? Date.now;
  const { models } = config;
  // MONGODB_URI switches the store and the log to MongoDB (the log's outbox under dataDir);
  // otherwise SQLite in dataDir/store and dataDir/predictions.jsonl.
  const store = await openServiceStore(config.env ?? {}, config.dataDir);
  log(`store: ${store.description}`);
  const { log: predictionLog }: { log: PredictionLog } = await openPredictionLogFromEnv(config.env ?? {}, { dir: config.dataDir, onReport: (r) => log(`prediction log: ${r.message}`) });
  const { mailer }: { mailer: Mailer } = await createMailerFromEnv(config.env ?? {}, { dir: config.dataDir, onReport: (r) => log(`e-mail: ${r.message}`) });
  const modelSha = createHash('sha256').update(JSON.stringify(models.category.manifest)).digest('hex');

  const router = new Router({ maxBodyBytes: config.maxBodyBytes ?? 64 * 1024, log, sameOrigin });

  // ---- seed 000: category recommender -------------------------------------------------
  router.on('GET', '/', () => ({ html: customerFormPage() }));
  router.on('POST', '/category-recommendations', async (req) => {
    const body = asRecord(await req.body());
    let form;
    try {
      form = validateCustomerForm(body);
      const issues: FieldIssue[] = [];
      if (!form.name) issues.push({ field: 'name', message: 'is required' });
      if (!form.email) issues.push({ field: 'email', message: 'is required' });
      if (issues.length) throw new ValidationError(issues);
    } catch (error) {
      if (error instanceof ValidationError && req.wantsHtml()) return { status: 422, html: customerFormPage(body, error.issues) };
      throw error;
    }
    const result = recommendCategories(form, models.category);
    const top = result.top.map((t) => ({ label: String(t.label), probability: t.probability }));
    const record = createPredictionRecord({
      input: { ...form },
      customerId: form.customer_id ?? undefined,
      features: result.features.map((f) => f.value),
      featureNames: result.features.map((f) => f.name),
      top,
      model: { name: models.category.manifest.name, sha256: modelSha },
    });
    predictionLog.append(record);
    const mail = await mailer.notify({ name: form.name!, email: form.email!, customerId: form.customer_id ?? undefined }, top);
    if (mail.status !== 'sent') log(`e-mail not sent (${mail.status}): ${mail.error}`);
    if (req.wantsHtml()) return { html: topRecommendationsPage(form.name, result) };
    return { json: { predictionId: record.id, top, unknownCategories: result.unknownCategories, missingFeatures: result.missingFeatures, email: mail.status } };
  });

  // ---- seed 001: recommendation backend -------------------------------------------------
  router.on('POST', '/customer/create', async (req) => {
    const b = asRecord(await req.body());
    const issues: FieldIssue[] = [];
    const id = text(b, 'customer_id', issues, { required: true, max: 64 });
    const name = text(b, 'name', issues, { required: true });
    const email = text(b, 'email', issues, { required: true });
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) issues.push({ field: 'email', message: 'is not an e-mail address' });
    const age = b.age === undefined || b.age === null || b.age === '' ? null : Number(b.age);
    if (age !== null && !(Number.isInteger(age) && age >= 0 && age <= 120)) issues.push({ field: 'age', message: 'must be a whole number between 0 and 120' });
    const location = text(b, 'location', issues, {});
    if (issues.length) throw new ValidationError(issues);
    try {
      await store.createCustomer({ customer_id: id!, name: name!, email: email!, age, location, created_at: now() });
    } catch (error) {
      if (error instanceof DuplicateCustomerError) throw new HttpError(409, error.message, [{ field: error.field, message: 'is already taken' }]);
      throw error;
    }
    return { status: 201, json: { customer_id: id } };
  });
  router.on('POST', '/customer/add-address', async (req) => {
    const b = asRecord(await req.body());
    const issues: FieldIssue[] = [];
    const id = text(b, 'customer_id', issues, { required: true });
    const list = Array.isArray(b.addresses) ? b.addresses : [b];
    const rows = list.map((a, i) => {
      const r = asRecord(a);
      const at = list.length > 1 || Array.isArray(b.addresses) ? `addresses[${i}].` : '';
      const kind = text(r, 'kind', issues, { field: `${at}kind` }) ?? 'shipping';
      if (kind !== 'shipping' && kind !== 'billing') issues.push({ field: `${at}kind`, message: "must be 'shipping' or 'billing'" });
      return { kind, line1: text(r, 'line1', issues, { required: true, field: `${at}line1` }), city: text(r, 'city', issues, { required: true, field: `${at}city` }), postal_code: text(r, 'postal_code', issues, { field: `${at}postal_code` }), country: text(r, 'country', issues, { required: true, field: `${at}country` }) } as CustomerAddress;
    });
    if (issues.length) throw new ValidationError(issues);
    await requireCustomer(store, id!);
    await store.addAddresses(id!, rows);
    return { status: 201, json: { customer_id: id, added: rows.length } };
  });
  router.on('GET', '/customer/get-profile/{customer_id}', async (req) => {
    const id = req.params.customer_id;
    const profile = await requireCustomer(store, id);
    return { json: { ...profile, ...(await store.details(id)) } };
  });
  const interaction = async (kind: 'browsing' | 'purchase', b: Record<string, unknown>): Promise<Reply> => {
    const issues: FieldIssue[] = [];
    const id = text(b, 'customer_id', issues, { required: true });
    const productId = text(b, 'product_id', issues, {});
    const product = productId ? await store.product(productId) : undefined;
    if (productId && !product) issues.push({ field: 'product_id', message: 'is not in the catalogue' });
    const category = text(b, 'category', issues, { required: !product }) ?? product?.category ?? '';
    let price = product?.price;
    if (kind === 'purchase' && b.price !== undefined) price = Number(b.price);
    if (kind === 'purchase' && !(typeof price === 'number' && Number.isFinite(price) && price >= 0)) issues.push({ field: 'price', message: 'must be a number ≥ 0' });
    if (issues.length) throw new ValidationError(issues);
    await requireCustomer(store, id!);
    await store.recordInteraction(kind, { customer_id: id!, product_id: productId, category, ...(kind === 'purchase' ? { price } : {}), timestamp: now() });
    return { status: 201, json: { customer_id: id, recorded: kind, recommendations: 'invalidated' } };
  };
  router.on('POST', '/customer/update-behavior', async (req) => {
    const b = asRecord(await req.body());
    if (b.type !== 'browsing' && b.type !== 'purchase') throw new ValidationError([{ field: 'type', message: "must be 'browsing' or 'purchase'" }]);
    return interaction(b.type, b);
  });
  router.on('POST', '/recommendations/process-browsing', async (req) => interaction('browsing', asRecord(await req.body())));
  router.on('POST', '/recommendations/process-purchase', async (req) => interaction('purchase', asRecord(await req.body())));
  router.on('GET', '/recommendations/{customer_id}', async (req) => {
    const id = req.params.customer_id;
    await requireCustomer(store, id);
    const at = now();
    // The library's cache decides reuse (24 h); the store keeps the sets, and with each new
    // set the segment and the history it was computed from.
    let context: RecommendationContext | undefined;
    const cache = new RecommendationCache({
      list: (customerId) => store.listRecommendations(customerId),
      add: (customerId, set, keep) => store.addRecommendations(customerId, set, keep, context!),
      clear: (customerId) => store.clearRecommendations(customerId),
    });
    const { recommendations, fromCache } = await cache.get(id, at, async () => {
      const catalogue = prepareCatalogue((await store.catalogue()).map((p): CatalogueProduct => ({ id: p.product_id, name: p.name, category: p.category, price: p.price, tags: p.tags })));
      const history = await store.history(id);
      const peers = buildSegmentPopularity(await store.peers(id), at);
      const result = recommendHybrid(catalogue, history, at, { customerId: id, peers });
      context = { segment: result.segment.segment, averageOrderValue: result.segment.averageOrderValue, basis: history.basis };
      return result.recommendations;
    });
    return { json: { customer_id: id, from_cache: fromCache, recommendations } };
  });

  // ---- seed 002: segmentation -------------------------------------------------------------
  router.on('GET', '/segment', () => ({ html: segmentFormPage() }));
  router.on('POST', '/segment', async (req) => {
    const body = asRecord(await req.body());
    let assignment;
    try {
      assignment = segmentCustomer(body, models.segmentation);
    } catch (error) {
      if (error instanceof ValidationError && req.wantsHtml()) return { status: 422, html: segmentFormPage(body, error.issues) };
      throw error;
    }
    const p = models.segmentProfiles?.find((c) => c.cluster === assignment.cluster) ?? null;
    const profile = p ? { size: p.size, share: p.share, distinguishing: p.distinguishing } : null;
    const result = { cluster: assignment.cluster, distances: assignment.distances, profile };
    return req.wantsHtml() ? { html: segmentResultPage(result) } : { json: result };
  });

  // ---- seed 003: purchase within 24 h ---------------------------------------------------------
  const purchaseScores = async (users: unknown[]) => {
    const model = models.purchase;
    if (!model) throw new HttpError(503, 'purchase model unavailable: the seed data (../shared/data/purchase-prediction) was not found at start');
    const out: { prediction: number; probability: number }[] = [];
    // Blocks of 25 users with a turn of the event loop between them, so one large batch cannot
    // hold every other request up (the forest is synchronous work).
    for (let start = 0; start < users.length; start += 25) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      const block = users.slice(start, start + 25).map(asRecord);
      const scores = scorePurchaseIntent(block, model);
      block.forEach((_, i) => out.push({ prediction: scores.decision[i], probability: scores.probability[i] }));
    }
    return out;
  };
  router.on('POST', '/predict', async (req) => ({ json: (await purchaseScores([await req.body()]))[0] }));
  router.on('POST', '/predict/batch', async (req) => {
    const users = asRecord(await req.body()).users;
    if (!Array.isArray(users) || users.length === 0 || users.length > 10_000) throw new ValidationError([{ field: 'users', message: 'must be a list of 1 to 10,000 users' }]);
    return { json: { predictions: await purchaseScores(users) } };
  });

  // ---- seed 004: customer value -----------------------------------------------------------------
  router.on('GET', '/customers/{id}/value', (req) => {
    const value = models.value;
    if (!value) throw new HttpError(503, 'customer-value models unavailable: the CDNOW data (../shared/data/cdnow) was not found at start');
    const id = req.params.id;
    const c = value.customers.get(id);
    if (!c) throw new HttpError(404, `no customer ${id}`);
    return {
      json: {
        customer_id: id,
        // CDNOW's summary is in weeks: 39 weeks ahead, and 4.345 weeks per month for CLV.
        expected_purchases_39_weeks: expectedPurchases(value.bgnbd, 39, c),
        clv_12_months: customerLifetimeValue(value.bgnbd, value.gammaGamma, c, { months: 12, periodsPerMonth: 4.345 }),
        p_alive: probabilityAlive(value.bgnbd, c),
        churn_risk: churnRisk(value.bgnbd, c),
        rfm: value.rfm.get(id) ?? null,
      },
    };
  });

  router.on('GET', '/health', () => ({ json: { status: 'ok', store: store.description, log: predictionLog.location } }));
  router.on('GET', '/monitoring', () => ({
    html: page('Monitoring', `<p>Predictions are logged to <code>${escapeHtml(predictionLog.location)}</code>. The drift report appears here once the drift checks land (<code>retail-ml drift</code>).</p>`),
  }));

  const server = createServer((req, res) => void router.handle(req, res));
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return {
    server,
    store,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await predictionLog.close();
      await mailer.close();
      await store.close();
    },
  };
}

/** Same-origin check for state-changing requests (CSRF): Origin, else Referer, must name this host. */
function sameOrigin(req: IncomingMessage): boolean {
  const source = req.headers.origin ?? req.headers.referer;
  // Non-browser clients (curl, services) send neither; browsers always send Origin on POST.
  if (source === undefined) return true;
  try {
    return new URL(source).host === req.headers.host;
  } catch {
    return false;
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError([{ field: '(body)', message: 'must be an object' }]);
  // Own properties only, on a prototype-less copy: `__proto__` stays an ordinary, ignored key.
  return Object.assign(Object.create(null) as Record<string, unknown>, value);
}

function text(b: Record<string, unknown>, name: string, issues: FieldIssue[], o: { required?: boolean; max?: number; field?: string }): string | null {
  const v = Object.prototype.hasOwnProperty.call(b, name) ? b[name] : undefined;
  const field = o.field ?? name;
  if (v === undefined || v === null || v === '') {
    if (o.required) issues.push({ field, message: 'is required' });
    return null;
  }
  if (typeof v !== 'string' && typeof v !== 'number') {
    issues.push({ field, message: 'must be text' });
    return null;
  }
  const s = String(v).trim();
  if (s.length > (o.max ?? 320)) issues.push({ field, message: `must be at most ${o.max ?? 320} characters` });
  return s;
}

async function requireCustomer(store: ServiceStore, id: string): Promise<CustomerProfile> {
  const profile = await store.customer(id);
  if (!profile) throw new HttpError(404, `no customer ${id}`);
  return profile;
}
