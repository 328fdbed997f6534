// Turns a message Baileys upserted (a WAMessage) into the data of a session.message event, with the fields the
// native engine gives (client/src/main/java/dev/linkwell/client/message/MessageEvents.java) and the WAMessage
// itself as `raw`, written with Baileys' BufferJSON so BufferJSON.reviver reads it back.
//
// Address rules as the native engine applies them (whatsmeow parseMessageSource): `chat` is the conversation
// without device, `from` the sender as Baileys names it, `fromPn` the phone-number form of a LID sender (from
// the stanza, else from Baileys' LID mapping), `fromLid` the LID of a phone-number sender when the stanza named
// it. Baileys keeps no sending device for our own messages, so `from` is then our own number without device.

/** Upserts that are not user messages: protocol messages (app-state key shares, history-sync notices, ...). */
const NOT_SURFACED = new Set(['protocolMessage'])

/** `type` as the native engine and issue 10 name it: `text`, `image`, `reaction`, ... */
function typeOf (contentType) {
  if (contentType === 'conversation' || contentType === 'extendedTextMessage') return 'text'
  return contentType.replace(/Message$/, '')
}

function seconds (timestamp) {
  if (timestamp === null || timestamp === undefined) return 0
  if (typeof timestamp === 'object' && typeof timestamp.toNumber === 'function') return timestamp.toNumber()
  const n = Number(timestamp)
  return Number.isFinite(n) ? n : 0
}

/**
 * @param msg        the WAMessage from messages.upsert
 * @param meId       our own device JID (creds.me.id)
 * @param pnForLid   async (lidJid) => the phone-number JID Baileys knows for it, or null
 * @returns the event data, or null when the upsert is not a user message
 */
export async function messageEventData (baileys, msg, meId, pnForLid) {
  const { getContentType, normalizeMessageContent, jidNormalizedUser, isLidUser, isPnUser, isJidGroup, isJidBroadcast, BufferJSON } = baileys
  const key = msg.key || {}
  const content = normalizeMessageContent(msg.message)
  const contentType = getContentType(content)
  if (!key.id || !key.remoteJid || !contentType || NOT_SURFACED.has(contentType)) return null

  const group = isJidGroup(key.remoteJid) || isJidBroadcast(key.remoteJid)
  const chat = group ? key.remoteJid : jidNormalizedUser(key.remoteJid)
  const from = key.fromMe && !key.participant ? jidNormalizedUser(meId) : (key.participant || key.remoteJid)
  const alt = key.fromMe ? undefined : (group ? key.participantAlt : key.remoteJidAlt)

  const data = { id: key.id, chat, from }
  if (isLidUser(from)) {
    let pn = alt && isPnUser(alt) ? alt : null
    if (!pn) pn = await pnForLid(from)
    if (pn) data.fromPn = jidNormalizedUser(pn)
  } else if (alt && isLidUser(alt)) {
    data.fromLid = jidNormalizedUser(alt)
  }
  data.fromMe = !!key.fromMe
  data.timestamp = seconds(msg.messageTimestamp)
  if (msg.pushName) data.pushName = msg.pushName
  data.type = typeOf(contentType)
  const text = content.conversation || (content.extendedTextMessage && content.extendedTextMessage.text)
  if (text) data.text = text
  data.raw = JSON.parse(JSON.stringify(msg, BufferJSON.replacer))
  return data
}
