// Temporary: the kit's Logger lands from the aws helper; this file goes when it does.
export interface Logger {
  info(line: string): void;
  warning(line: string): void;
  debug(line: string): void;
}
