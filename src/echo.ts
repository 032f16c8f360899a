/**
 * At most this many characters of a value the user gave (an input, a part of the URL) are repeated in
 * a message: a 120 KB input would otherwise be copied into every log line, annotation and the summary
 * that names it, and push the summary past the runner's size limit.
 */
export const ECHO_CHARS = 200

/** `value` as a message repeats it: cut to `max` characters, with a marker saying how much was left out. */
export function echo(value: string, max = ECHO_CHARS): string {
  if (value.length <= max) return value
  // Never split a surrogate pair: half an emoji is not valid text in the summary.
  const end = /[\uD800-\uDBFF]/.test(value[max - 1]) ? max - 1 : max
  const more = value.length - end
  return `${value.slice(0, end)}… (${more.toLocaleString('en-US')} more characters)`
}
