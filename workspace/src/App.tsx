// The frame of every page (skip link, navigation, sign-out) and the choice of the view.
import { useState } from 'preact/hooks';
import { apiKey, forgetKey } from './api';
import { match, navigate, usePath } from './router';
import { Link } from './ui';
import { SignIn } from './views/SignIn';
import { Products } from './views/Products';
import { Product } from './views/Product';
import { Transactions } from './views/Transactions';
import { TransactionView } from './views/Transaction';

export function App() {
  const path = usePath();
  const [signedIn, setSignedIn] = useState(apiKey() !== null);
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  const signOut = () => {
    forgetKey();
    setSignedIn(false);
    navigate('/');
  };
  let view;
  let params;
  if ((params = match('/products/:code/:tab?', path))) view = <Product code={params.code} tab={params.tab ?? 'flow'} />;
  else if ((params = match('/transactions/:id', path))) view = <TransactionView id={params.id} />;
  else if (match('/transactions', path)) view = <Transactions />;
  else view = <Products />;
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <span class="brand">InsurRateX workspace</span>
        <nav aria-label="Main">
          <Link to="/" current={path === '/'}>Products</Link>
          <Link to="/transactions" current={path.startsWith('/transactions')}>Transactions</Link>
        </nav>
        <button type="button" class="quiet" onClick={signOut}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>{view}</main>
    </>
  );
}
