// ltx ships JavaScript without types; this is the part of its SAX parser the XMPP probe uses.
declare module 'ltx/src/parsers/ltx.js' {
  import { EventEmitter } from 'node:events';
  /** ltx's own SAX parser: emits `startElement(name, attrs)`, `endElement(name, selfClosing)`, `text(text)`. */
  export default class SaxLtx extends EventEmitter {
    write(data: string): void;
    end(data?: string): void;
  }
}
