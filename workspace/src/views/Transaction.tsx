export function TransactionView({ id }: { id: string }) {
  return <h1>Transaction {id}</h1>;
}
