/** A problem with the user's input, reported as one line and an exit status; never a stack trace. */
export class InputError extends Error {
  constructor(
    message: string,
    /** 64 usage / bad value, 65 bad data (zone file), 66 unreadable input. */
    readonly exitCode: 64 | 65 | 66,
  ) {
    // One line for stderr: file names, JSON.parse's quote of the input and config keys can carry
    // control characters (ESC, C1 CSI, newlines); show them escaped, never raw.
    super(message.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    this.name = 'InputError';
  }
}
