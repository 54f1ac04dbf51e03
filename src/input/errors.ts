/** A problem with the user's input, reported as one line and an exit status; never a stack trace. */
export class InputError extends Error {
  constructor(
    message: string,
    /** 64 usage / bad value, 65 bad data (zone file), 66 unreadable input. */
    readonly exitCode: 64 | 65 | 66,
  ) {
    super(message);
    this.name = 'InputError';
  }
}
