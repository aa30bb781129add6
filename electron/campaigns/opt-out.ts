/** A reply as the user's own opt-out words compare it: lower case, no accents, punctuation and emoji as spaces. */
export function normalizeReply(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The user's own words (Settings): a reply that is exactly one of them opts out. */
export function isOptOut(text: string, words: readonly string[]): boolean {
  const reply = normalizeReply(text);
  return reply !== '' && words.some((word) => normalizeReply(word) === reply);
}

/**
 * What a reply means for the contact's campaigns: `opt_out` at once (the contact asked to stop, in any common
 * wording), `doubtful` (it may be a no — "no gracias", "¿quién es?" — for the user to decide from the inbox), or
 * `none`. `rule` names what matched, for the inbox and the logs.
 */
export type ReplyVerdict = { verdict: 'opt_out' | 'doubtful' | 'none'; rule: string | null };

/**
 * The matching form of a text: normalised as above, then spelled as it sounds, since people write fast — repeated
 * letters once ("stoooop", "bajaaa"), v as b ("vaja"), z and soft c as s ("canselar"), k as c ("kancelar"), the
 * silent h dropped. Patterns below go through the same function, so they are written in plain spelling.
 */
export function soundForm(text: string): string {
  return normalizeReply(text)
    .replace(/[^a-z0-9 ]/g, ' ')
    .replace(/v/g, 'b')
    .replace(/z/g, 's')
    .replace(/c([ei])/g, 's$1')
    .replace(/k/g, 'c')
    .replace(/h/g, '')
    .replace(/([a-z])\1+/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words around a request that change nothing: greetings, please, thanks, "ya". Removed before matching. */
const FILLERS = new Set(
  [
    'por favor', 'porfavor', 'porfa', 'porfis', 'x favor', 'xfa', 'xfavor', 'plis', 'pls', 'plz', 'please', 'gracias', 'muchas gracias',
    'mil gracias', 'thanks', 'thank you', 'thx', 'ya', 'ok', 'okay', 'oki', 'hola', 'buenas', 'buen dia', 'buenos dias', 'buenas tardes',
    'buenas noches', 'disculpe', 'disculpa', 'perdon', 'senor', 'senora', 'senorita', 'joven', 'amigo', 'amiga', 'hi', 'hello', 'sorry',
    'de verdad', 'en serio', 'ahora', 'ahorita', 'inmediatamente', 'urgente', 'de inmediato', 'now', 'asap', 'saludos', 'atte',
  ].map(soundForm),
);

/** Filler phrases longest first, so "muchas gracias" goes before "gracias" would leave "muchas". */
const FILLER_PHRASES = [...FILLERS].sort((a, b) => b.length - a.length);

function withoutFillers(form: string): string {
  let text = ` ${form} `;
  for (const filler of FILLER_PHRASES) {
    const padded = ` ${filler} `;
    while (text.includes(padded)) text = text.replace(padded, ' ');
  }
  return text.replace(/\s+/g, ' ').trim();
}

type Rule = { name: string; pattern: RegExp };

/**
 * A rule's pattern in plain spelling: its letters go through `soundForm` (group syntax kept), so "bórrenme" and
 * "borrenme" are one pattern; `whole` anchors it to the entire reply, otherwise it may sit among other words.
 */
function rule(name: string, source: string, whole = false): Rule {
  const spelled = source.replace(/[a-zñáéíóú ]+/gi, (words) => {
    const lead = words.startsWith(' ') ? ' ' : '';
    const trail = words.endsWith(' ') && words.trim() !== '' ? ' ' : '';
    const core = soundForm(words);
    return core === '' ? words : `${lead}${core}${trail}`;
  });
  return { name, pattern: new RegExp(whole ? `^(?:${spelled})$` : `(?:^| )(?:${spelled})(?: |$)`) };
}

const SEND = '(?:manden|mandes|mande|mandar|envien|envies|envie|enviar|escriban|escribas|escriba|escribir|contacten|contactes|contacte|marquen|llamen|hablen|mandando|enviando|escribiendo|contactando)';
const STUFF = '(?:mensajes|mensaje|msj|msjs|mensajitos|promociones|promos|publicidad|informacion|info|nada|cosas|ofertas|spam|whatsapps|whats)';
const ME_VERB = '(?:mandarme|enviarme|escribirme|contactarme|molestarme|llamarme|marcarme)';
const REMOVE_ME = '(?:borrenme|borrame|borreme|eliminenme|eliminame|elimineme|quitenme|quitame|quiteme|sacame|saquenme|saqueme|remuevanme|descartenme)';
const LIST = '(?:lista|listas|base de datos|base|difusion|contactos|registro|grupo)';

/** Requests to stop that can be honoured at once. */
const CERTAIN: Rule[] = [
  rule('keyword', '(?:baja|stop|stopall|alto|cancelar|cancel|unsubscribe|unsuscribe|desuscribir|desuscribirme|desuscribanme|desinscribir|desinscribirme|end|quit|basta|no mas|remove|opt out|optout)', true),
  rule('keyword_plus', '(?:baja|stop|alto|cancelar|basta) (?:ya|por favor|a todo|todo|definitiva|definitivo|total|inmediata|mensajes|ya no)', true),
  rule('dar_de_baja', '(?:dar|darme|denme|deme|den|doy|me doy|quiero darme|quiero dar|solicito|solicito mi|quiero mi|pido mi|pido|mi) (?:de )?baja'),
  rule('baja_de', `baja (?:de|del) (?:la |su |tu |esta |sus )?(?:${LIST}|mensajes|servicio|promociones|este numero|mi numero)`),
  rule('baja_mi_numero', '(?:baja|den de baja|dar de baja|darme de baja) (?:a )?(?:mi|este) numero'),
  rule('cancelar_suscripcion', '(?:cancelar|cancela|cancelen|cancelo|quiero cancelar) (?:mi |la |las |su |tu |el |los |estos |estas |sus )?(?:suscripcion|subscripcion|inscripcion|registro|mensajes|envios|notificaciones|promociones|servicio de mensajes|todo)'),
  // "no me manden más / nada / mensajes" anywhere; "no me manden" alone only as the whole reply ("no me envíe la
  // factura todavía" is about an invoice).
  rule('no_me_manden', `(?:no|nunca) (?:me |nos )?(?:sigan |vuelvan a )?${SEND}(?: mas(?: ${STUFF})?| ${STUFF})`),
  rule('no_me_manden_solo', `(?:no|nunca) (?:me |nos )?(?:sigan |vuelvan a )?${SEND}(?: (?:por aqui|por este medio|a este numero))?`, true),
  rule('no_quiero_recibir', `no (?:quiero|deseo|me interesa) (?:seguir )?(?:recibir|recibiendo)(?: mas)?(?: (?:sus|tus|estos|los|sus))?(?: ${STUFF})?`),
  rule('no_quiero_mensajes', `no (?:quiero|deseo) (?:mas )?(?:sus |tus |estos |los )?${STUFF}`),
  rule('no_quiero_que_me', `no quiero que me (?:sigan |vuelvan a )?(?:${SEND}|molesten)`),
  rule('dejen_de', `(?:dejen|deja|deje) de (?:${ME_VERB}|molestar|mandar ${STUFF}|enviar ${STUFF}|escribir(?:me)?$|mandar$|enviar$)`),
  rule('dejar_de_recibir', `(?:quiero|quisiera|deseo|como puedo) dejar de recibir(?: ${STUFF})?`),
  rule('borrenme', `${REMOVE_ME}(?: de (?:la |su |tu |sus |esta |el |mi )?${LIST})?`),
  rule('borren_mi_numero', '(?:borren|borra|borre|eliminen|elimina|elimine|quiten|quita|saquen|saca) (?:mi|este) (?:numero|contacto|telefono|cel|celular)'),
  rule('no_molesten', '(?:no|ya no) (?:me )?molest(?:en|es|e)(?: mas)?'),
  rule('spam', '(?:spam|es spam|esto es spam|eso es spam|puro spam|otra vez spam)', true),
  rule('report', '(?:los|las|te|lo|la) (?:voy a reportar|reportare|reporto|voy a bloquear|bloqueo|bloqueare|voy a denunciar|denunciare)|voy a reportar (?:este numero|su numero|como spam)|(?:reportado|reportar|denunciar) (?:como|por) spam'),
  rule('en_stop', '(?:stop|quit|please stop) (?:texting|messaging|sending|contacting|writing|bugging)(?: me| us)?'),
  rule('en_remove', '(?:remove|take) me (?:off|from)(?: your| the| this)?(?: list| mailing list| contacts)?'),
  rule('en_remove_me', 'remove me'),
  rule('en_do_not', '(?:do not|dont|don t|never) (?:text|message|contact|write|send)(?: me| us)?(?: again| anymore| any more)?'),
  rule('en_no_more', 'no more (?:messages|texts|msgs|spam|whatsapps)'),
  rule('en_leave', 'leave me alone'),
  rule('en_unsubscribe', '(?:unsubscribe|unsubscribe me|please unsubscribe|i want to unsubscribe|opt me out)'),
];

/** Replies that may mean "no more" but may not: the user decides. */
const DOUBTFUL: Rule[] = [
  rule('no', '(?:no|nel|nop|nope|no no|ni madres|nah|paso|no thanks|no thank you|para|salir|fuera|exit)', true),
  rule('no_interesa', '(?:no (?:me )?interesa|no estoy interesad[oa]|no me interesan|sin interes|not interested|no interest)'),
  rule('quien_es', '(?:quien (?:es|eres|son|habla|me escribe|me habla|me manda esto)|con quien (?:hablo|tengo el gusto)|who is this|who are you|who s this)'),
  rule('mi_numero', '(?:de donde (?:sacaron|sacaste|saco|obtuvieron|tienen|tienes) mi (?:numero|telefono|contacto)|como (?:consiguieron|consiguio|obtuvieron|tienen) mi (?:numero|telefono)|quien (?:les dio|te dio) mi numero)'),
  rule('equivocado', '(?:numero equivocado|equivocado|equivocada|se equivocaron|wrong number|no soy|no conozco|no los conozco|no lo conozco|no la conozco|no te conozco|no se quien)'),
  rule('ya_no', '(?:ya no|ya basta|basta ya|suficiente|ya estuvo|no gracias ya)', true),
];

/** Stop-like symbols (🛑, 🚫, ⛔, ✋, 👎, 🙅): a reply made only of them may be a no. */
const STOP_SYMBOLS = new Set(['\u{1F6D1}', '\u{1F6AB}', '\u26D4', '\u270B', '\u{1F44E}', '\u{1F645}']);

function onlyStopSymbols(text: string): boolean {
  // Without what dresses an emoji up: variation selectors, joiners, skin tones, the gender signs of 🙅‍♀️.
  const bare = text.replace(/\uFE0F|\u200D|\p{Emoji_Modifier}|\u2640|\u2642|\s/gu, '');
  return bare !== '' && [...bare].every((ch) => STOP_SYMBOLS.has(ch));
}

/** Longer replies are conversations: a stop phrase buried in them is still one, but only up to this many words. */
const MAX_WORDS = 25;

/**
 * Judges a reply. The user's own words (Settings) opt out when they are the whole reply; then the built-in rules,
 * on the reply without fillers: a certain rule opts out, unless the reply asks a question around it ("¿cómo me doy
 * de baja?" still wants out, but the user is shown it rather than the app deciding — the single keyword alone with
 * a question mark counts as doubtful too). Replies about something else that use a stop word ("cancelar mi pedido
 * 123?", "no puedo hoy, mañana sí") match nothing: cancelling is only of subscriptions, messages and the like.
 */
export function judgeReply(text: string, userWords: readonly string[] = []): ReplyVerdict {
  if (isOptOut(text, userWords)) return { verdict: 'opt_out', rule: 'user_words' };
  if (onlyStopSymbols(text)) return { verdict: 'doubtful', rule: 'stop_symbol' };
  const form = withoutFillers(soundForm(text));
  if (form === '' || form.split(' ').length > MAX_WORDS) return { verdict: 'none', rule: null };
  const asks = text.includes('?') || text.includes('¿');
  const certain = CERTAIN.find((r) => r.pattern.test(form));
  if (certain) return { verdict: asks ? 'doubtful' : 'opt_out', rule: certain.name };
  const doubtful = DOUBTFUL.find((r) => r.pattern.test(form));
  return doubtful ? { verdict: 'doubtful', rule: doubtful.name } : { verdict: 'none', rule: null };
}
