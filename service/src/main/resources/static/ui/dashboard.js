// The Linkwell dashboard: sessions, their QR or pairing code, actions and events, over the service's own API.
// Plain modules, no framework, nothing loaded from elsewhere. Event data is only ever put in the page as text.

const DEMO = document.body.dataset.demo === 'true';
const KEY_REQUIRED = document.body.dataset.auth === 'key';
const KEY_STORAGE = 'linkwell.apiKey';
const EVENT_TYPES = ['session.qr', 'session.status', 'session.message', 'session.closed', 'session.removed'];
const LOG_LIMIT = 300;

const $ = (id) => document.getElementById(id);
const path = (...parts) => '/' + parts.map(encodeURIComponent).join('/');

const state = {
  sessions: new Map(), // id -> the session as GET /sessions shows it
  selected: null,
  logs: new Map(), // id -> its events, oldest first
  jids: new Map(), // id -> the account it opened as (from session.status open)
  qrWanted: null, // {id, text} of the QR being shown or loaded
  qrUrl: null,
  stream: null,
  simulatorRefused: false, // a session key may not use the simulator's admin API
};

class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

// --- talking to the service ---------------------------------------------------------------------------

const apiKey = () => sessionStorage.getItem(KEY_STORAGE);

async function call(method, url, { body, accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  const key = apiKey();
  if (key) headers['X-Api-Key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {
      method, headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(`${method} ${url}: the service cannot be reached (${e.message})`, 0);
  }
  if (response.ok) return response;
  const error = new ApiError(`${method} ${url} failed: ${await explain(response)}`, response.status);
  if (response.status === 401 && KEY_REQUIRED) askForKey(error.message);
  throw error;
}

const json = async (method, url, options) => (await call(method, url, options)).json();

/** An RFC 9457 problem detail as "Title (status): detail"; the simulator's {"error": ...} as it is. */
async function explain(response) {
  const status = `${response.status}`;
  if ((response.headers.get('Content-Type') || '').includes('json')) {
    try {
      const problem = await response.json();
      if (problem.detail || problem.title) {
        return `${problem.title || response.statusText || 'Error'} (${status}): ${problem.detail || ''}`.trim();
      }
      if (problem.error) return `${problem.error} (${status})`;
    } catch {
      // not JSON after all: fall through to the status line
    }
  }
  return `${response.statusText || 'Error'} (${status})`;
}

// --- notices ------------------------------------------------------------------------------------------

function notify(text, kind = 'ok') {
  const notice = $('notice');
  notice.textContent = text;
  notice.dataset.kind = kind;
  notice.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  notice.hidden = false;
}

function report(error) {
  notify(error.message, 'error');
}

/** Runs an action for a button: disabled meanwhile, errors shown. */
async function busy(button, action) {
  button.disabled = true;
  try {
    await action();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) report(e);
  } finally {
    button.disabled = false;
    render();
  }
}

// --- the API key --------------------------------------------------------------------------------------

function askForKey(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  state.stream?.close();
  state.stream = null;
  setStream('off');
  $('app').hidden = true;
  $('forget-key').hidden = true;
  $('key-panel').hidden = false;
  $('key-error').textContent = message || '';
  $('key-error').hidden = !message;
  $('key-input').value = '';
  $('key-input').focus();
}

async function enter() {
  try {
    await refreshSessions();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) report(e);
    return;
  }
  $('key-panel').hidden = true;
  $('app').hidden = false;
  $('forget-key').hidden = !KEY_REQUIRED;
  state.simulatorRefused = false;
  $('simulator').hidden = !DEMO;
  connectStream();
  if (DEMO) refreshSimulatorQuietly();
}

// --- sessions -----------------------------------------------------------------------------------------

let listLoading = null;
let listAgain = false;

/** GET /sessions; calls made while one is under way are folded into one more. */
function refreshSessions() {
  if (listLoading) {
    listAgain = true;
    return listLoading;
  }
  listLoading = (async () => {
    try {
      do {
        listAgain = false;
        const list = await json('GET', '/sessions');
        state.sessions = new Map(list.map((s) => [s.sessionId, s]));
        render();
      } while (listAgain);
    } finally {
      listLoading = null;
    }
  })();
  return listLoading;
}

function refreshQuietly() {
  refreshSessions().catch((e) => {
    if (!(e instanceof ApiError && e.status === 401)) report(e);
  });
}

function select(id) {
  state.selected = id;
  render();
  renderLog();
  // one column (phones): bring the session's QR and actions into view
  if (matchMedia('(max-width: 899px)').matches) $('detail').scrollIntoView({ block: 'start' });
}

function remember(view) {
  state.sessions.set(view.sessionId, view);
}

async function start(id, options) {
  const view = await json('PUT', path('sessions', id), {
    body: Object.keys(options).length ? options : undefined,
  });
  remember(view);
  select(view.sessionId);
  notify(`Session '${view.sessionId}' is ${view.status}.`);
}

async function closeSelected() {
  const view = await json('DELETE', path('sessions', state.selected));
  remember(view);
  notify(`Session '${view.sessionId}' is closed; its credentials are kept.`);
}

async function removeSelected() {
  const id = state.selected;
  if (!(await confirmRemoval(id))) return;
  const view = await json('DELETE', path('sessions', id, 'storage'));
  remember(view);
  notify(`Session '${view.sessionId}' is logged out and its credentials are deleted.`);
}

function confirmRemoval(id) {
  const dialog = $('confirm');
  $('confirm-text').textContent = `Session '${id}' will be logged out: the phone drops this linked device and `
    + 'the credentials are deleted. Linking again needs a new scan.';
  return new Promise((resolve) => {
    const answer = (yes) => () => {
      $('confirm-yes').onclick = null;
      $('confirm-no').onclick = null;
      dialog.onclose = null;
      dialog.close();
      resolve(yes);
    };
    $('confirm-yes').onclick = answer(true);
    $('confirm-no').onclick = answer(false);
    dialog.onclose = () => resolve(false); // Escape
    dialog.showModal();
  });
}

// --- events -------------------------------------------------------------------------------------------

function setStream(status) {
  const label = { live: 'events: live', connecting: 'events: connecting', off: 'events: off' }[status];
  $('stream').dataset.state = status;
  $('stream').textContent = label;
}

function connectStream() {
  state.stream?.close();
  // lastEventId=0 replays the service's recent events once, so the logs start with some history;
  // on a reconnect the browser's Last-Event-ID header takes over.
  const query = new URLSearchParams({ lastEventId: '0' });
  if (apiKey()) query.set('apiKey', apiKey()); // EventSource cannot send headers
  const source = new EventSource(`/events?${query}`);
  setStream('connecting');
  source.onopen = () => {
    setStream('live');
    refreshQuietly();
  };
  source.onerror = () => setStream(source.readyState === EventSource.CLOSED ? 'off' : 'connecting');
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, (message) => onEvent(JSON.parse(message.data)));
  }
  state.stream = source;
}

function onEvent(event) {
  const log = state.logs.get(event.sessionId) ?? [];
  if (log.length && BigInt(event.id) <= BigInt(log[log.length - 1].id)) return; // replayed twice
  log.push(event);
  if (log.length > LOG_LIMIT) log.shift();
  state.logs.set(event.sessionId, log);
  if (event.type === 'session.status' && event.data.jid) state.jids.set(event.sessionId, event.data.jid);
  if (event.sessionId === state.selected) renderLog();
  refreshQuietly();
  if (DEMO && !state.simulatorRefused && event.type !== 'session.qr') refreshSimulatorQuietly();
}

// --- rendering ----------------------------------------------------------------------------------------

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render() {
  renderList();
  renderDetail();
}

/** Updates the entries in place (a click or the focus is never lost to a refresh); adds and drops the rest. */
function renderList() {
  const list = $('sessions');
  const existing = new Map([...list.children].map((item) => [item.dataset.id, item]));
  const items = [...state.sessions.values()].map((s) => {
    const item = existing.get(s.sessionId) ?? sessionItem(s.sessionId);
    const button = item.firstChild;
    button.setAttribute('aria-pressed', String(s.sessionId === state.selected));
    const badge = button.querySelector('.status');
    badge.textContent = s.status;
    badge.dataset.status = s.status;
    button.querySelector('.facts-line').textContent = [s.connection, s.provider, s.reason].filter(Boolean).join(' · ');
    return item;
  });
  const same = items.length === list.children.length && items.every((item, i) => list.children[i] === item);
  if (!same) list.replaceChildren(...items);
  $('no-sessions').hidden = items.length > 0;
}

function sessionItem(id) {
  const item = element('li');
  item.dataset.id = id;
  const button = element('button', 'session');
  button.type = 'button';
  button.dataset.id = id;
  button.append(element('strong', 'id', id), element('span', 'status'), element('span', 'facts-line'));
  button.onclick = () => select(id);
  item.append(button);
  return item;
}

function renderDetail() {
  const view = state.sessions.get(state.selected);
  $('detail').hidden = !view;
  if (!view) {
    showQr(null);
    return;
  }
  $('detail-id').textContent = view.sessionId;
  $('detail-status').textContent = view.status;
  $('detail-status').dataset.status = view.status;
  $('detail-connection').textContent = view.connection;
  $('detail-provider').textContent = view.provider;
  $('detail-reason').textContent = view.reason ?? '-';
  $('detail-jid').textContent = state.jids.get(view.sessionId) ?? '-';
  $('detail-updated').textContent = view.updatedAt ? new Date(view.updatedAt).toLocaleString() : '-';
  showQr(view.qr ? view : null);
  $('code-box').hidden = !view.pairingCode;
  $('pairing-code').textContent = readable(view.pairingCode);
  const stopped = view.status === 'closed' || view.status === 'removed';
  $('open-button').disabled = !stopped;
  $('close-button').disabled = stopped;
  $('remove-button').disabled = view.status === 'removed';
  $('scan-button').disabled = !view.qr;
  $('code-button').disabled = !view.pairingCode;
  selectDevice();
}

/** An 8-character pairing code in two halves, as WhatsApp shows it ("ABCD-EFGH"). */
function readable(code) {
  if (!code) return '';
  return /^[A-Z0-9]{8}$/.test(code) ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

/** Shows the session's current QR as the service renders it (PNG), fetched with the key as a blob. */
function showQr(view) {
  const wanted = state.qrWanted;
  if (!view) {
    state.qrWanted = null;
    $('qr-box').hidden = true;
    return;
  }
  if (wanted && wanted.id === view.sessionId && wanted.text === view.qr) return;
  const ticket = { id: view.sessionId, text: view.qr };
  state.qrWanted = ticket;
  call('GET', path('sessions', view.sessionId, 'qr'), { accept: 'image/png' })
    .then((response) => response.blob())
    .then((blob) => {
      if (state.qrWanted !== ticket) return; // a newer QR is on its way, or none is wanted
      const image = $('qr-image');
      if (state.qrUrl) URL.revokeObjectURL(state.qrUrl);
      state.qrUrl = URL.createObjectURL(blob);
      image.src = state.qrUrl;
      image.dataset.qr = ticket.text;
      $('qr-box').hidden = false;
    })
    .catch((e) => {
      if (state.qrWanted !== ticket) return;
      state.qrWanted = null;
      $('qr-box').hidden = true;
      // 404: the QR went away (scanned, closed) between the list and this request; the next event says why
      if (e.status !== 404 && e.status !== 401) report(e);
    });
}

function renderLog() {
  const events = state.logs.get(state.selected) ?? [];
  const type = $('log-type').value;
  const text = $('log-text').value.trim().toLowerCase();
  const shown = events.filter((e) => (!type || e.type === type)
    && (!text || `${e.type} ${JSON.stringify(e.data)}`.toLowerCase().includes(text)));
  const items = shown.reverse().map((e) => {
    const item = element('li');
    item.dataset.type = e.type;
    const time = element('time', null, new Date(e.timestamp).toLocaleTimeString());
    time.dateTime = e.timestamp;
    item.append(time, element('span', 'type', e.type), element('code', null, JSON.stringify(e.data)));
    return item;
  });
  $('log').replaceChildren(...items);
  $('log-empty').hidden = items.length > 0;
  $('log-empty').textContent = events.length ? 'No event matches the filter.' : 'No events for this session yet.';
}

// --- the embedded simulator (demo mode) ---------------------------------------------------------------

let simulatorLoading = null;

function refreshSimulator() {
  simulatorLoading ??= (async () => {
    try {
      const [phones, devices] = await Promise.all([json('GET', '/simulator/phones'), json('GET', '/simulator/devices')]);
      fill($('sim-phone'), phones.map((p) => [p.id, `${p.id} (${p.number})`]));
      fill($('message-from'), phones.map((p) => [p.id, `${p.id} (${p.number})`]));
      fill($('message-to'), devices.map((d) => [d.jid, `${d.jid}${d.connected ? '' : ' (offline)'}`]));
      selectDevice();
    } finally {
      simulatorLoading = null;
    }
  })();
  return simulatorLoading;
}

function refreshSimulatorQuietly() {
  refreshSimulator().catch((e) => {
    if (e instanceof ApiError && e.status === 403) {
      // a session key: the simulator is for admins; say so once and put the panel away
      state.simulatorRefused = true;
      $('simulator').hidden = true;
    }
    if (!(e instanceof ApiError && e.status === 401)) report(e);
  });
}

/** Replaces a select's options, keeping the chosen one when it is still there. */
function fill(select, options) {
  const chosen = select.value;
  select.replaceChildren(...options.map(([value, label]) => Object.assign(element('option', null, label), { value })));
  if (options.some(([value]) => value === chosen)) select.value = chosen;
}

/** Aims "To device" at the selected session's own linked device when the simulator has it. */
function selectDevice() {
  const jid = state.jids.get(state.selected);
  const to = $('message-to');
  if (jid && [...to.options].some((o) => o.value === jid)) to.value = jid;
}

async function createPhone(number) {
  const phone = await json('POST', '/simulator/phones', { body: { number } });
  await refreshSimulator();
  $('sim-phone').value = phone.id;
  notify(`Simulator phone ${phone.id} (${phone.number}) created.`);
}

async function scanShownQr() {
  const id = state.selected;
  const phone = $('sim-phone').value;
  if (!phone) throw new ApiError('Create a simulator phone first.', 0);
  const { qr } = await json('GET', path('sessions', id, 'qr')); // Accept: application/json gives the QR text
  if (!qr) throw new ApiError(`Session '${id}' shows no QR code.`, 0);
  await json('POST', path('simulator', 'phones', phone, 'scan'), { body: { qr } });
  notify(`${phone} scanned the QR of '${id}'.`);
  await refreshSimulator();
}

async function enterShownCode() {
  const id = state.selected;
  const phone = $('sim-phone').value;
  const code = state.sessions.get(id)?.pairingCode;
  if (!phone) throw new ApiError('Create a simulator phone first.', 0);
  await json('POST', path('simulator', 'phones', phone, 'link-code'), { body: { code } });
  notify(`${phone} entered the pairing code of '${id}'.`);
  await refreshSimulator();
}

async function sendMessage(from, to, text) {
  await json('POST', path('simulator', 'devices', to, 'messages'), { body: { from, text } });
  notify(`${from} sent a message to ${to}.`);
}

// --- wiring -------------------------------------------------------------------------------------------

function onSubmit(id, action) {
  const form = $(id);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(form.querySelector('button[type=submit]'), () => action(new FormData(form), form));
  });
}

function onClick(id, action) {
  const button = $(id);
  button.addEventListener('click', () => busy(button, action));
}

onSubmit('key-form', async (data) => {
  sessionStorage.setItem(KEY_STORAGE, String(data.get('key')).trim());
  await enter();
});
onSubmit('start-form', (data) => {
  const options = {};
  for (const field of ['provider', 'phone']) {
    const value = String(data.get(field)).trim();
    if (value) options[field] = value;
  }
  return start(String(data.get('id')).trim(), options);
});
onSubmit('phone-form', (data, form) => createPhone(String(data.get('number')).trim()).then(() => form.reset()));
onSubmit('message-form', (data) => sendMessage($('message-from').value, $('message-to').value, String(data.get('text'))));
onClick('open-button', () => start(state.selected, {}));
onClick('close-button', closeSelected);
onClick('remove-button', removeSelected);
onClick('scan-button', scanShownQr);
onClick('code-button', enterShownCode);
$('forget-key').addEventListener('click', () => askForKey());
$('log-type').addEventListener('change', renderLog);
$('log-text').addEventListener('input', renderLog);

if (KEY_REQUIRED && !apiKey()) {
  askForKey();
} else {
  enter();
}
