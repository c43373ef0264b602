// Reproduces the original customer-segmentation pipeline on the shared marketing data:
// derive → impute → clip → Yeo-Johnson → PCA(2) → k-means → evaluate → save → assign one customer.
// Usage: npx tsx examples/customer-segmentation.ts [outputDir] [--save models/cluster/segmentation-model.json]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CUSTOMER_ATTRIBUTES,
  SegmentationModel,
  calinskiHarabaszScore,
  clusterProfiles,
  daviesBouldinScore,
  deriveCustomerAttributes,
  evaluateK,
  formatProfiles,
  lineChart,
  scatterChart,
  segmentCustomer,
  silhouetteScore,
} from '../src/index.js';
import { readCsvFile } from '../src/node/index.js';

const args = process.argv.slice(2);
const saveAt = args.indexOf('--save');
const savePath = saveAt >= 0 ? args[saveAt + 1] : undefined;
const outDir = args.find((a, i) => !a.startsWith('--') && i !== saveAt + 1) ?? '.tmp/customer-segmentation';
mkdirSync(outDir, { recursive: true });

const table = await readCsvFile('../shared/data/customer-segmentation/marketing_campaign.csv', { delimiter: '\t' });
const attributes = deriveCustomerAttributes(table);
console.log(`${attributes.rows} customers, ${attributes.cols} attributes`);

const { model, kmeans, embedding } = SegmentationModel.fitWithResult(attributes, { k: 3, seed: 0 });
console.log(`PCA explained variance: ${Array.from(model.pca.explainedVarianceRatio, (v) => (100 * v).toFixed(1) + '%').join(', ')}`);
console.log(`k-means: k=3, ${kmeans.iterations} iterations, inertia ${kmeans.inertia.toFixed(3)}, sizes ${Array.from(kmeans.sizes).join('/')}`);
console.log(
  `silhouette ${silhouetteScore(embedding, kmeans.labels).toFixed(4)}, ` +
    `Davies-Bouldin ${daviesBouldinScore(embedding, kmeans.labels).toFixed(4)}, ` +
    `Calinski-Harabasz ${calinskiHarabaszScore(embedding, kmeans.labels).toFixed(1)}\n`,
);

// Profiles on the imputed attributes, in the units a marketer knows.
const imputed = model.imputer.transform(attributes);
console.log(formatProfiles(clusterProfiles(imputed, kmeans.labels, CUSTOMER_ATTRIBUTES)));

const byK = evaluateK(embedding, { kMin: 2, kMax: 8, seed: 0 });
console.log('k  inertia     silhouette');
for (const e of byK) console.log(`${e.k}  ${e.inertia.toFixed(2).padStart(10)}  ${e.silhouette.toFixed(4)}`);
const maxInertia = Math.max(...byK.map((e) => e.inertia));
writeFileSync(
  join(outDir, 'elbow.svg'),
  lineChart({
    title: 'Choosing k: inertia (scaled to 1) and mean silhouette',
    xLabel: 'k (clusters)',
    yLabel: 'score',
    series: [
      { name: 'inertia / max', points: byK.map((e) => [e.k, e.inertia / maxInertia] as [number, number]) },
      { name: 'silhouette', points: byK.map((e) => [e.k, e.silhouette] as [number, number]) },
    ],
  }),
);
writeFileSync(
  join(outDir, 'pca-scatter.svg'),
  scatterChart({
    title: 'Customers on the first two principal components',
    xLabel: 'PC1',
    yLabel: 'PC2',
    // Sorted by cluster so the legend lists cluster 0, 1, 2 in order.
    points: Array.from({ length: embedding.rows }, (_, i) => i)
      .sort((a, b) => kmeans.labels[a] - kmeans.labels[b])
      .map((i) => ({ x: embedding.data[i * 2], y: embedding.data[i * 2 + 1], group: `cluster ${kmeans.labels[i]}` })),
  }),
);
console.log(`\ncharts written to ${join(outDir, 'elbow.svg')} and ${join(outDir, 'pca-scatter.svg')}`);

const modelPath = savePath ?? join(outDir, 'segmentation-model.json');
writeFileSync(modelPath, JSON.stringify(model.toJSON(), null, 1) + '\n');
console.log(`model saved to ${modelPath}`);

const reloaded = SegmentationModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
const customer = {
  Age: 42, Education: 2, 'Marital Status': 1, 'Parental Status': 1, Children: 2, Income: 58000, Total_Spending: 1500,
  Days_as_Customer: 1236, Recency: 58, Wines: 635, Fruits: 88, Meat: 546, Fish: 172, Sweets: 88, Gold: 88, Web: 8,
  Catalog: 10, Store: 4, 'Discount Purchases': 7, 'Total Promo': 3, NumWebVisitsMonth: 7,
};
const seg = segmentCustomer(customer, reloaded);
console.log(`\nexample customer → cluster ${seg.cluster} (distances ${seg.distances.map((d) => d.toFixed(3)).join(', ')})`);
