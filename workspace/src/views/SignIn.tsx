// Sign-in: an API key, checked with /me, then kept in session storage only (this tab).
import { me } from '@insurratex/client';
import { useState } from 'preact/hooks';
import { call, forgetKey, keepKey } from '../api';
import { ErrorNote, useAction } from '../ui';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    keepKey(key.trim());
    const who = await action.run(() => call(me()));
    if (who) onSignedIn();
    else forgetKey();
  };
  return (
    <main id="main" class="signin">
      <h1>InsurRateX workspace</h1>
      <p>Configure, test, analyse and publish your products' rating.</p>
      <form onSubmit={submit}>
        <label>
          API key
          <input type="password" name="apiKey" autoComplete="off" required value={key}
            onInput={(e) => setKey(e.currentTarget.value)} />
        </label>
        <p class="hint">Kept in this tab's session storage only; closing the tab forgets it.</p>
        <button type="submit" disabled={action.busy}>Sign in</button>
      </form>
      <ErrorNote error={action.error} />
    </main>
  );
}
