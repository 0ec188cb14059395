/** The Manager answered and said no (422 on a status change, 400 on a job it cannot compile). */
export class FlamencoRefused extends Error {
  constructor(detail: string) {
    super(`Flamenco refused: ${detail}`);
    this.name = 'FlamencoRefused';
  }
}

/** The Manager is not a Flamenco 3.x Manager, so Spool does not know its API. */
export class FlamencoUnsupported extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'FlamencoUnsupported';
  }
}
