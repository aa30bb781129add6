/**
 * The WhatsApp Web double: the part of web.whatsapp.com that whatsapp-web.js 1.34.7 uses, served in its place
 * (through the library's own local web-version cache) so the real library runs against it in a real Chromium.
 *
 * Shaped after what the library reads (node_modules/whatsapp-web.js/src/Client.js, util/Injected/Utils.js,
 * util/Injected/AuthStore/AuthStore.js) and after wppconnect-team/wa-js's typings of WhatsApp Web's modules
 * (src/whatsapp/models/MsgKey.ts, ChatModel, MsgModel, functions/queryExists.ts, …): a module registry behind
 * `window.require('WAWeb…')`, Backbone-like models and collections with the events the library listens to, and a
 * socket to the double's "WhatsApp server" (double-server.ts), which holds the phone, the contacts and the world.
 *
 * Runs in the page; plain JavaScript so it is sent as it is written. `window.__DOUBLE__` (set by the HTML before this
 * script) says where the server is and which WhatsApp Web build this page plays (variants.ts).
 */
(() => {
  const cfg = window.__DOUBLE__;
  const variant = cfg.variant;

  // ---- the module system: Meta's `__d`/`require`, which throws for a module it does not have ----------------------
  const modules = new Map();
  const define = (name, value) => modules.set(name, value);
  const metaRequire = (name) => {
    if (!modules.has(name)) throw new Error(`Requiring unknown module "${name}"`);
    return modules.get(name);
  };

  // ---- events, models and collections, as Backbone gives them to WhatsApp Web -----------------------------------
  class Events {
    constructor() {
      Object.defineProperty(this, '_events', { value: new Map(), enumerable: false });
    }
    on(names, fn) {
      for (const name of String(names).split(/\s+/)) {
        if (!this._events.has(name)) this._events.set(name, []);
        this._events.get(name).push(fn);
      }
      return this;
    }
    off(name, fn) {
      const list = this._events.get(name);
      if (list) this._events.set(name, fn ? list.filter((f) => f !== fn && f._orig !== fn) : []);
      return this;
    }
    once(name, fn) {
      const wrap = (...args) => {
        this.off(name, wrap);
        fn(...args);
      };
      wrap._orig = fn;
      return this.on(name, wrap);
    }
    trigger(name, ...args) {
      for (const fn of [...(this._events.get(name) || [])]) {
        try {
          fn(...args);
        } catch (error) {
          console.error('double: listener failed', name, error);
        }
      }
    }
  }

  /** A model keeps its attributes as own properties (what `serialize()` and puppeteer's copy read). */
  class Model extends Events {
    constructor(attrs) {
      super();
      Object.defineProperty(this, '_collections', { value: [], enumerable: false });
      Object.assign(this, attrs);
    }
    set(attrs) {
      const changed = [];
      for (const [key, value] of Object.entries(attrs)) {
        if (this[key] === value) continue;
        this[key] = value;
        changed.push(key);
      }
      for (const key of changed) this.emitUp(`change:${key}`, this, this[key]);
      if (changed.length > 0) this.emitUp('change', this);
    }
    emitUp(name, ...args) {
      this.trigger(name, ...args);
      for (const c of this._collections) c.trigger(name, ...args);
    }
    serialize() {
      const out = {};
      for (const key of Object.keys(this)) out[key] = this[key];
      return out;
    }
    unsafe() {
      return this;
    }
  }

  class Collection extends Events {
    constructor(modelClass) {
      super();
      Object.defineProperty(this, '_models', { value: new Map(), enumerable: false });
      this.modelClass = modelClass;
    }
    keyOf(id) {
      if (id && typeof id === 'object') return typeof id.toString === 'function' ? id.toString() : id._serialized;
      return String(id);
    }
    get(id) {
      return this._models.get(this.keyOf(id));
    }
    add(model, { silent } = {}) {
      const key = this.keyOf(model.id);
      if (this._models.has(key)) return this._models.get(key);
      this._models.set(key, model);
      model._collections.push(this);
      if (!silent) this.trigger('add', model, this);
      return model;
    }
    remove(model) {
      this._models.delete(this.keyOf(model.id));
      this.trigger('remove', model, this);
    }
    getModelsArray() {
      return [...this._models.values()];
    }
    get length() {
      return this._models.size;
    }
  }

  // ---- ids: Wid (WAWebWidFactory) and MsgKey (WAWebMsgKey) --------------------------------------------------------
  class Wid {
    constructor(text) {
      const [user, server] = String(text).split('@');
      this.server = server === 's.whatsapp.net' ? 'c.us' : server;
      this.user = user;
      this._serialized = `${this.user}@${this.server}`;
    }
    isLid() {
      return this.server === 'lid';
    }
    isGroup() {
      return this.server === 'g.us';
    }
    isStatus() {
      return this.user === 'status' && this.server === 'broadcast';
    }
    isUser() {
      return this.server === 'c.us' || this.server === 'lid';
    }
    isNewsletter() {
      return this.server === 'newsletter';
    }
    toString() {
      return this._serialized;
    }
    toJid() {
      return this.server === 'c.us' ? `${this.user}@s.whatsapp.net` : this._serialized;
    }
    equals(other) {
      return !!other && String(other) === this._serialized;
    }
  }
  const wid = (text) => (text instanceof Wid ? text : new Wid(typeof text === 'object' && text ? text._serialized : text));
  define('WAWebWidFactory', {
    createWid: (text) => wid(text),
    createWidFromWidLike: (like) => wid(like),
    createUserWid: (user, server = 'c.us') => wid(`${user}@${server}`),
    asUserWidOrThrow: (w) => {
      if (!w || !wid(w).isUser()) throw new Error('asUserWidOrThrow: not a user wid');
      return wid(w);
    },
    toUserWidOrThrow: (w) => wid(w),
  });

  // The key's cached text: `_serialized` until July 2026; builds from 2.3000.1042401057 keep it in a minified own
  // property and `toString()` returns it (wwebjs #201830, #201857; wa-js #3488) — the variant says which.
  const KEY_FIELD = variant.keyField;
  const MsgKey = new Function(
    'wid',
    `return class MsgKey {
      constructor(o) {
        this.fromMe = o.fromMe !== undefined ? !!o.fromMe : o.selfDir === 'out';
        this.remote = wid(o.remote || (this.fromMe ? o.to : o.from));
        this.id = o.id;
        if (o.participant) this.participant = wid(o.participant);
        this.${KEY_FIELD} = (this.fromMe ? 'true' : 'false') + '_' + this.remote._serialized + '_' + this.id + (this.participant ? '_' + this.participant._serialized : '');
      }
      toString() { return this.${KEY_FIELD}; }
      equals(other) { return !!other && String(other) === this.toString(); }
      clone() { return new MsgKey({ fromMe: this.fromMe, remote: this.remote, id: this.id, participant: this.participant }); }
      static async newId() {
        const bytes = crypto.getRandomValues(new Uint8Array(10));
        return '3EB0' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
      }
      static fromString(text) {
        const [fromMe, remote, id] = String(text).split('_');
        return new MsgKey({ fromMe: fromMe === 'true', remote, id });
      }
    }`,
  )(wid);
  if (!variant.msgKeyGone) define('WAWebMsgKey', MsgKey);
  else define('WAWebMsgKeyV2', MsgKey); // an unknown build: the module is renamed, nothing the shim knows

  // ---- the socket to the double's WhatsApp server -----------------------------------------------------------------
  const pending = new Map();
  let nextRequest = 1;
  let socket;
  const queue = [];
  /** One-shot faults the server asks the page to play (the demo's buttons). */
  const faults = { loseNextAnswer: false };
  const call = (type, body = {}) =>
    new Promise((resolve, reject) => {
      const id = nextRequest++;
      pending.set(id, { resolve, reject });
      const text = JSON.stringify({ ...body, type, id });
      if (socket && socket.readyState === 1) socket.send(text);
      else queue.push(text);
    });

  // ---- the app's state: the socket model, the connection, commands ----------------------------------------------
  const Socket = new Model({ state: 'OPENING', hasSynced: false, stream: 'DISCONNECTED' });
  Socket.logout = async () => {
    await call('logout');
    forget();
    Cmd.trigger('logout');
    Socket.set({ state: 'UNPAIRED' });
    setTimeout(() => location.reload(), 100);
  };
  Socket.takeover = () => void call('takeover');
  define('WAWebSocketModel', { Socket });

  const Conn = new Model({ ref: null, platform: 'smba', pushname: null, battery: 100, plugged: true, wid: null, lid: null });
  define('WAWebConnModel', { Conn });

  const Cmd = new Events();
  Cmd.refreshQR = () => void call('refreshQR').then((r) => Conn.set({ ref: r.ref }));
  define('WAWebCmd', { Cmd });
  define('WAWebLaunchSocketUtils', { refreshQR: () => Cmd.refreshQR() });
  define('WAWebOfflineHandler', { OfflineMessageHandler: { getOfflineDeliveryProgress: () => 100 } });
  define('WAWebStreamModel', { Stream: { markAvailable() {}, markUnavailable() {} } });
  define('WAWebMiscBrowserUtils', { info: () => ({ os: 'Linux', name: 'Chrome', version: '150' }) });

  // Registration keys (the QR's parts after the ref), made once per browser profile as WhatsApp Web does.
  const keys = (() => {
    const stored = localStorage.getItem('double-keys');
    if (stored) return JSON.parse(stored);
    const made = { noise: rand(32), identity: rand(32), adv: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))) };
    localStorage.setItem('double-keys', JSON.stringify(made));
    return made;
  })();
  function rand(n) {
    return Array.from(crypto.getRandomValues(new Uint8Array(n)));
  }
  define('WABase64', { encodeB64: (bytes) => btoa(String.fromCharCode(...bytes)), decodeB64: (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)) });
  define('WAWebCompanionRegClientUtils', { DEVICE_PLATFORM: 'Chrome' });
  define('WAWebAdvSignatureApi', {});
  define('WAWebUserPrefsInfoStore', { waNoiseInfo: { get: async () => ({ staticKeyPair: { pubKey: keys.noise } }) } });
  define('WAWebSignalStoreApi', { waSignalStore: { getRegistrationInfo: async () => ({ identityKeyPair: { pubKey: keys.identity } }) } });
  define('WAWebUserPrefsMultiDevice', { getADVSecretKey: () => keys.adv });

  let pairingPhone = null;
  define('WAWebAltDeviceLinkingApi', {
    setPairingType() {},
    initializeAltDeviceLinking: async () => undefined,
    startAltLinkingFlow: async (phone) => {
      pairingPhone = phone;
      return (await call('pairingCode', { phone })).code;
    },
  });

  const me = { pn: null, lid: null };
  define('WAWebUserPrefsMeUser', {
    getMaybeMePnUser: () => me.pn,
    getMaybeMeLidUser: () => me.lid,
    getMePnUserOrThrow: () => me.pn,
  });

  // ---- collections: chats, messages, contacts ---------------------------------------------------------------------
  class Msg extends Model {}
  if (variant.avParams) Msg.prototype.avParams = function avParams() {
    return { mediaKey: this.mediaKey, directPath: this.directPath };
  };
  class Chat extends Model {
    /** WhatsApp's trusted-contact token: there once the contact has written (what lets a capped account answer). */
    getTcToken() {
      return this.msgs && this.msgs.getModelsArray().some((m) => !m.id.fromMe) ? `tc_${this.id._serialized}` : null;
    }
  }
  class Contact extends Model {}
  const MsgCollection = new Collection(Msg);
  const ChatCollection = new Collection(Chat);
  const ContactCollection = new Collection(Contact);

  /** A message ids lookup that WhatsApp answers from IndexedDB: a broken key there fails the whole read. */
  MsgCollection.getMessagesById = async (ids) => {
    for (const id of ids) {
      if (String(id).startsWith('broken')) {
        // Minified DataError, as July-2026 builds throw it (OpenWA 757: "r: r").
        const r = new Function('return class r extends Error { constructor() { super("r"); this.name = "r"; } }')();
        throw new r();
      }
    }
    return { messages: ids.map((id) => MsgCollection.get(id)).filter(Boolean) };
  };
  ContactCollection.find = async (w) => ContactCollection.get(wid(w)) || contactFor(wid(w));
  const Blocklist = new Collection(Model);
  const CallCollection = new Collection(Model);
  CallCollection.calls = new Map();
  define('WAWebCollections', { Msg: MsgCollection, Chat: ChatCollection, Contact: ContactCollection, Blocklist, BusinessProfile: new Collection(Model) });
  define('WAWebCallCollection', CallCollection);
  define('WAWebSyncGatingUtils', { isPlaceholderMessageResendEnabled: () => false });
  define('WAWebChatGetters', { getIsNewsletter: (c) => c.id.isNewsletter(), getIsBroadcast: (c) => c.id.server === 'broadcast', getIsGroup: (c) => c.id.isGroup() });
  define('WALinkify', { findLink: () => null, findLinks: () => [] });
  define('WAWebGetEphemeralFieldsMsgActionsUtils', { getEphemeralFields: () => ({}) });
  define('WAWebMsgActionCapability', { canReplyMsg: () => true });

  // LID ⇄ phone, as WhatsApp's contact store keeps them (learned from the server's answers).
  const lidOfPn = new Map();
  const pnOfLid = new Map();
  const learn = (pn, lid) => {
    if (!pn || !lid) return;
    lidOfPn.set(pn, lid);
    pnOfLid.set(lid, pn);
  };
  define('WAWebApiContact', {
    getCurrentLid: (w) => (lidOfPn.has(wid(w)._serialized) ? wid(lidOfPn.get(wid(w)._serialized)) : null),
    getPhoneNumber: (w) => (pnOfLid.has(wid(w)._serialized) ? wid(pnOfLid.get(wid(w)._serialized)) : null),
    getAlternateUserWid: (w) => {
      const text = wid(w)._serialized;
      const other = lidOfPn.get(text) || pnOfLid.get(text);
      return other ? wid(other) : null;
    },
  });
  define('WAWebLidMigrationUtils', { toPn: (w) => (pnOfLid.has(wid(w)._serialized) ? wid(pnOfLid.get(wid(w)._serialized)) : null) });

  function contactFor(w) {
    const existing = ContactCollection.get(w);
    if (existing) return existing;
    const phone = w.isLid() ? pnOfLid.get(w._serialized) : w._serialized;
    return ContactCollection.add(new Contact({ id: w, phoneNumber: phone ? wid(phone) : undefined, isContactBlocked: false }), { silent: true });
  }

  // The existence query (WAWebQueryExistsJob): the server answers with the phone's wid and, when it has one, its LID.
  define('WAWebQueryExistsJob', {
    queryWidExists: async (w) => {
      const answer = await call('exists', { wid: wid(w)._serialized });
      if (!answer.exists) return null;
      learn(answer.wid, answer.lid);
      return { wid: wid(answer.wid), biz: false };
    },
  });

  function chatFor(w, attrs = {}) {
    const existing = ChatCollection.get(w);
    if (existing) return existing;
    const chat = new Chat({ id: w, t: 0, unreadCount: 0, archive: false, pin: 0, mute: { expiration: 0 }, formattedTitle: `+${w.user}`, isReadOnly: false, ...attrs });
    Object.defineProperty(chat, 'msgs', { value: new Collection(Msg), enumerable: false });
    return ChatCollection.add(chat);
  }
  // What serialize() gives of a chat: its attributes, `msgs` as the list whatsapp-web.js measures and then drops.
  Chat.prototype.serialize = function serialize() {
    const out = Model.prototype.serialize.call(this);
    out.msgs = this.msgs.getModelsArray().map((m) => m.id.toString());
    delete out.lastReceivedKey;
    return out;
  };

  define('WAWebFindChatAction', {
    findOrCreateLatestChat: async (w) => {
      const target = wid(w);
      // A contact WhatsApp moved to a LID: a chat by phone number cannot be made (wwebjs 145434, 129506; OpenWA 156).
      if (!target.isLid() && (await call('needsLid', { wid: target._serialized })).needsLid) throw new Error('No LID for user');
      return { chat: chatFor(target) };
    },
  });

  const addMessage = (chat, msg, isNew) => {
    chat.msgs.add(msg, { silent: true });
    if (!msg.id.fromMe) chat.set({ lastReceivedKey: msg.id });
    chat.set({ t: Math.max(chat.t || 0, msg.t) });
    if (!isNew) {
      MsgCollection.add(msg, { silent: true });
      return msg;
    }
    if (!msg.id.fromMe) chat.set({ unreadCount: (chat.unreadCount || 0) + 1 });
    MsgCollection.add(msg);
    return msg;
  };

  const fromRecord = (r) => {
    const key = new MsgKey({ fromMe: r.fromMe, remote: r.chat, id: r.id });
    const from = r.fromMe ? wid(r.chat.endsWith('@lid') ? me.lid : me.pn) : wid(r.chat);
    const to = r.fromMe ? wid(r.chat) : wid(r.chat.endsWith('@lid') ? me.lid : me.pn);
    return new Msg({ id: key, body: r.body, type: r.type || 'chat', t: r.t, from, to, ack: r.ack, self: r.fromMe ? 'out' : 'in', isNewMsg: r.isNew === true, ...(r.media || {}) });
  };

  // A build that moved the send action (the shape of wwebjs 3733 and 5759): the library's call meets `undefined`.
  define('WAWebSendMsgChatAction', {
    [variant.sendActionMoved ? 'addAndSendMsgToChatV2' : 'addAndSendMsgToChat']: (chat, message) => {
      const msg = new Msg({ ...message, ack: 0 });
      addMessage(chat, msg, true);
      const lost = faults.loseNextAnswer;
      const result = call('send', {
        lost,
        key: msg.id.toString(),
        msgId: msg.id.id,
        chat: chat.id._serialized,
        body: message.type === 'chat' ? message.body : message.caption || '',
        msgType: message.type,
        media: message.type === 'chat' ? null : { kind: message.type, fileName: message.filename || null, size: message.size || 0, mimetype: message.mimetype },
      }).then((answer) => {
        msg.set({ ack: 1, t: answer.t });
        return { messageSendResult: 'OK' };
      });
      // The demo's "in doubt": WhatsApp took this message, and the page's call fails after it (faults.loseNextAnswer).
      if (lost) {
        faults.loseNextAnswer = false;
        return [result.then(() => Promise.reject(new Error('double: the connection dropped after WhatsApp took the message'))), result];
      }
      return [Promise.resolve(msg), result];
    },
  });
  define('WAWebUpdateUnreadChatAction', {
    sendSeen: async ({ chat }) => {
      chat.set({ unreadCount: 0 });
      await call('seen', { chat: chat.id._serialized });
    },
  });
  define('WAWebChatLoadMessages', {
    // Older messages come from the server a page at a time (what fetchMessages pages through).
    loadEarlierMsgs: async ({ chat }) => {
      const oldest = chat.msgs.getModelsArray().reduce((min, m) => (min === null || m.t < min ? m.t : min), null);
      const answer = await call('history', { chat: chat.id._serialized, before: oldest });
      const loaded = answer.messages.map(fromRecord);
      for (const m of loaded) addMessage(chat, m, false);
      return loaded;
    },
  });

  // ---- media: prepared, "uploaded" to the server, sent as a message that carries its kind and name ---------------
  class OpaqueData {
    constructor(blob, type) {
      this.blob = blob;
      this.type = type;
    }
    static async createFromData(data, type) {
      return new OpaqueData(data, type || data.type);
    }
    url() {
      return URL.createObjectURL(this.blob);
    }
    autorelease() {}
    formData() {
      return this.blob;
    }
  }
  define('WAWebMediaOpaqueData', OpaqueData);
  const KINDS = { image: 'image', video: 'video', audio: 'audio' };
  // toJSON lives on the prototype, as on WhatsApp's MediaData model: the library spreads the media data into the
  // message, and an own toJSON would go with it and make every serialized media message lose its id.
  class MediaData extends Model {
    toJSON() {
      return { type: this.type, mimetype: this.mimetype, filehash: this.filehash, size: this.size, filename: this.filename };
    }
  }
  define('WAWebPrepRawMedia', {
    prepRawMedia: (opaque, params) => ({
      waitForPrep: async () => {
        const mime = opaque.type || 'application/octet-stream';
        const major = mime.split('/')[0];
        let type = params.asDocument ? 'document' : KINDS[major] || 'document';
        if (params.isPtt && type === 'audio') type = 'ptt';
        const bytes = new Uint8Array(await opaque.blob.arrayBuffer());
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
        return new MediaData({ type, mimetype: mime, filehash: btoa(String.fromCharCode(...digest)), size: bytes.length, mediaBlob: opaque, isGif: false, filename: opaque.blob.name || undefined });
      },
    }),
  });
  const mediaObjects = new Map();
  define('WAWebMediaStorage', {
    getOrCreateMediaObject: (hash) => {
      if (!mediaObjects.has(hash)) mediaObjects.set(hash, { filehash: hash, type: 'unknown', size: 0, contentInfo: { waveform: new Uint8Array(64) }, consolidate(d) { Object.assign(this, d); } });
      return mediaObjects.get(hash);
    },
  });
  define('WAWebMmsMediaTypes', { msgToMediaType: ({ type }) => type, castToV4: (t) => t });
  define('WAWebMediaDataUtils', { shouldUseMediaCache: () => false });
  define('WAWebMediaInMemoryBlobCache', { InMemoryMediaBlobCache: { put() {} } });
  define('WAWebMediaMmsV4Upload', {
    uploadMedia: async ({ mediaObject, mimetype }) => {
      const entry = await call('upload', { hash: mediaObject.filehash, size: mediaObject.size, mimetype });
      return { mediaEntry: { mmsUrl: entry.url, directPath: entry.directPath, mediaKey: entry.mediaKey, mediaKeyTimestamp: entry.t, encFilehash: mediaObject.filehash, uploadHash: mediaObject.filehash } };
    },
  });

  // ---- WhatsApp's limits on reaching new people, kept where WhatsApp Web keeps them --------------------------------
  // Shaped after WhatsApp Web's own modules (public excerpts of its bundles): WAWebIndividualNewChatMessageCapping-
  // LimitUtils reads `WANewChatMessageCappingData` from the user-prefs store (total_quota, used_quota, cycle_*_timestamp
  // in seconds, capping_status) and WAWebReachoutTimelockUtils `WAReachoutTimelockState` (enforcement_type,
  // time_enforcement_ends in ms). The server pushes them (`limits`), as WhatsApp's capping notification does.
  const userPrefs = new Map();
  const CAP_KEY = 'WANewChatMessageCappingData';
  const LOCK_KEY = 'WAReachoutTimelockState';
  define('WAWebUserPrefsIndexedDBStorage', { userPrefsIdb: { get: (key) => userPrefs.get(key), set: async (key, value) => void userPrefs.set(key, value) } });
  const capData = () => userPrefs.get(CAP_KEY);
  const status = () => (capData() && capData().capping_status) || 'NONE';
  const trusted = ({ chat }) => !!chat && typeof chat.getTcToken === 'function' && chat.getTcToken() != null;
  define('WAWebIndividualNewChatMessageCappingLimitUtils', {
    NEW_CHAT_MESSAGE_CAPPING_IDB_KEY: CAP_KEY,
    getCappingData: capData,
    getCappingStatus: status,
    // WhatsApp Web also ends a cycle by its own clock; the double's server says when a new one starts instead.
    isUserCapped: () => !!capData() && status() === 'CAPPED',
    isUserWarned: () => status() === 'FIRST_WARNING' || status() === 'SECOND_WARNING',
    getCappingWarningLevel: () => (status() === 'FIRST_WARNING' || status() === 'SECOND_WARNING' ? status() : null),
    canSendMsgWhileCapped: trusted,
  });
  define('WAWebReachoutTimelockUtils', {
    REACHOUT_TIMELOCK_IDB_KEY: LOCK_KEY,
    isUserReachoutTimelocked: () => userPrefs.get(LOCK_KEY) != null,
    canSendMsgWhileTimelocked: (args) => userPrefs.get(LOCK_KEY) == null || trusted(args),
    getReachoutTimelockEnforcementType: (e) => e || 'DEFAULT',
  });
  const setLimits = (limits) => {
    if (!limits) return;
    if (limits.cap) userPrefs.set(CAP_KEY, limits.cap);
    else userPrefs.delete(CAP_KEY);
    if (limits.timelock) userPrefs.set(LOCK_KEY, limits.timelock);
    else userPrefs.delete(LOCK_KEY);
    Cmd.trigger('individualNewChatMessageCappingStateChange');
  };

  // ---- the Bootloader: bundles fetched on demand -----------------------------------------------------------------
  // WhatsApp Web >= 2.3000 keeps some modules out of the registry until their bundle is fetched by component name
  // (wa-js src/loader/index.ts: `Bootloader.loadModules([component], callback, context)`, throwing at once for a name
  // that is no component; `__debug.componentMap` lists them). The variant's lazy bundles are held back here.
  const heldBack = new Map();
  for (const [component, names] of Object.entries(variant.lazyBundles || {})) {
    const bundle = new Map();
    for (const name of names) {
      if (modules.has(name)) bundle.set(name, modules.get(name));
      modules.delete(name);
    }
    heldBack.set(component, bundle);
  }
  const componentMap = new Map([...heldBack.keys(), 'WAWebMediaForwardMediaMsg', 'WAWebNewGroupFlow.react'].map((c) => [c, {}]));
  define('Bootloader', {
    loadModules(components, callback) {
      for (const c of components) if (!componentMap.has(c)) throw new Error(`Bootloader: unknown component "${c}"`);
      setTimeout(() => {
        for (const c of components) for (const [name, value] of heldBack.get(c) || []) define(name, value);
        callback();
      }, 25);
    },
    __debug: { componentMap },
  });

  // ---- the session: linking, restoring, what the server pushes --------------------------------------------------
  const forget = () => localStorage.removeItem('double-session');

  const becomePaired = async (session, history, neverSync = false) => {
    localStorage.setItem('double-session', JSON.stringify(session));
    me.pn = wid(session.pn);
    me.lid = wid(session.lid);
    Conn.set({ wid: me.pn, lid: me.lid, pushname: session.pushname, ref: null });
    for (const [pn, lid] of history.lids) learn(pn, lid);
    for (const chat of history.chats) {
      const c = chatFor(wid(chat.id), { t: chat.t, unreadCount: chat.unreadCount });
      for (const r of chat.messages) addMessage(c, fromRecord(r), false);
      if (chat.broken) c.set({ lastReceivedKey: { _serialized: `broken_${chat.id}`, toString: () => `broken_${chat.id}` } });
      c.set({ unreadCount: chat.unreadCount });
    }
    Socket.set({ state: 'PAIRING' });
    Socket.set({ state: 'CONNECTED', stream: 'CONNECTED' });
    // The app state has synced: what whatsapp-web.js waits for before it loads its helpers and says `ready`. The
    // real sync takes seconds, always longer than the library needs to start listening: so here it waits for that.
    const listening = () => (Socket._events.get('change:hasSynced') || []).length > 0;
    while (!listening()) await new Promise((r) => setTimeout(r, 25));
    // A build (or, in the demo, one start) whose sync never ends: the library never says `ready` (wwebjs 201919).
    if (variant.neverSyncs || neverSync) return;
    setTimeout(() => Socket.set({ hasSynced: true }), variant.syncDelayMs);
  };

  const onPush = (push) => {
    switch (push.type) {
      case 'ref':
        Conn.set({ ref: push.ref });
        return;
      case 'paired':
        setLimits(push.limits);
        void becomePaired(push.session, push.history);
        return;
      case 'ack': {
        const msg = MsgCollection.getModelsArray().find((m) => m.id.fromMe && m.id.id === push.msgId);
        // −1 is WhatsApp's error ack: it replaces any other (a message refused after it was taken).
        if (msg && (push.ack > msg.ack || push.ack === -1)) msg.set({ ack: push.ack });
        return;
      }
      case 'limits':
        setLimits(push.limits);
        return;
      case 'incoming': {
        learn(push.pn, push.lid);
        const chat = chatFor(wid(push.record.chat));
        addMessage(chat, fromRecord({ ...push.record, isNew: true }), true);
        return;
      }
      case 'logout':
        // As WhatsApp Web does when the phone closes the session: storage cleared, then the page loads afresh
        // (whatsapp-web.js waits for that navigation after `logout`, then says LOGOUT: Client.js framenavigated).
        forget();
        Cmd.trigger('logout');
        // `hasSynced` stays: the library takes any change of it for a finished sync (Client.js onAppStateHasSyncedEvent).
        Socket.set({ state: 'UNPAIRED' });
        setTimeout(() => location.reload(), 100);
        return;
      case 'conflict':
        Socket.set({ state: 'CONFLICT' });
        return;
      case 'reload':
        location.reload();
        return;
      case 'mend':
        // WhatsApp Web reads the chat's data again: its last received key is a real one.
        for (const id of push.chats) ChatCollection.get(wid(id))?.set({ lastReceivedKey: undefined });
        return;
      case 'state':
        Socket.set({ state: push.state });
        return;
      case 'passkey': {
        // "Continue on WhatsApp Web": the WebAuthn assertion WhatsApp Web runs for whatsapp.com (Baileys 2672). A
        // hidden browser has no authenticator: it waits, and the link with it.
        Socket.set({ state: 'PAIRING' });
        const challenge = Uint8Array.from(atob(push.challenge), (c) => c.charCodeAt(0));
        navigator.credentials
          .get({ publicKey: { challenge, rpId: 'whatsapp.com', userVerification: 'required', timeout: 600000, allowCredentials: [] } })
          .then(
            () => call('passkey', { ok: true }),
            (error) => console.warn('double: passkey not given', error && error.name),
          );
        return;
      }
      case 'loseNextAnswer':
        faults.loseNextAnswer = true;
        return;
    }
  };

  const connect = () => {
    socket = new WebSocket(`ws://127.0.0.1:${cfg.port}/?token=${encodeURIComponent(cfg.token)}`);
    socket.onopen = () => {
      const saved = localStorage.getItem('double-session');
      socket.send(JSON.stringify({ type: 'hello', id: 0, session: saved ? JSON.parse(saved) : null, keys: { adv: keys.adv } }));
      for (const text of queue.splice(0)) socket.send(text);
    };
    socket.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (data.reply !== undefined) {
        const waiting = pending.get(data.reply);
        pending.delete(data.reply);
        if (!waiting) return;
        if (data.error) waiting.reject(new Error(data.error));
        else waiting.resolve(data.body);
        return;
      }
      if (data.type === 'welcome') {
        if (data.changed) {
          // A new build the shim does not know: the message key module is renamed (as the `unknown` variant).
          modules.delete('WAWebMsgKey');
          define('WAWebMsgKeyV2', MsgKey);
        }
        if (data.paired) {
          setLimits(data.limits);
          void becomePaired(data.session, data.history, data.neverSync === true);
        }
        else {
          if (!data.sessionValid) forget();
          Conn.set({ ref: data.ref });
          Socket.set({ state: 'UNPAIRED' });
        }
        return;
      }
      onPush(data);
    };
    socket.onclose = () => {
      for (const waiting of pending.values()) waiting.reject(new Error('socket closed'));
      pending.clear();
      if (Socket.state === 'CONNECTED') Socket.set({ state: 'TIMEOUT' });
    };
  };

  window.require = metaRequire;
  window.__d = define;
  // The build number, what whatsapp-web.js waits for before it touches anything (Client.inject).
  setTimeout(() => {
    window.Debug = { VERSION: cfg.build };
    connect();
  }, 50);
  void pairingPhone;
})();
