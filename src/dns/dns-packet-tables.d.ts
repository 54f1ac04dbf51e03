// dns-packet's mnemonic tables: shipped as JavaScript, absent from @types/dns-packet.
declare module 'dns-packet/types.js' {
  export function toString(value: number): string;
}
declare module 'dns-packet/opcodes.js' {
  export function toString(value: number): string;
}
declare module 'dns-packet/rcodes.js' {
  export function toString(value: number): string;
}
declare module 'dns-packet/classes.js' {
  export function toString(value: number): string;
}
