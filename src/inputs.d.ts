// Types for the parts of Observable Inputs 0.12 the components use (the package ships no declarations).
// Every input is an element whose `value` is the current value and which emits "input" events.
declare module "npm:@observablehq/inputs" {
  export type InputElement<T> = HTMLElement & {value: T};
  interface Common {
    label?: string | Node;
    disabled?: boolean;
    width?: number | string;
  }
  export function checkbox<T = string>(data: readonly T[], options?: Common & {value?: readonly T[]; format?: (x: T) => string; keyof?: (x: T) => string}): InputElement<T[]>;
  export function radio<T = string>(data: readonly T[], options?: Common & {value?: T | null; format?: (x: T) => string}): InputElement<T | null>;
  export function select<T = string>(data: readonly T[], options?: Common & {value?: T | null; format?: (x: T) => string; multiple?: boolean}): InputElement<T>;
  export function toggle(options?: Common & {value?: boolean}): InputElement<boolean>;
  export function number(extent?: [number, number], options?: Common & {value?: number; step?: number; placeholder?: string}): InputElement<number>;
  export function range(extent?: [number, number], options?: Common & {value?: number; step?: number}): InputElement<number>;
  export function text(options?: Common & {value?: string; placeholder?: string}): InputElement<string>;
  export function button<T = unknown>(content: string | Node, options?: Common & {value?: T; reduce?: (value: T) => T}): InputElement<T>;
  export function form<T extends Record<string, unknown>>(inputs: Record<string, HTMLElement>, options?: Common): InputElement<T>;
  export function table<T = Record<string, unknown>>(data: readonly T[], options?: Record<string, unknown>): InputElement<T[]>;
}
