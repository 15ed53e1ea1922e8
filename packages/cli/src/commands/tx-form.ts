/** A classic sender id (docs/spec.md §2.1) followed by more text: the original `tx <sender> <content>` form. */
const CLASSIC_FORM = /^([a-zA-Z]{4}[0-9]{4})\s+(\S[\s\S]*)$/;

/** The sender and content of `text` when it reads as the original `<sender> <content>` form. */
export function classicForm(text: string): { sender: string; content: string } | undefined {
  const m = CLASSIC_FORM.exec(text);
  return m ? { sender: m[1] as string, content: m[2] as string } : undefined;
}

/** Why `text` is not sent as it is on a signed network, with the two ways on; undefined when it does not look like a sender. */
export function signedNetworkHint(text: string, how: { alone: string; literal: string }): string | undefined {
  const form = classicForm(text);
  if (!form) return undefined;
  return (
    `"${form.sender}" looks like the sender of the original tx <sender> <content> form, but this network takes signed ` +
    `transactions, whose sender is the signing key: ${how.alone.replace('%s', form.content)}, or ${how.literal} to send ` +
    `"${text}" as the content; nothing was sent`
  );
}
