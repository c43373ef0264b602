import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  clusterProfiles,
  CUSTOMER_ATTRIBUTES,
  deriveCustomerAttributes,
  fitBgNbdAsync,
  fitGammaGamma,
  loadPurchaseModel,
  purchaseFeatures,
  purchaseModelJson,
  RandomForestClassifier,
  readCsv,
  rfmTable,
  SegmentationModel,
  tableToFloat32Rows,
  thresholdForRecall,
  type BgNbdParams,
  type CategoryBundle,
  type ClusterProfile,
  type CustomerSummaryRow,
  type GammaGammaParams,
  type PurchaseModel,
  type RetailTransaction,
  type RfmRow,
} from 'retail-ml';
import { loadShippedCategoryBundle } from 'retail-ml/node';

/** Everything the service scores with, loaded once at start. */
export interface Models {
  category: CategoryBundle;
  segmentation: SegmentationModel;
  /** Per-cluster profiles of the seed's marketing data, when ../shared is there. */
  segmentProfiles: ClusterProfile[] | null;
  /** The purchase-in-24h forest and threshold, trained at start on the seed's app data. */
  purchase: PurchaseModel | null;
  /** BG/NBD + Gamma-Gamma on CDNOW, with each customer's summary and RFM row. */
  value: { bgnbd: BgNbdParams; gammaGamma: GammaGammaParams; customers: Map<string, CustomerSummaryRow>; rfm: Map<string, RfmRow> } | null;
}

/**
 * Loads the shipped category bundle and segmentation model; with the seed data beside the
 * repository (`sharedDir`), also trains the purchase forest (60 trees, about a second) and
 * fits the customer-value models. Without it those endpoints answer 503 and say why.
 */
export async function loadModels(repoRoot: string, sharedDir: string, log: (line: string) => void): Promise<Models> {
  const category = await loadShippedCategoryBundle();
  const segmentation = SegmentationModel.fromJSON(JSON.parse(readFileSync(join(repoRoot, 'models/cluster/segmentation-model.json'), 'utf8')));
  const has = (path: string) => existsSync(join(sharedDir, path));

  let segmentProfiles: ClusterProfile[] | null = null;
  if (has('customer-segmentation/marketing_campaign.csv')) {
    const table = readCsv(readFileSync(join(sharedDir, 'customer-segmentation/marketing_campaign.csv'), 'utf8'), { delimiter: '\t' });
    const attributes = deriveCustomerAttributes(table);
    const labels = segmentation.predict(attributes);
    segmentProfiles = clusterProfiles(segmentation.imputer.transform(attributes), labels, CUSTOMER_ATTRIBUTES);
  } else log('segment profiles: ../shared/data/customer-segmentation not found; segments are shown without profiles');

  let purchase: PurchaseModel | null = null;
  if (has('purchase-prediction/retail_app_data.csv')) {
    const { spec, table } = purchaseFeatures(readCsv(readFileSync(join(sharedDir, 'purchase-prediction/retail_app_data.csv'), 'utf8')));
    const x = { data: tableToFloat32Rows(table, spec.featureNames), numRows: table.numRows, numFeatures: spec.featureNames.length };
    const y = Array.from(table.numbers('purchase_24h'));
    const forest = new RandomForestClassifier({ nEstimators: 60, classWeight: 'balanced', minSamplesLeaf: 2, seed: 42 });
    await forest.fitAsync(x, y);
    const p = forest.predictProba(x);
    const op = thresholdForRecall(y, y.map((_, i) => p[2 * i + 1]), 1);
    // Built once here: scorePurchaseIntent would rebuild the forest from JSON on every call.
    purchase = loadPurchaseModel(purchaseModelJson(spec, forest.toJSON(), op.threshold));
  } else log('purchase model: ../shared/data/purchase-prediction not found; POST /predict answers 503');

  let value: Models['value'] = null;
  if (has('cdnow/cdnow_customers_summary_with_transactions.csv') && has('cdnow/CDNOW_sample.txt')) {
    const summary = readCsv(readFileSync(join(sharedDir, 'cdnow/cdnow_customers_summary_with_transactions.csv'), 'utf8'), { types: { ID: 'string' } });
    const customers = new Map<string, CustomerSummaryRow>();
    for (const r of summary.toObjects()) {
      customers.set(String(r.ID), { frequency: r.x as number, recency: r.t_x as number, T: r.T as number, monetaryValue: r.zbar as number });
    }
    const rows = [...customers.values()];
    const bgnbd = await fitBgNbdAsync(rows);
    const gammaGamma = fitGammaGamma(rows);
    value = { bgnbd, gammaGamma, customers, rfm: cdnowRfm(readFileSync(join(sharedDir, 'cdnow/CDNOW_sample.txt'), 'utf8')) };
  } else log('customer value: ../shared/data/cdnow not found; GET /customers/{id}/value answers 503');

  return { category, segmentation, segmentProfiles, purchase, value };
}

/** RFM over CDNOW's raw transactions (customer, id, yyyymmdd, units, spend), at the end of the data. */
function cdnowRfm(text: string): Map<string, RfmRow> {
  const purchases: RetailTransaction[] = [];
  for (const line of text.split('\n')) {
    const [, id, date, units, spend] = line.trim().split(/\s+/);
    if (!date) continue;
    const day = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)));
    const quantity = Number(units);
    if (!(quantity > 0) || !(Number(spend) > 0)) continue;
    const customerId = String(Number(id));
    purchases.push({ invoiceNo: `${customerId}-${date}`, stockCode: 'cd', description: null, quantity, invoiceDate: day, unitPrice: Number(spend) / quantity, customerId, country: null });
  }
  return new Map(rfmTable({ purchases }, Date.UTC(1998, 6, 1)).map((r) => [r.customerId, r]));
}
