/** Bad input from a user or a script: the faces show `message` and exit 2 (CLI) or answer 400. */
export class InputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(field === 'input' ? message : `${field}: ${message}`);
    this.name = 'InputError';
  }
}

/** A job, frame or file that does not exist: exit 3 (CLI) or 404. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
