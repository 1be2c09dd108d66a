/**
 * The message-summary body of RFC 3842 (§5.2), what MWI NOTIFYs carry
 * (`Event: message-summary`, `Content-Type: application/simple-message-summary`)
 * to a phone's message lamp (spec 13.1.2 maps a number to the MWI URI that
 * receives them). Pure: the counts come from MessageWaiting.summary().
 *
 *   Messages-Waiting: yes
 *   Message-Account: sip:joe_01@sip.cospace.de
 *   Voice-Message: 2/8 (0/2)
 *
 * `Voice-Message: new/old`; the urgent counts in parentheses are always 0/0
 * here (the platform has no urgent voice messages).
 */
export interface VoiceMessageCounts {
  /** Voice messages in the inbox still tagged unread. */
  newMessages: number;
  /** Voice messages in the inbox already heard. */
  oldMessages: number;
}

export const MESSAGE_SUMMARY_TYPE = 'application/simple-message-summary';

export function messageSummaryBody(counts: VoiceMessageCounts, account?: string): string {
  const lines = [`Messages-Waiting: ${counts.newMessages > 0 ? 'yes' : 'no'}`];
  if (account) lines.push(`Message-Account: ${account}`);
  lines.push(`Voice-Message: ${counts.newMessages}/${counts.oldMessages} (0/0)`);
  return `${lines.join('\r\n')}\r\n`;
}
