// The organization's products: each endpoint's published version and effective dates,
// the last change, and live health (error rate, p95) over its latest 200 transactions.
import { export_, getFlowTimeline, listProducts, listTransactions, type ProductPublic } from '@insurratex/client';
import { call } from '../api';
import { healthOf } from '../health';
import { ErrorNote, Link, Pending, useLoad, when } from '../ui';

export function Products() {
  const products = useLoad(() => call(listProducts({ query: { pageSize: 100 } })), []);
  return (
    <>
      <h1>Products</h1>
      <Pending loaded={products} />
      {products.data && (
        <table class="grid">
          <caption class="sr-only">Products, their published flows and live health</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Flows: published version, in force</th>
              <th scope="col">Last change</th>
              <th scope="col">Error rate</th>
              <th scope="col">p95</th>
            </tr>
          </thead>
          <tbody>
            {products.data.map((p) => <ProductRow key={p.code} product={p} />)}
          </tbody>
        </table>
      )}
    </>
  );
}

function ProductRow({ product }: { product: ProductPublic }) {
  const code = product.code;
  const flows = useLoad(async () => {
    const exported = await call(export_({ path: { code } }));
    const endpoints = [...new Set(exported.flows?.map((f) => f.endpoint) ?? [])];
    return Promise.all(endpoints.map((endpoint) =>
      call(getFlowTimeline({ path: { code, endpoint } }))));
  }, [code]);
  const health = useLoad(async () =>
    healthOf((await call(listTransactions({ query: { productCode: code, pageSize: 200 } }))).items), [code]);
  return (
    <tr>
      <th scope="row">
        <Link to={`/products/${encodeURIComponent(code)}`}>{code}</Link>
        <div class="hint">{product.name}</div>
      </th>
      <td>
        <ErrorNote error={flows.error} />
        {flows.data?.map((f) => (
          <div key={f.endpoint}>
            <code>/{f.endpoint}</code>{' '}
            {f.timeline.map((t) => (
              <span key={t.version} class="pill">
                v{t.version} from {t.effectiveFrom ?? 'always'}{t.effectiveUntil ? ` until ${t.effectiveUntil}` : ''}
              </span>
            ))}
          </div>
        ))}
      </td>
      <td>{when(product.updatedAt)}</td>
      <td>{health.data?.errorRate == null ? '—' : `${health.data.errorRate.toFixed(1)} % of ${health.data.rated}`}</td>
      <td>{health.data?.p95 == null ? '—' : `${Math.round(health.data.p95)} ms`}</td>
    </tr>
  );
}
