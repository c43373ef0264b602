import { CUSTOMER_ATTRIBUTES, type CategoryRecommendation } from 'retail-ml';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1d2430}
label{display:block;margin:.6rem 0 .2rem;font-weight:600}input,select{width:100%;padding:.4rem;font-size:1rem}
button{margin-top:1rem;padding:.5rem 1.2rem;font-size:1rem}.error{color:#a01818}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}.grid{display:grid;grid-template-columns:1fr 1fr;gap:0 1rem}
nav a{margin-right:1rem}`;

/** A whole page: no scripts, no external assets. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<nav><a href="/">Category recommender</a><a href="/segment">Segmentation</a><a href="/monitoring">Monitoring</a></nav>
<h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function issuesList(issues: readonly { field: string; message: string }[]): string {
  if (issues.length === 0) return '';
  return `<ul class="error" role="alert">${issues.map((i) => `<li><b>${escapeHtml(i.field)}</b>: ${escapeHtml(i.message)}</li>`).join('')}</ul>`;
}

const field = (name: string, label: string, type: string, values: Record<string, unknown>, extra = '') =>
  `<label for="${name}">${escapeHtml(label)}</label><input id="${name}" name="${name}" type="${type}" value="${escapeHtml(values[name])}" ${extra}>`;

/** Seed 000's form: name, e-mail, customer id, age, location, days since last login, discount preference. */
export function customerFormPage(values: Record<string, unknown> = {}, issues: readonly { field: string; message: string }[] = []): string {
  const discount = String(values.prefers_discount ?? 'No');
  return page(
    'Customer category recommender',
    `${issuesList(issues)}<form method="post" action="/category-recommendations">
${field('name', 'Name', 'text', values, 'required maxlength="320"')}
${field('email', 'E-mail', 'email', values, 'required maxlength="320"')}
${field('customer_id', 'Customer id', 'text', values, 'maxlength="320"')}
${field('age', 'Age', 'number', values, 'required min="0" max="120"')}
${field('location', 'Location', 'text', values, 'required maxlength="320" placeholder="Delhi"')}
${field('last_login_days', 'Days since last login', 'number', values, 'required min="0"')}
<label for="prefers_discount">Prefers discounts</label><select id="prefers_discount" name="prefers_discount">
<option${discount === 'No' ? ' selected' : ''}>No</option><option${discount === 'Yes' ? ' selected' : ''}>Yes</option></select>
<button type="submit">Recommend</button></form>`,
  );
}

/** The Top Recommendations page. */
export function topRecommendationsPage(name: string | null, result: CategoryRecommendation): string {
  const rows = result.top.map((t, i) => `<tr><td>${i + 1}</td><td class="label">${escapeHtml(t.label)}</td><td>${(t.probability * 100).toFixed(2)}%</td></tr>`).join('');
  return page(
    'Top Recommendations',
    `<p>${name ? `For ${escapeHtml(name)}: ` : ''}the categories this customer is most likely to buy next.</p>
<table id="top"><thead><tr><th>#</th><th>Category</th><th>Probability</th></tr></thead><tbody>${rows}</tbody></table>
${result.unknownCategories.length > 0 ? `<p>Unknown values (scored as none of the known ones): ${result.unknownCategories.map((u) => escapeHtml(`${u.feature} = ${u.value}`)).join(', ')}</p>` : ''}
<p><a href="/">Another customer</a></p>`,
  );
}

/** Seed 002's 21-attribute form. */
export function segmentFormPage(values: Record<string, unknown> = {}, issues: readonly { field: string; message: string }[] = []): string {
  const inputs = CUSTOMER_ATTRIBUTES.map((a) => {
    const name = a.replace(/ /g, '_');
    return `<div>${field(name, a, 'number', values, 'required step="any"')}</div>`;
  }).join('\n');
  return page('Customer segmentation', `${issuesList(issues)}<form method="post" action="/segment"><div class="grid">${inputs}</div><button type="submit">Segment</button></form>`);
}

/** The segment a customer falls in, with that cluster's profile when it is known. */
export function segmentResultPage(result: { cluster: number; distances: readonly number[]; profile: { size: number; share: number; distinguishing: readonly string[] } | null }): string {
  const profile = result.profile
    ? `<p>Cluster ${result.cluster} holds ${result.profile.size} of the training customers (${(result.profile.share * 100).toFixed(1)}%); what sets it apart: ${result.profile.distinguishing.map(escapeHtml).join(', ')}.</p>`
    : '';
  return page('Segment', `<p id="cluster">Cluster <b>${result.cluster}</b></p>${profile}<p>Distances to the cluster centres: ${result.distances.map((d) => d.toFixed(3)).join(', ')}</p><p><a href="/segment">Another customer</a></p>`);
}
