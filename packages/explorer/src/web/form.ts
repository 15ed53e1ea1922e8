import {
  MAX_CONTENT_LENGTH,
  bytesToHex,
  createClassicTransaction,
  hexToBytes,
  isValidContent,
  randomSecretSeed,
  signTransaction,
} from '@chain/core';
import type { Api, StatusView } from './api';
import { h, link, short, show } from './dom';

const KEY_STORAGE = 'chain-explorer-key';

/** This browser's signing key for signed networks: made on first use, kept in local storage, never sent. */
function browserKey(fresh = false): Uint8Array {
  const stored = fresh ? null : localStorage.getItem(KEY_STORAGE);
  if (stored && /^[0-9a-f]{64}$/.test(stored)) return hexToBytes(stored);
  const seed = randomSecretSeed();
  localStorage.setItem(KEY_STORAGE, bytesToHex(seed));
  return seed;
}

export interface FormOptions {
  readonly api: () => Api;
  readonly status: () => StatusView | null;
  /** A transaction was accepted: follow it until it is in a block. */
  readonly onAccepted: (id: string, content: string) => void;
}

/** The form that submits a transaction through `POST /api/transactions`. */
export function mountForm(host: HTMLElement, st: StatusView, opts: FormOptions): void {
  const signed = st.network.txFormat === 'signed';
  const result = h('p', { class: 'result', 'data-testid': 'submit-result', 'aria-live': 'polite' });
  const content = h('input', {
    name: 'content',
    required: true,
    maxlength: MAX_CONTENT_LENGTH,
    placeholder: 'hello, chain',
    autocomplete: 'off',
    'data-testid': 'content',
  });
  const sender = h('input', {
    name: 'sender',
    required: true,
    pattern: '[a-zA-Z]{4}[0-9]{4}',
    value: 'abcd1234',
    size: 10,
    'data-testid': 'sender',
  });
  let seed: Uint8Array | null = signed ? browserKey() : null;
  const keyLine = h('p', { class: 'muted key' });
  const showKey = () => {
    if (!seed) return;
    const pub = signTransaction({ genesisHash: st.genesisHash, secretKey: seed, content: 'x', timestamp: 0 }).sender;
    show(
      keyLine,
      'signed in this browser by ',
      h('code', { title: pub }, short(pub, 16)),
      ' ',
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: () => {
            seed = browserKey(true);
            showKey();
          },
        },
        'new key',
      ),
    );
  };
  showKey();
  const button = h('button', { type: 'submit', 'data-testid': 'submit' }, 'Submit');
  const form = h(
    'form',
    { 'data-testid': 'tx-form' },
    signed ? null : h('label', {}, 'sender ', sender),
    h('label', { class: 'grow' }, 'content ', content),
    button,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit();
  });
  const submit = async () => {
    const text = content.value;
    if (!isValidContent(text)) {
      show(result, h('span', { class: 'pill bad' }, 'bad-content'), ` 1 to ${MAX_CONTENT_LENGTH} printable ASCII characters, no "|"`);
      return;
    }
    const draft = { content: text, timestamp: Date.now() };
    let tx: unknown;
    try {
      tx = seed
        ? signTransaction({ genesisHash: st.genesisHash, secretKey: seed, content: draft.content, timestamp: draft.timestamp })
        : createClassicTransaction(sender.value, draft);
    } catch (err) {
      show(result, h('span', { class: 'pill bad' }, 'bad-sender'), ` ${(err as Error).message}`);
      return;
    }
    button.disabled = true;
    try {
      const reply = await opts.api().submit(tx);
      if (reply.status === 'Accepted') {
        show(result, h('span', { class: 'pill ok' }, 'Accepted'), ' ', link('tx', reply.id, short(reply.id, 16)));
        result.dataset.id = reply.id;
        content.value = '';
        opts.onAccepted(reply.id, text);
      } else {
        show(result, h('span', { class: 'pill bad' }, `Rejected: ${reply.reason}`), ` ${reply.message}`);
      }
    } catch (err) {
      show(result, h('span', { class: 'pill bad' }, 'error'), ` ${(err as Error).message}`);
    } finally {
      button.disabled = false;
    }
  };
  show(host, h('h2', {}, 'Submit a transaction'), form, keyLine, result);
}
