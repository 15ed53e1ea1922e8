/** Where a command writes text. */
export type Out = (text: string) => void;

/** What every command builder is given: where output goes, and how a command reports its exit code. */
export interface CommandContext {
  /** Normal output (stdout). */
  readonly out: Out;
  /** Notes beside the output, such as progress (stderr). */
  readonly err: Out;
  readonly setExit: (code: number) => void;
}
