export function Product({ code, tab }: { code: string; tab: string }) {
  return <h1>{code} {tab}</h1>;
}
